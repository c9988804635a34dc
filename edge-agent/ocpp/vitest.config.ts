import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'ocpp', include: ['src/**/*.test.ts'] },
});
