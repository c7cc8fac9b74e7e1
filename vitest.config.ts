import os from 'node:os';
import path from 'node:path';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

// One runner for every suite. Unit and integration tests run in parallel forks; the browser (e2e) suite
// builds the renderer once in its global setup. `npm run test:e2e` selects test/e2e alone.
// The Vue plugin compiles .vue files for the renderer's component tests (test/unit/renderer/components), which
// run in happy-dom; every other suite stays in Node.
export default defineConfig({
  plugins: [vue()],
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Each run's temporary files in a folder of its own, removed when the run ends.
    globalSetup: ['test/temp-root.ts'],
    // The key files that seal the test workstations' secrets (electron/services/secrets.ts), apart from the user's.
    env: { TIRKEU_KEY_DIR: process.env.TIRKEU_KEY_DIR ?? path.join(os.tmpdir(), 'tirkeu-test-keys') },
  },
});
