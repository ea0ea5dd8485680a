-- API keys, targets and the audit log, with row-level security keyed on the
-- request's tenant. Request work runs as the NOLOGIN role xorb_app (SET LOCAL ROLE),
-- which never bypasses RLS, whatever role the service connects as.
-- Creating the role needs CREATEROLE (or superuser) once; a DBA may instead create
-- xorb_app and grant it to the service's user beforehand, and this then does nothing.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'xorb_app') THEN
    CREATE ROLE xorb_app NOLOGIN;
  END IF;
  IF NOT pg_has_role(current_user, 'xorb_app', 'MEMBER') THEN
    EXECUTE format('GRANT xorb_app TO %I', current_user);
  END IF;
EXCEPTION WHEN duplicate_object THEN NULL;
END
$$;

-- List cursors carry created_at at millisecond precision (JSON/JavaScript dates), so
-- rows store it at that precision too; otherwise keyset pages could skip rows.
ALTER TABLE tenants ALTER COLUMN created_at SET DEFAULT date_trunc('milliseconds', now());
ALTER TABLE users   ALTER COLUMN created_at SET DEFAULT date_trunc('milliseconds', now());

CREATE TABLE api_keys (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  prefix        text NOT NULL UNIQUE,
  secret_hash   text NOT NULL,
  role          text NOT NULL CHECK (role IN ('admin', 'analyst', 'viewer')),
  created_by    uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at    timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  expires_at    timestamptz,
  revoked_at    timestamptz,
  last_used_at  timestamptz
);
CREATE INDEX api_keys_tenant_idx ON api_keys (tenant_id, created_at DESC, id DESC);

CREATE TABLE targets (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id            uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  kind                 text NOT NULL CHECK (kind IN ('hostname', 'ipv4', 'ipv6', 'url')),
  value                text NOT NULL,
  host                 text NOT NULL,
  tags                 text[] NOT NULL DEFAULT '{}',
  ports                text NOT NULL DEFAULT '',
  verification_token   text NOT NULL,
  verified_at          timestamptz,
  verified_by_method   text CHECK (verified_by_method IN ('http', 'dns')),
  created_by           text NOT NULL,
  created_at           timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, value)
);
CREATE INDEX targets_tenant_idx ON targets (tenant_id, created_at DESC, id DESC);
CREATE INDEX targets_tags_idx ON targets USING gin (tags);

CREATE TABLE audit_log (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  actor          text NOT NULL,
  action         text NOT NULL,
  resource_type  text NOT NULL,
  resource_id    text,
  request_id     text,
  ip             inet,
  details        jsonb NOT NULL DEFAULT '{}',
  created_at     timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
);
CREATE INDEX audit_log_tenant_idx ON audit_log (tenant_id, created_at DESC, id DESC);

ALTER TABLE users     ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_keys  ENABLE ROW LEVEL SECURITY;
ALTER TABLE targets   ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants   ENABLE ROW LEVEL SECURITY;

-- current_setting(..., true) is NULL outside a tenant transaction, so nothing matches.
CREATE POLICY tenant_isolation ON tenants   TO xorb_app USING (id = current_setting('xorb.tenant_id', true)::uuid);
CREATE POLICY tenant_isolation ON users     TO xorb_app USING (tenant_id = current_setting('xorb.tenant_id', true)::uuid);
CREATE POLICY tenant_isolation ON api_keys  TO xorb_app USING (tenant_id = current_setting('xorb.tenant_id', true)::uuid);
CREATE POLICY tenant_isolation ON targets   TO xorb_app USING (tenant_id = current_setting('xorb.tenant_id', true)::uuid);
CREATE POLICY tenant_isolation ON audit_log TO xorb_app USING (tenant_id = current_setting('xorb.tenant_id', true)::uuid);

GRANT SELECT ON tenants TO xorb_app;
GRANT SELECT, INSERT, UPDATE ON users, api_keys, targets TO xorb_app;
GRANT DELETE ON targets TO xorb_app;
GRANT SELECT, INSERT ON audit_log TO xorb_app;
