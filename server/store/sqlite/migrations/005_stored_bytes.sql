-- What each request takes in the database (body, headers, target, path, query, credential analysis), and each bin's sum: the global cap
-- (--max-stored) reads the sum of a few bin rows, never the requests. The store adds at insert; this trigger
-- subtracts at delete.
ALTER TABLE requests ADD COLUMN stored_bytes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE bins ADD COLUMN stored_bytes INTEGER NOT NULL DEFAULT 0;
UPDATE requests SET stored_bytes = length(body) + length(CAST(headers AS BLOB)) + length(CAST(url AS BLOB))
  + length(CAST(path AS BLOB)) + length(CAST(query AS BLOB)) + coalesce(length(CAST(credentials AS BLOB)), 0);
UPDATE bins SET stored_bytes = (SELECT coalesce(sum(stored_bytes), 0) FROM requests WHERE bin_id = bins.id);
DROP TRIGGER requests_counted_out;
CREATE TRIGGER requests_counted_out AFTER DELETE ON requests BEGIN
  UPDATE bins SET request_count = request_count - 1, stored_bytes = stored_bytes - OLD.stored_bytes WHERE id = OLD.bin_id;
END;
