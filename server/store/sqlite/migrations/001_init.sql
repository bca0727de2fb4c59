-- Bins and the requests they captured.
CREATE TABLE bins (
  id              TEXT PRIMARY KEY,
  name            TEXT NOT NULL,
  created_at      INTEGER NOT NULL,           -- ms epoch
  signing_secrets TEXT NOT NULL DEFAULT '{}', -- JSON object: provider id -> secret
  request_count   INTEGER NOT NULL DEFAULT 0  -- kept by the triggers below: retention checks it on every capture
);

-- AUTOINCREMENT: an id is never reused after a delete, so `after` cursors stay valid.
CREATE TABLE requests (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  bin_id         TEXT NOT NULL REFERENCES bins(id) ON DELETE CASCADE,
  received_at    INTEGER NOT NULL,            -- ms epoch
  method         TEXT NOT NULL,
  url            TEXT NOT NULL,               -- request-target as received
  path           TEXT NOT NULL,
  query          TEXT NOT NULL,
  http_version   TEXT NOT NULL,
  headers        TEXT NOT NULL,               -- JSON [[name, value], ...] as received
  content_type   TEXT,
  size           INTEGER NOT NULL,
  truncated      INTEGER NOT NULL,
  body           BLOB NOT NULL,
  body_sha256    TEXT NOT NULL,
  remote_address TEXT NOT NULL,
  remote_port    INTEGER,
  secure         INTEGER NOT NULL,            -- arrived over https
  auth_label     TEXT,
  credentials    TEXT                         -- JSON analysis of credentials, kept only when the values were redacted
);
CREATE INDEX requests_by_bin ON requests (bin_id, id);
CREATE INDEX requests_by_time ON requests (received_at);

CREATE TRIGGER requests_counted_in AFTER INSERT ON requests BEGIN
  UPDATE bins SET request_count = request_count + 1 WHERE id = NEW.bin_id;
END;
CREATE TRIGGER requests_counted_out AFTER DELETE ON requests BEGIN
  UPDATE bins SET request_count = request_count - 1 WHERE id = OLD.bin_id;
END;

-- Server-wide settings, e.g. the access token's hash.
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
