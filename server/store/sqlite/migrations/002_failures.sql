-- Failed sign-in attempts per client address (or /64), for the rate limit; kept in the database so that a restart
-- does not forgive them.
CREATE TABLE auth_failures (
  key   TEXT PRIMARY KEY,
  count INTEGER NOT NULL,
  since INTEGER NOT NULL                      -- ms epoch of the first failure in the window
);
