import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.ts';
import { graphql } from '../gql/index.ts';
import { useStack } from '../support/stack.ts';

const Trusted = graphql(`
  query TrustedNewest {
    users(first: 2) { nodes { id firstName } }
  }
`);

/** The id client-preset gave the document, as a client build sends it. */
const documentId = (Trusted as unknown as { __meta__: { hash: string } }).__meta__.hash;
const MANIFEST = 'test/gql/persisted-documents.json';

describe('trusted documents', () => {
  const stack = useStack({ env: { TRUSTED_DOCUMENTS: MANIFEST } });

  it('runs an operation from the manifest, sent by its documentId', async () => {
    const response = await stack.post(JSON.stringify({ documentId }));
    const body = await response.json();
    expect(body.errors).toBeUndefined();
    expect(body.data.users.nodes).toHaveLength(2);
  });

  it('runs it by its documentId over GET too', async () => {
    const response = await stack.gateway.fetch(
      `http://gateway.test/graphql?documentId=${encodeURIComponent(documentId)}`,
    );
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.errors).toBeUndefined();
    expect(body.data.users.nodes).toHaveLength(2);
  });

  it('accepts the Apollo-style persistedQuery hash too', async () => {
    const sha256Hash = documentId.replace(/^sha256:/, '');
    const body = await (
      await stack.post(JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash } } }))
    ).json();
    expect(body.data.users.nodes).toHaveLength(2);
  });

  it('refuses any document sent as text, even one that is in the manifest, before calling nCore', async () => {
    stack.sim.clearRequests();
    const response = await stack.post(JSON.stringify({ query: '{ users { nodes { id } } }' }));
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors[0].extensions.code).toBe('PERSISTED_QUERY_ONLY');
    expect(body.errors[0].message).toMatch(/only trusted documents/);
    expect(stack.calls()).toBe(0);
  });

  it('refuses an unknown documentId', async () => {
    const body = await (await stack.post(JSON.stringify({ documentId: 'sha256:0000' }))).json();
    expect(body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('stops at start on a manifest that is missing or not one', () => {
    expect(() => loadConfig({ TRUSTED_DOCUMENTS: 'nowhere.json' })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUSTED_DOCUMENTS: 'package.json' })).toThrow(
      /must map document ids to GraphQL documents/,
    );
  });
});
