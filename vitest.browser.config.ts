import { defineConfig } from 'vitest/config';

/**
 * `npm run test:browser`: the tests that drive a real browser against a real gateway process. Kept apart
 * from `npm test` because they need Debian's chromium (which `.ci/run` installs) and take seconds each.
 */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One chromium at a time: the CI machine has two cores.
    fileParallelism: false,
  },
});
