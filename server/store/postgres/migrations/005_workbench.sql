-- The workbench: what a bin's capture URL answers, its relay key, and what each request was answered with.
ALTER TABLE bins ADD COLUMN response text;            -- JSON BinResponse; NULL: the default answer
ALTER TABLE bins ADD COLUMN relay_key text;           -- /relay/{key}: smee-compatible, no token, this bin only
UPDATE bins SET relay_key = replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '') WHERE relay_key IS NULL;
CREATE UNIQUE INDEX bins_by_relay_key ON bins (relay_key);

ALTER TABLE requests ADD COLUMN status integer NOT NULL DEFAULT 200;  -- what capture answered
ALTER TABLE requests ADD COLUMN handshake text;        -- the provider whose endpoint check was answered
ALTER TABLE requests ADD COLUMN delivery_provider text;
ALTER TABLE requests ADD COLUMN delivery_id text;     -- the provider's delivery id: retries reuse it
ALTER TABLE requests ADD COLUMN delivery_attempt integer;
CREATE INDEX requests_by_delivery ON requests (bin_id, delivery_id) WHERE delivery_id IS NOT NULL;
