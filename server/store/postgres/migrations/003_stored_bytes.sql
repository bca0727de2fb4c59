-- What each request takes in the database (body, headers, target, path, query, credential analysis), and each bin's sum: the global cap
-- (--max-stored) reads the sum of a few bin rows, never the requests. Kept by the statement-level triggers.
ALTER TABLE requests ADD COLUMN stored_bytes bigint NOT NULL DEFAULT 0;
ALTER TABLE bins ADD COLUMN stored_bytes bigint NOT NULL DEFAULT 0;
UPDATE requests SET stored_bytes = octet_length(body) + octet_length(headers) + octet_length(url)
  + octet_length(path) + octet_length(query) + coalesce(octet_length(credentials), 0);
UPDATE bins SET stored_bytes = (SELECT coalesce(sum(stored_bytes), 0) FROM requests WHERE bin_id = bins.id);

CREATE OR REPLACE FUNCTION requests_counted_in() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE bins SET request_count = request_count + n.count, stored_bytes = stored_bytes + n.bytes
    FROM (SELECT bin_id, count(*) AS count, sum(stored_bytes) AS bytes FROM inserted GROUP BY bin_id) n WHERE bins.id = n.bin_id;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION requests_counted_out() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE bins SET request_count = request_count - n.count, stored_bytes = stored_bytes - n.bytes
    FROM (SELECT bin_id, count(*) AS count, sum(stored_bytes) AS bytes FROM deleted GROUP BY bin_id) n WHERE bins.id = n.bin_id;
  RETURN NULL;
END $$;
