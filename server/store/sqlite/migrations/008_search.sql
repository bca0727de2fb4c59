-- Search (GET /api/bins/{binId}/requests?q=). What `auth:`, `sig:` and `provider:` look for, kept with each request:
-- the kinds of its credentials (space-separated, '' for none; NULL for a row stored before: derived again when it is
-- indexed), its most telling signature check with the bin's secrets (NULL: none), and the sender its headers name.
ALTER TABLE requests ADD COLUMN credential_kinds TEXT;
ALTER TABLE requests ADD COLUMN signature TEXT;
ALTER TABLE requests ADD COLUMN provider TEXT;

-- A bin's signing secrets change its requests' verdicts: secrets_version counts the changes, checked_version is the
-- version every stored verdict of the bin was computed with; the server rechecks, in the background, the bins where
-- they differ. The requests stored before this migration have no verdict yet: their bins are rechecked once.
ALTER TABLE bins ADD COLUMN secrets_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE bins ADD COLUMN checked_version INTEGER NOT NULL DEFAULT 0;
UPDATE bins SET secrets_version = 1 WHERE EXISTS (SELECT 1 FROM requests WHERE requests.bin_id = bins.id);

-- The words of each request are in FTS5 tables request_words_<n> that the store makes as request ids reach them
-- (server/store/sqlite/search-index.ts).

-- The store indexes in batches, in the background and before each search, the requests with ids above this one.
CREATE TABLE search_progress (
  id              INTEGER PRIMARY KEY CHECK (id = 1),
  indexed_through INTEGER NOT NULL
);
INSERT INTO search_progress (id, indexed_through) VALUES (1, 0);
