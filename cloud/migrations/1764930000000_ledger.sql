-- Up Migration
--
-- The transaction ledger (issue #6 item 3, docs/ledger-and-reports.md): one append-only row per
-- money movement. Session charges come from billing when a session ends, adjustments and refunds
-- from admins and operators (who and why are required), imported orders from CSV. A row is never
-- changed or removed: corrections are new rows. Who the token belonged to (holder, group, company)
-- is copied at write time, so a later change of the token does not rewrite history; for the same
-- reason there are no foreign keys to sessions, stations or tokens (deleting a station keeps its
-- money history).

-- Order numbers: one sequence for every tenant (never blocks, never repeats); the number is unique
-- per tenant by construction and by the constraint below.
CREATE SEQUENCE ledger_order_seq;

CREATE TABLE ledger_entries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  kind text NOT NULL CHECK (kind IN ('session_charge', 'adjustment', 'refund')),
  order_number text NOT NULL DEFAULT ('VM-' || lpad(nextval('ledger_order_seq')::text, 8, '0')),
  -- Signed: what the token holder owes goes up with charges and positive adjustments, down with
  -- refunds and negative adjustments.
  amount numeric(18, 4) NOT NULL,
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  session_id uuid,
  station_id uuid,
  site_id uuid,
  id_token text,
  holder_id uuid,
  holder_name text,
  group_id uuid,
  group_name text,
  group_kind text CHECK (group_kind IN ('personal', 'corporate')),
  company text,
  -- The charge a refund gives money back for.
  refund_of uuid REFERENCES ledger_entries (id),
  actor_user_id uuid,
  actor_email text,
  reason text CHECK (reason IS NULL OR length(reason) BETWEEN 1 AND 1000),
  -- The order number in the system an imported order came from; nothing is imported twice.
  external_ref text CHECK (external_ref IS NULL OR length(external_ref) BETWEEN 1 AND 100),
  occurred_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, order_number),
  UNIQUE (tenant_id, external_ref),
  CONSTRAINT ledger_amount_sign CHECK (
    (kind = 'session_charge' AND amount >= 0)
    OR (kind = 'refund' AND amount < 0 AND refund_of IS NOT NULL)
    OR (kind = 'adjustment' AND amount <> 0)),
  CONSTRAINT ledger_who_and_why CHECK (
    kind = 'session_charge' OR (reason IS NOT NULL AND actor_user_id IS NOT NULL))
);
-- One charge per session: billing may call twice (redelivery), the second is a no-op.
CREATE UNIQUE INDEX ledger_session_charge_key ON ledger_entries (session_id) WHERE kind = 'session_charge';
CREATE INDEX ledger_tenant_time_idx ON ledger_entries (tenant_id, occurred_at DESC, id);
CREATE INDEX ledger_tenant_token_idx ON ledger_entries (tenant_id, id_token);
CREATE INDEX ledger_tenant_holder_idx ON ledger_entries (tenant_id, holder_id);
CREATE INDEX ledger_refund_of_idx ON ledger_entries (refund_of) WHERE refund_of IS NOT NULL;

CREATE FUNCTION vm_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'ledger_entries is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege', HINT = 'record an adjustment or a refund instead';
END
$fn$;
CREATE TRIGGER ledger_entries_no_update_delete BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION vm_ledger_append_only();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
  FOR EACH STATEMENT EXECUTE FUNCTION vm_ledger_append_only();

-- Down Migration
DROP TABLE IF EXISTS ledger_entries;
DROP FUNCTION IF EXISTS vm_ledger_append_only();
DROP SEQUENCE IF EXISTS ledger_order_seq;
