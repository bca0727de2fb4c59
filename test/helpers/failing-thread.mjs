// A thread that fails as it starts (test/search-index.test.ts, test/checkpoints.test.ts): its work must be done elsewhere.
throw new Error('this thread fails on purpose');
