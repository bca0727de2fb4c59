-- Search (GET /api/bins/{binId}/requests?q=). What `auth:`, `sig:` and `provider:` look for, kept with each request:
-- the kinds of its credentials (space-separated, '' for none), its most telling signature check with the bin's
-- secrets (NULL: none), and the sender its headers name.
ALTER TABLE requests ADD COLUMN credential_kinds text;
ALTER TABLE requests ADD COLUMN signature text;
ALTER TABLE requests ADD COLUMN provider text;

-- A bin's signing secrets change its requests' verdicts: secrets_version counts the changes, checked_version is the
-- version every stored verdict of the bin was computed with; a server rechecks, in the background, the bins where
-- they differ. The requests stored before this migration have no verdict yet: their bins are rechecked once.
ALTER TABLE bins ADD COLUMN secrets_version integer NOT NULL DEFAULT 0;
ALTER TABLE bins ADD COLUMN checked_version integer NOT NULL DEFAULT 0;
UPDATE bins SET secrets_version = 1 WHERE EXISTS (SELECT 1 FROM requests WHERE requests.bin_id = bins.id);

-- The words of each request as a tsvector written by hooklens itself (server/search/words.ts: its bin, credential
-- kinds and header names as tokens, then the words of method, path, query, headers and the first 64 KB of a text
-- body, with their positions), not by a text search parser: the same tokens as SQLite's index. NULL for a row stored
-- before this migration: filled in the background at start.
ALTER TABLE requests ADD COLUMN search tsvector;
CREATE INDEX requests_search ON requests USING gin (search);
CREATE INDEX requests_unindexed ON requests (id) WHERE search IS NULL;
