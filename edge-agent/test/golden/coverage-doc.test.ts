/** Keeps docs/ocpp-coverage.md honest: every action of both schema files has a row in its section. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ACTIONS_16 } from '@voltmesh/ocpp/v16';
import { ACTIONS_201 } from '@voltmesh/ocpp/v201';
import { describe, expect, it } from 'vitest';

const doc = readFileSync(fileURLToPath(new URL('../../../docs/ocpp-coverage.md', import.meta.url)), 'utf8');
const [, v16Section = '', v201Section = ''] = doc.split(/^## OCPP (?:1\.6J|2\.0\.1)\b.*$/m);

function rows(section: string): Set<string> {
  return new Set([...section.matchAll(/^\| (\w+) \| CS/gm)].map((m) => m[1]!));
}

describe('docs/ocpp-coverage.md', () => {
  it('lists every 1.6 action', () => {
    expect(ACTIONS_16.filter((a) => !rows(v16Section).has(a))).toEqual([]);
  });

  it('lists every 2.0.1 action', () => {
    expect(ACTIONS_201.filter((a) => !rows(v201Section).has(a))).toEqual([]);
  });
});
