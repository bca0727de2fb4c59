-- A retry's attempt number is one more than the highest stored for its delivery id: with the attempt in the index,
-- that is one seek, not a read of every earlier attempt (a sender that reuses one id thousands of times, as a load
-- test does, made each capture read all of them).
DROP INDEX requests_by_delivery;
CREATE INDEX requests_by_delivery ON requests (bin_id, delivery_id, delivery_provider, delivery_attempt)
  WHERE delivery_id IS NOT NULL;
