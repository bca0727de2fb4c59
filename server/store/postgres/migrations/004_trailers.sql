-- Trailer fields of a chunked body, as received (JSON [[name, value], ...]); NULL when there were none.
ALTER TABLE requests ADD COLUMN trailers text;
