-- Up Migration
--
-- What the cloud publishes to each site's edge agent through the NATS KV bucket `vm_site_<site>`
-- (keys and value shapes: @voltmesh/contract site-config.ts).

-- Overrides of the contract's DEFAULT_SITE_POLICY; '{}' means the defaults.
ALTER TABLE sites ADD COLUMN policy jsonb NOT NULL DEFAULT '{}'::jsonb;

-- A station is listed in its site's bucket only once approved; until then the edge's policy for
-- unlisted stations applies (reject, or park as pending). Stations from the fleet file are approved;
-- stations auto-registered from traffic are not.
ALTER TABLE stations
  ADD COLUMN approved boolean NOT NULL DEFAULT false,
  ADD COLUMN enabled boolean NOT NULL DEFAULT true,
  ADD COLUMN auth_security_profile smallint NOT NULL DEFAULT 0 CHECK (auth_security_profile BETWEEN 0 AND 3),
  -- PHC string (argon2id or scrypt) of the station's Basic-auth password, for profiles 1 and 2.
  ADD COLUMN auth_password_hash text,
  ADD CONSTRAINT stations_password_for_profile CHECK (auth_security_profile NOT IN (1, 2) OR auth_password_hash IS NOT NULL);
UPDATE stations SET approved = true WHERE NOT unplaced;

-- The local authorisation list (RFID cards and other id tokens).
CREATE TABLE id_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  -- NULL: valid at every site of the tenant; a site's own entry wins over the tenant-wide one.
  site_id uuid REFERENCES sites (id) ON DELETE CASCADE,
  id_token text NOT NULL CHECK (length(id_token) BETWEEN 1 AND 255),
  type text NOT NULL CHECK (length(type) BETWEEN 1 AND 32),
  status text NOT NULL DEFAULT 'accepted'
    CHECK (status IN ('accepted', 'blocked', 'expired', 'invalid', 'concurrent_tx')),
  expires_at timestamptz,
  group_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE NULLS NOT DISTINCT (tenant_id, site_id, id_token)
);

-- Down Migration
DROP TABLE IF EXISTS id_tokens;
ALTER TABLE stations
  DROP CONSTRAINT IF EXISTS stations_password_for_profile,
  DROP COLUMN IF EXISTS auth_password_hash,
  DROP COLUMN IF EXISTS auth_security_profile,
  DROP COLUMN IF EXISTS enabled,
  DROP COLUMN IF EXISTS approved;
ALTER TABLE sites DROP COLUMN IF EXISTS policy;
