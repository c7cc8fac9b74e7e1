import { defineConfig } from 'vitest/config';

// One runner for every suite. Unit and integration tests run in parallel forks; the browser (e2e) suite
// builds the renderer once in its global setup. `npm run test:e2e` selects test/e2e alone.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
