import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  // graphql 16 ships CommonJS (main) and ESM (module) builds; Node loads the CommonJS one for Yoga, so
  // tests must too, or errors thrown by resolvers fail Yoga's `instanceof GraphQLError` and get masked.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['test/**/*.test.ts'],
    // The browser tests need Debian's chromium and run alone: `npm run test:browser`.
    exclude: [...configDefaults.exclude, 'test/browser/**'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
