-- The words index moves to a database file of its own beside this one (<db>-search), written by a thread of its own
-- (server/store/sqlite/search-index.ts), with its progress mark there; it is built again from the requests. The store
-- drops the old index tables request_words_<n> at start (their names are made as ids reach them).
DROP TABLE search_progress;

-- Which index file is this database's: the store makes a generation at start when there is none, and the index file
-- must carry the same. A backup's copy has none, so that its index is built again wherever it is put back.
CREATE TABLE search_index (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  generation TEXT NOT NULL
);
