import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeToken, encodeToken, eventSubject } from './subjects.js';

describe('subject tokens', () => {
  it('keeps plain identities readable', () => {
    expect(encodeToken('CP-001_a')).toBe('CP-001_a');
  });

  it('escapes characters that NATS treats specially', () => {
    expect(encodeToken('a.b*c>d e')).toBe('a~2Eb~2Ac~3Ed~20e');
    expect(eventSubject('site.1', 'st*1')).toBe('vm.events.site~2E1.st~2A1');
    expect(eventSubject('s1', null)).toBe('vm.events.s1._edge');
  });

  it('round-trips any identity and never yields a token NATS would split', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 48, unit: 'grapheme' }), (id) => {
        const token = encodeToken(id);
        expect(token).toMatch(/^[A-Za-z0-9_~-]+$/);
        expect(decodeToken(token)).toBe(id);
      }),
    );
  });

  it('refuses empty ids and malformed escapes', () => {
    expect(() => encodeToken('')).toThrow(/empty/);
    expect(() => decodeToken('a~zz')).toThrow(/bad escape/);
  });
});
