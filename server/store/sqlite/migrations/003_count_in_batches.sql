-- Captures are counted once per bin and batch by the store (one UPDATE for a batch instead of one per request);
-- deletes are still counted by requests_counted_out.
DROP TRIGGER requests_counted_in;
