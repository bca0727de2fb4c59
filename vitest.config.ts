import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**'] },
      },
      {
        extends: true,
        // Browser tests need the built viewer, and share the machine's two cores with Chromium: one file at a time.
        test: {
          name: 'e2e', include: ['test/e2e/**/*.test.ts'], globalSetup: ['test/global-setup.ts'], fileParallelism: false,
          // A restart test waits for a server start and the viewer's reconnect backoff: room for a loaded machine.
          testTimeout: 90_000,
        },
      },
    ],
  },
});
