import { fileURLToPath } from 'node:url';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { addTypenameSelectionDocumentTransform } from '@graphql-codegen/client-preset';

/** Paths from this file, so the config works from the repository root and from this folder alike. */
const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/**
 * Apollo Client's typed documents: client-preset's default `documentMode` (a TypedDocumentNode, the parsed
 * document Apollo's links and cache read, its result and variables types attached), `__typename` selected
 * everywhere (Apollo's cache adds it anyway; selecting it in the source makes the types and the manifest say
 * what is really sent), and a persisted-documents manifest (`src/gql/persisted-documents.json`) for a gateway
 * in trusted-documents mode. `npx graphql-codegen --config examples/apollo-client/codegen.ts` writes
 * `src/gql/`; the test suite fails when it is stale.
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
