-- Up Migration
--
-- Accounts managed through the API (issue #5 items 2–3): user profile fields an admin edits, a
-- disabled flag, API tokens for machine clients and the system settings of each tenant.

-- phone: E.164 (SMS alerts use it later); locale: the UI language, null = the tenant's default.
-- A disabled user cannot log in and loses every session and API token at once (queries check
-- disabled_at, so nothing has to be deleted to take effect).
ALTER TABLE users
  ADD COLUMN phone text CHECK (phone ~ '^\+[1-9][0-9]{1,14}$'),
  ADD COLUMN locale text CHECK (locale IN ('en', 'ru', 'zh')),
  ADD COLUMN disabled_at timestamptz,
  ADD COLUMN password_changed_at timestamptz,
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

CREATE INDEX grants_tenant_idx ON grants (tenant_id, user_id);
CREATE INDEX auth_sessions_user_idx ON auth_sessions (user_id);

-- A token acts with exactly one grant of its owner, so a request made with it is scoped like a
-- session on that grant; removing the grant removes the token. Only the SHA-256 of the token is
-- kept (it is 32 random bytes: a plain hash is enough, unlike a password); `prefix` is the first
-- characters, shown in lists so a user can tell tokens apart.
CREATE TABLE api_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  grant_id uuid NOT NULL REFERENCES grants (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  token_hash bytea NOT NULL UNIQUE,
  prefix text NOT NULL,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX api_tokens_tenant_idx ON api_tokens (tenant_id, user_id);

-- One row per tenant; a missing row or a missing key means the default (accounts/system-settings.ts).
CREATE TABLE tenant_settings (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
  settings jsonb NOT NULL DEFAULT '{}'::jsonb,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES users (id) ON DELETE SET NULL
);

-- Down Migration
DROP TABLE IF EXISTS tenant_settings;
DROP TABLE IF EXISTS api_tokens;
DROP INDEX IF EXISTS auth_sessions_user_idx;
DROP INDEX IF EXISTS grants_tenant_idx;
ALTER TABLE users
  DROP COLUMN IF EXISTS updated_at,
  DROP COLUMN IF EXISTS password_changed_at,
  DROP COLUMN IF EXISTS disabled_at,
  DROP COLUMN IF EXISTS locale,
  DROP COLUMN IF EXISTS phone;
