import { fileURLToPath } from 'node:url';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { addTypenameSelectionDocumentTransform } from '@graphql-codegen/client-preset';

/** Paths from this file, so the config works from the repository root and from this folder alike. */
const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/**
 * urql's typed documents: client-preset's default `documentMode` (a TypedDocumentNode, which `client.query`
 * takes as it is and types its result and variables from), `__typename` selected everywhere (urql's
 * document cache adds it anyway, to know which results a mutation makes stale), and a persisted-documents
 * manifest (`src/gql/persisted-documents.json`) for a gateway in trusted-documents mode.
 * `npx graphql-codegen --config examples/urql/codegen.ts` writes `src/gql/`; the test suite fails when it is stale.
 */
const config: CodegenConfig = {
  schema: here('../../schema.graphql'),
  documents: [here('src/**/*.ts'), `!${here('src/gql/**')}`],
  emitLegacyCommonJSImports: false,
  importExtension: '.ts',
  generates: {
    [here('src/gql/')]: {
      preset: 'client',
      documentTransforms: [addTypenameSelectionDocumentTransform],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        nonOptionalTypename: true,
        skipTypeNameForRoot: true,
        scalars: { DateTime: 'string', Date: 'string' },
      },
      presetConfig: { fragmentMasking: false, persistedDocuments: true },
    },
  },
};

export default config;
