/**
 * Generates the OCPP wire types from the official OCA JSON schemas (as shipped by ocpp-rpc and
 * vendored in ../schemas). Each schema file is a list of per-message schemas (`urn:<Action>.req`,
 * `urn:<Action>.conf`) that repeat the same `definitions`; we merge them into one schema per
 * version so shared types (IdTokenType, StatusInfoType...) are declared once, then compile that.
 *
 * CI runs `pnpm --filter @voltmesh/ocpp generate && git diff --exit-code`: keep the output a pure
 * function of the schema files (sorted keys, no timestamps, LF line endings).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile, type JSONSchema } from 'json-schema-to-typescript';

interface MessageSchema {
  $id: string;
  definitions?: Record<string, JSONSchema>;
  [key: string]: unknown;
}

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

const targets = [
  {
    schemaFile: 'ocpp1_6.json',
    outFile: 'v16.ts',
    mapName: 'Actions16',
    label: 'OCPP 1.6J (incl. security whitepaper)',
  },
  { schemaFile: 'ocpp2_0_1.json', outFile: 'v201.ts', mapName: 'Actions201', label: 'OCPP 2.0.1' },
] as const;

/** `urn:BootNotification.req` -> { action: 'BootNotification', typeName: 'BootNotificationRequest' }. */
function nameOf(id: string): { action: string; typeName: string } {
  const match = /^urn:([A-Za-z0-9]+)\.(req|conf)$/.exec(id);
  if (!match) throw new Error(`unexpected schema $id ${id}`);
  const action = match[1]!;
  return { action, typeName: `${action}${match[2] === 'req' ? 'Request' : 'Response'}` };
}

/** Schema descriptions in the 2.0.1 files use CRLF; normalise so the output is byte-stable. */
function normaliseText(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\r\n?/g, '\n').trim();
  if (Array.isArray(value)) return value.map(normaliseText);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      // javaType is an OCA code-generation hint with no meaning for TypeScript.
      if (key === 'javaType') continue;
      out[key] = normaliseText((value as Record<string, unknown>)[key]);
    }
    return out;
  }
  return value;
}

const TYPE_KEYWORDS = ['type', '$ref', 'enum', 'const', 'properties', 'items', 'anyOf', 'oneOf', 'allOf'];

/**
 * OCA marks "any JSON" (2.0.1 DataTransfer.data, 1.6 has none) as a property with no type at all;
 * json-schema-to-typescript would print that as an object map, so say `unknown` explicitly.
 */
function markUntyped(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(markUntyped);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === 'properties' && child && typeof child === 'object') {
      const props: Record<string, unknown> = {};
      for (const [name, prop] of Object.entries(child as Record<string, unknown>)) {
        const untyped = prop && typeof prop === 'object' && !TYPE_KEYWORDS.some((k) => k in prop);
        props[name] = untyped ? { ...prop, tsType: 'unknown' } : markUntyped(prop);
      }
      out[key] = props;
    } else {
      out[key] = markUntyped(child);
    }
  }
  return out;
}

function mergedSchema(messages: MessageSchema[], mapName: string): JSONSchema {
  const definitions: Record<string, JSONSchema> = {};
  const actions = new Map<string, { request?: string; response?: string }>();
  for (const message of messages) {
    const { action, typeName } = nameOf(message.$id);
    const { $id: _id, $schema: _schema, definitions: defs, ...body } = message;
    for (const [key, def] of Object.entries(defs ?? {})) {
      // Same-named definitions are identical across one version's files (checked when vendoring);
      // the first one wins.
      definitions[key] ??= { ...def, title: key };
    }
    definitions[typeName] = { ...(body as JSONSchema), title: typeName };
    const entry = actions.get(action) ?? {};
    if (typeName.endsWith('Request')) entry.request = typeName;
    else entry.response = typeName;
    actions.set(action, entry);
  }
  const properties: Record<string, JSONSchema> = {};
  for (const action of [...actions.keys()].sort()) {
    const entry = actions.get(action)!;
    if (!entry.request || !entry.response) throw new Error(`${action} lacks a request or response schema`);
    properties[action] = {
      type: 'object',
      additionalProperties: false,
      required: ['request', 'response'],
      properties: {
        request: { $ref: `#/definitions/${entry.request}` },
        response: { $ref: `#/definitions/${entry.response}` },
      },
    };
  }
  return markUntyped(
    normaliseText({
      title: mapName,
      description:
        'Every action of this version: its request (CALL payload) and response (CALLRESULT payload).',
      type: 'object',
      additionalProperties: false,
      required: Object.keys(properties),
      properties,
      definitions,
    }),
  ) as JSONSchema;
}

async function main(): Promise<void> {
  for (const target of targets) {
    const messages = JSON.parse(
      readFileSync(join(root, 'schemas', target.schemaFile), 'utf8'),
    ) as MessageSchema[];
    const ts = await compile(mergedSchema(messages, target.mapName), target.mapName, {
      bannerComment: [
        '/* eslint-disable */',
        `/** ${target.label} wire types, generated by scripts/generate.ts from schemas/${target.schemaFile}. Do not edit. */`,
      ].join('\n'),
      additionalProperties: false,
      ignoreMinAndMaxItems: true,
      unreachableDefinitions: true,
      unknownAny: true,
      strictIndexSignatures: true,
      format: true,
      style: { singleQuote: true, printWidth: 110, trailingComma: 'all' },
    });
    const actionNames = messages.map((m) => nameOf(m.$id).action);
    const unique = [...new Set(actionNames)].sort();
    const footer = [
      '',
      `export const ${target.mapName.replace('Actions', 'ACTIONS_')} = ${JSON.stringify(unique, null, 2).replace(/"/g, "'")} as const;`,
      '',
    ].join('\n');
    writeFileSync(join(root, 'src', 'generated', target.outFile), ts + footer);
  }
}

await main();
