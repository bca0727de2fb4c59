// A search index thread that fails as it starts (test/search-index.test.ts): its batches must be written elsewhere.
throw new Error('this thread fails on purpose');
