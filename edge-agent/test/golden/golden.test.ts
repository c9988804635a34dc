/**
 * Golden protocol fixtures: `<version>/<Action>.json` holds raw OCPP-J CALL frames, a fixed clock,
 * the fake site state's behaviour, and the expected CALLRESULT frame and normalized events for each
 * step (steps share one site state, so replays and duplicates can be expressed). Requests and
 * replies are also validated against the vendored OCA schemas with ocpp-rpc's own validator, so a
 * reply that a strict charger would reject fails here.
 *
 * `UPDATE_GOLDEN=1` rewrites the expected replies/events from the handlers' output; review the diff.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHARGER_ACTIONS_16 } from '@voltmesh/ocpp/v16';
import { CHARGER_ACTIONS_201 } from '@voltmesh/ocpp/v201';
import ocppRpc from 'ocpp-rpc';
import { describe, expect, it } from 'vitest';
import type { BootPolicy, Handler, HandlerTable, NewEvent } from '../../src/handler-types.js';
import { handlers16 } from '../../src/v16/index.js';
import { handlers201 } from '../../src/v201/index.js';
import { fakeContext, FakeStationState, type FakeStateSpec } from './fake-station-state.js';
import { expectValidEvents } from './valid-events.js';

interface Step {
  note?: string;
  frame: [2, string, string, Record<string, unknown>];
  reply: [3, string, unknown];
  events: NewEvent[];
}

interface Fixture {
  description: string;
  now: string;
  bootPolicy?: BootPolicy;
  state?: FakeStateSpec;
  steps: Step[];
}

// ocpp-rpc is CommonJS; its named exports are only reliable through the default import.
const { createValidator } = ocppRpc;
const require = createRequire(import.meta.url);
const here = fileURLToPath(new URL('.', import.meta.url));
const update = process.env['UPDATE_GOLDEN'] === '1';

const versions = [
  {
    dir: 'v16',
    ocppVersion: 'ocpp1.6',
    handlers: handlers16,
    actions: CHARGER_ACTIONS_16 as readonly string[],
    schemas: require.resolve('@voltmesh/ocpp/schemas/ocpp1_6.json'),
  },
  {
    dir: 'v201',
    ocppVersion: 'ocpp2.0.1',
    handlers: handlers201,
    actions: CHARGER_ACTIONS_201 as readonly string[],
    schemas: require.resolve('@voltmesh/ocpp/schemas/ocpp2_0_1.json'),
  },
] as const;

function run(handlers: HandlerTable, action: string, payload: unknown, ctx: ReturnType<typeof fakeContext>) {
  const handler = handlers[action] as Handler<unknown, unknown> | undefined;
  if (!handler) throw new Error(`no handler for ${action}`);
  return handler(payload, ctx);
}

for (const version of versions) {
  const dir = join(here, version.dir);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const validator = createValidator(version.ocppVersion, JSON.parse(readFileSync(version.schemas, 'utf8')));

  describe(`golden ${version.dir}`, () => {
    it('has at least one fixture per charger-initiated action', () => {
      const covered = new Set(files.map((f) => f.replace(/(\.[\w-]+)?\.json$/, '')));
      expect(version.actions.filter((a) => !covered.has(a))).toEqual([]);
    });

    for (const file of files) {
      it(file, () => {
        const path = join(dir, file);
        const fixture = JSON.parse(readFileSync(path, 'utf8')) as Fixture;
        const state = new FakeStationState(fixture.state);
        for (const step of fixture.steps) {
          const [type, messageId, action, payload] = step.frame;
          expect(type).toBe(2);
          expect(validator.validate(`urn:${action}.req`, payload)).toBe(true);
          const ctx = fakeContext({
            now: fixture.now,
            ocppVersion: version.ocppVersion,
            state,
            ...(fixture.bootPolicy ? { bootPolicy: fixture.bootPolicy } : {}),
          });
          const { res, events } = run(version.handlers, action, payload, { ...ctx, messageId });
          expect(validator.validate(`urn:${action}.conf`, res)).toBe(true);
          expectValidEvents(events);
          // Through JSON, as the outbox stores them: no undefined fields, no Date objects.
          const reply = JSON.parse(JSON.stringify([3, messageId, res])) as Step['reply'];
          const actualEvents = JSON.parse(JSON.stringify(events)) as NewEvent[];
          if (update) {
            step.reply = reply;
            step.events = actualEvents;
          } else {
            expect(reply, step.note).toEqual(step.reply);
            expect(actualEvents, step.note).toEqual(step.events);
          }
        }
        if (update) writeFileSync(path, `${JSON.stringify(fixture, null, 2)}\n`);
      });
    }
  });
}
