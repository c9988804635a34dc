import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'swarm',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30000,
  },
});
