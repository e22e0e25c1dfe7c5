import { fileURLToPath } from 'node:url';
import type { CodegenConfig } from '@graphql-codegen/cli';

/** Paths from this file, so the config works from the repository root and from this folder alike. */
const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/**
 * The typed client a frontend generates: client-preset documents from the gateway's schema, as strings
 * (`documentMode: 'string'`) so that plain `fetch` can send them with no GraphQL library at runtime, and a
 * persisted-documents manifest (`src/gql/persisted-documents.json`: sha256 hash -> document text) for a
 * gateway that accepts trusted documents only. `npx graphql-codegen --config examples/typed-client/codegen.ts`
 * writes them; the test suite fails when they are stale.
 */
const config: CodegenConfig = {
  schema: here('../../schema.graphql'),
  documents: [here('src/**/*.ts'), `!${here('src/gql/**')}`],
  emitLegacyCommonJSImports: false,
  importExtension: '.ts',
  generates: {
    [here('src/gql/')]: {
      preset: 'client',
      config: {
        documentMode: 'string',
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string', Date: 'string' },
      },
      presetConfig: { fragmentMasking: false, persistedDocuments: true },
    },
  },
};

export default config;
