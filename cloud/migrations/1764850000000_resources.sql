-- Up Migration
--
-- Managing the site hierarchy, stations and RFID tokens through the API (issue #5 item 4): the edge
-- agent's NATS credentials per site, token holders and groups, and the token fields the UI edits.

-- The edge agent of a site logs in to NATS as `nats_user` with a random password shown once; only
-- its bcrypt hash is kept, in the form nats-server accepts in `authorization { users = [...] }`.
-- Sites created before this migration (seeded) have none until an admin rotates them.
ALTER TABLE sites
  ADD COLUMN nats_user text UNIQUE,
  ADD COLUMN nats_password_hash text,
  ADD COLUMN nats_credentials_at timestamptz,
  ADD CONSTRAINT sites_nats_credentials CHECK ((nats_user IS NULL) = (nats_password_hash IS NULL));

-- Stations: when the password was last set (shown in the UI; the password itself is never stored).
ALTER TABLE stations ADD COLUMN auth_password_set_at timestamptz;

-- Who holds a token: a person or a company's employee (contact data for support and reports).
CREATE TABLE token_holders (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  phone text,
  email text,
  company text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX token_holders_tenant_idx ON token_holders (tenant_id, name);

-- Personal and corporate groups of tokens (tariffs and reports per group build on this).
CREATE TABLE token_groups (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind text NOT NULL CHECK (kind IN ('personal', 'corporate')),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name)
);

-- `group_id` stays the OCPP group id token published to the edge (parentIdTag / groupIdToken);
-- `token_group_id` is the organisational group above.
ALTER TABLE id_tokens
  ADD COLUMN holder_id uuid REFERENCES token_holders (id) ON DELETE SET NULL,
  ADD COLUMN token_group_id uuid REFERENCES token_groups (id) ON DELETE SET NULL,
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX id_tokens_tenant_idx ON id_tokens (tenant_id, id_token);

-- Down Migration
DROP INDEX IF EXISTS id_tokens_tenant_idx;
ALTER TABLE id_tokens
  DROP COLUMN IF EXISTS updated_at,
  DROP COLUMN IF EXISTS token_group_id,
  DROP COLUMN IF EXISTS holder_id;
DROP TABLE IF EXISTS token_groups;
DROP TABLE IF EXISTS token_holders;
ALTER TABLE stations DROP COLUMN IF EXISTS auth_password_set_at;
ALTER TABLE sites
  DROP CONSTRAINT IF EXISTS sites_nats_credentials,
  DROP COLUMN IF EXISTS nats_credentials_at,
  DROP COLUMN IF EXISTS nats_password_hash,
  DROP COLUMN IF EXISTS nats_user;
