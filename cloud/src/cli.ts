/**
 * Operator commands: `migrate`, `seed-demo <fleet.json>`, `create-admin --email --name --tenant`.
 * They talk to the terminal with plain text on stdout/stderr and exit non-zero on failure.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { checkPassword } from './accounts/password-policy.js';
import { readSystemSettings } from './accounts/system-settings.js';
import { hashPassword } from './auth/password.js';
import { adminPasswordFromEnv, loadDatabaseUrl } from './config.js';
import { migrateUp } from './db/migrate.js';
import { createPool, withTransaction } from './db/pool.js';
import { ensureAdmin, parseFleet, seedFleet, upsertTenant } from './seed/fleet.js';

const USAGE = `usage:
  cli migrate
  cli seed-demo <fleet.json>
  cli create-admin --email <email> --name <name> --tenant <tenant name>
      password from VOLTMESH_ADMIN_PASSWORD or the first line of stdin; it must meet the
      tenant's password policy (system settings; the defaults for a new tenant)
env: DATABASE_URL (required)`;

class UsageError extends Error {
  readonly code = 'VM_CLI_USAGE';
}

const out = (line: string) => process.stdout.write(`${line}\n`);

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const databaseUrl = () => loadDatabaseUrl(process.env);
  switch (command) {
    case 'migrate': {
      const applied = await migrateUp(databaseUrl(), {
        info: () => {},
        warn: (m) => process.stderr.write(`${m}\n`),
        error: (m) => process.stderr.write(`${m}\n`),
      });
      out(applied.length === 0 ? 'schema is up to date' : `applied: ${applied.join(', ')}`);
      return;
    }
    case 'seed-demo': {
      const file = rest[0];
      if (!file) throw new UsageError('seed-demo needs the path of a fleet JSON file');
      const fleet = parseFleet(await readFile(file, 'utf8'), file);
      const db = createPool(databaseUrl(), 2);
      try {
        const r = await seedFleet(db, fleet);
        out(
          `seeded tenant "${fleet.tenant.name}": ${r.cities} cities, ${r.sites} sites, ${r.stations} stations, ` +
            `${r.tokens} tokens; ` +
            `admin ${fleet.admin.email} ${r.adminCreated ? 'created' : 'already existed'}; ` +
            `${r.usersCreated} of ${fleet.users.length} more accounts created`,
        );
      } finally {
        await db.end();
      }
      return;
    }
    case 'create-admin': {
      const { values } = parseArgs({
        args: rest,
        options: { email: { type: 'string' }, name: { type: 'string' }, tenant: { type: 'string' } },
        strict: true,
      });
      const args = z
        .object({ email: z.email(), name: z.string().min(1), tenant: z.string().min(1) })
        .safeParse(values);
      if (!args.success) {
        throw new UsageError(args.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n'));
      }
      const password = adminPasswordFromEnv(process.env) ?? (await readStdinLine());
      const db = createPool(databaseUrl(), 2);
      try {
        const created = await withTransaction(db, async (tx) => {
          const tenantId = await upsertTenant(tx, args.data.tenant);
          // Checked inside the transaction: a refused password leaves no new tenant behind.
          const { passwordPolicy } = await readSystemSettings(tx, tenantId);
          const violation = checkPassword(password, passwordPolicy);
          if (violation) throw new UsageError(`the password ${violation.message} [${violation.rule}]`);
          return ensureAdmin(tx, tenantId, args.data, await hashPassword(password));
        });
        out(
          created
            ? `created admin ${args.data.email} on tenant "${args.data.tenant}"`
            : `${args.data.email} already existed (password unchanged); granted admin on tenant "${args.data.tenant}"`,
        );
      } finally {
        await db.end();
      }
      return;
    }
    default:
      throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
  }
}

async function readStdinLine(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('password: ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    if (Buffer.concat(chunks).includes(10)) break;
  }
  return (Buffer.concat(chunks).toString('utf8').split('\n')[0] ?? '').replace(/\r$/, '');
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    const e = error as Error & { code?: string };
    process.stderr.write(`${e.message}\n${e instanceof UsageError ? `\n${USAGE}\n` : ''}`);
    process.exit(e instanceof UsageError ? 2 : 1);
  },
);
