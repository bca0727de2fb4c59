-- Session cookies that were signed out: refused until they would have expired anyway (then removed).
CREATE TABLE revoked_sessions (
  digest     TEXT PRIMARY KEY,                -- hex SHA-256 of the cookie value
  expires_at INTEGER NOT NULL                 -- ms epoch
);
