-- Scans (one row per Temporal scan workflow), recurring scan schedules, and
-- findings deduplicated by fingerprint and embedded for similarity search.
CREATE TABLE scans (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id            uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  target_id            uuid NOT NULL REFERENCES targets (id) ON DELETE CASCADE,
  profile              text NOT NULL CHECK (profile IN ('quick', 'standard', 'thorough')),
  ports                text NOT NULL DEFAULT '',
  status               text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
  phase                text NOT NULL DEFAULT 'queued',
  progress             smallint NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  ports_total          integer NOT NULL DEFAULT 0,
  ports_scanned        integer NOT NULL DEFAULT 0,
  open_ports           integer[] NOT NULL DEFAULT '{}',
  findings_new         integer NOT NULL DEFAULT 0,
  findings_seen        integer NOT NULL DEFAULT 0,
  error                text,
  requested_by         text NOT NULL,
  schedule_id          uuid,
  idempotency_key      text,
  request_hash         text,
  created_at           timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  started_at           timestamptz,
  finished_at          timestamptz,
  UNIQUE (tenant_id, idempotency_key)
);
CREATE INDEX scans_tenant_idx ON scans (tenant_id, created_at DESC, id DESC);
CREATE INDEX scans_target_idx ON scans (tenant_id, target_id, created_at DESC);

CREATE TABLE scan_schedules (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  target_id    uuid NOT NULL REFERENCES targets (id) ON DELETE CASCADE,
  cron         text NOT NULL,
  profile      text NOT NULL CHECK (profile IN ('quick', 'standard', 'thorough')),
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
);
CREATE INDEX scan_schedules_target_idx ON scan_schedules (tenant_id, target_id, created_at DESC, id DESC);

CREATE TABLE findings (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  target_id        uuid NOT NULL REFERENCES targets (id) ON DELETE CASCADE,
  fingerprint      text NOT NULL,
  check_id         text NOT NULL,
  title            text NOT NULL,
  description      text NOT NULL,
  severity         text NOT NULL CHECK (severity IN ('info', 'low', 'medium', 'high', 'critical')),
  cwe              text NOT NULL,
  remediation      text NOT NULL,
  evidence         jsonb NOT NULL DEFAULT '{}',
  port             integer,
  status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'resolved', 'false_positive')),
  occurrences      integer NOT NULL DEFAULT 1,
  first_seen       timestamptz NOT NULL DEFAULT now(),
  last_seen        timestamptz NOT NULL DEFAULT now(),
  first_scan_id    uuid REFERENCES scans (id) ON DELETE SET NULL,
  last_scan_id     uuid REFERENCES scans (id) ON DELETE SET NULL,
  -- 384 = EMBEDDINGS_DIMENSIONS' default; services refuse to start when they differ.
  embedding        vector(384),
  embedding_model  text,
  created_at       timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, fingerprint)
);
CREATE INDEX findings_tenant_idx ON findings (tenant_id, created_at DESC, id DESC);
CREATE INDEX findings_target_idx ON findings (tenant_id, target_id);
CREATE INDEX findings_missing_embedding_idx ON findings (tenant_id) WHERE embedding IS NULL;
CREATE INDEX findings_embedding_hnsw ON findings USING hnsw (embedding vector_cosine_ops);

ALTER TABLE scans          ENABLE ROW LEVEL SECURITY;
ALTER TABLE scan_schedules ENABLE ROW LEVEL SECURITY;
ALTER TABLE findings       ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON scans          TO xorb_app USING (tenant_id = current_setting('xorb.tenant_id', true)::uuid);
CREATE POLICY tenant_isolation ON scan_schedules TO xorb_app USING (tenant_id = current_setting('xorb.tenant_id', true)::uuid);
CREATE POLICY tenant_isolation ON findings       TO xorb_app USING (tenant_id = current_setting('xorb.tenant_id', true)::uuid);
GRANT SELECT, INSERT, UPDATE ON scans, findings TO xorb_app;
GRANT SELECT, INSERT, DELETE ON scan_schedules TO xorb_app;
