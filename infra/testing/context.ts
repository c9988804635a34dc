/** What the global setup provides, read from inside a test file. */
import { inject } from 'vitest';

export interface TestServices {
  natsUrl: string;
  databaseUrl: string;
}

export function testServices(): TestServices {
  return { natsUrl: inject('natsUrl'), databaseUrl: inject('databaseUrl') };
}
