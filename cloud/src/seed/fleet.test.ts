import { describe, expect, it } from 'vitest';
import { parseFleet, SeedError } from './fleet.js';

describe('parseFleet', () => {
  it('names every offending field with its path', () => {
    const bad = JSON.stringify({
      tenant: { name: 'T' },
      admin: { email: 'not-an-email', name: 'A', password: 'short' },
      cities: [{ name: 'C', countryCode: 'germany', lat: 91, lon: 0, sites: [] }],
    });
    try {
      parseFleet(bad, 'fleet.json');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SeedError);
      const message = (error as Error).message;
      expect(message).toMatch(/^fleet.json is not a valid fleet file/);
      for (const path of ['admin.email', 'admin.password', 'cities.0.countryCode', 'cities.0.lat']) {
        expect(message).toContain(`  - ${path}: `);
      }
    }
  });

  it('says when the file is not JSON', () => {
    expect(() => parseFleet('{', 'f.json')).toThrow(/^f.json is not valid JSON/);
  });
});
