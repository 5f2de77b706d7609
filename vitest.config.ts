import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Multi-process and shared-folder tests start real processes; give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    // Every server a test starts (in process or as `packdesk serve`) checks each answer, error body and
    // live event against the API contract (src/contract/) and fails loudly on a mismatch.
    env: { PACKDESK_CHECK_CONTRACT: '1' },
  },
});
