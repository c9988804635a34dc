import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['./infra/testing/global-setup.ts'],
    projects: [
      'edge-agent/contract',
      'edge-agent/ocpp',
      'edge-agent',
      'cloud',
      'web',
      'loadtest/swarm',
      'infra',
    ],
  },
});
