import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', './infra/testing/summary-reporter.ts'],
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
