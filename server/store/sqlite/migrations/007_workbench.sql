-- The workbench: what a bin's capture URL answers, its relay key, and what each request was answered with.
ALTER TABLE bins ADD COLUMN response TEXT;            -- JSON BinResponse; NULL: the default answer
ALTER TABLE bins ADD COLUMN relay_key TEXT;           -- /relay/{key}: smee-compatible, no token, this bin only
UPDATE bins SET relay_key = lower(hex(randomblob(24))) WHERE relay_key IS NULL;
CREATE UNIQUE INDEX bins_by_relay_key ON bins (relay_key);

ALTER TABLE requests ADD COLUMN status INTEGER NOT NULL DEFAULT 200;  -- what capture answered
ALTER TABLE requests ADD COLUMN handshake TEXT;        -- the provider whose endpoint check was answered
ALTER TABLE requests ADD COLUMN delivery_provider TEXT;
ALTER TABLE requests ADD COLUMN delivery_id TEXT;     -- the provider's delivery id: retries reuse it
ALTER TABLE requests ADD COLUMN delivery_attempt INTEGER;
CREATE INDEX requests_by_delivery ON requests (bin_id, delivery_id) WHERE delivery_id IS NOT NULL;
