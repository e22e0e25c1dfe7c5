import type { Plugin } from 'graphql-yoga';

/** The request headers an answer depends on: every auth mode's credential, and the origin when CORS is on. */
const CREDENTIAL_HEADERS = ['authorization', 'apikey'];

/**
 * No answer of the gateway may be kept by a cache: GraphQL answers carry personal data, and in `forward` mode
 * the caller is known only by its `apikey` header, so a shared cache with a default lifetime could hand one
 * caller's answer to another. `Cache-Control: no-store` forbids keeping it; `Vary` names the credential
 * headers too, for caches that store regardless.
 */
export function useNoStore({ varyOnOrigin }: { varyOnOrigin: boolean }): Plugin {
  const names = varyOnOrigin ? ['origin', ...CREDENTIAL_HEADERS] : CREDENTIAL_HEADERS;
  const varyAll = names.join(', ');
  return {
    onResponse({ response }) {
      response.headers.set('cache-control', 'no-store');
      const existing = response.headers.get('vary');
      // Most answers carry no Vary of their own: the whole list, written once.
      if (!existing) return response.headers.set('vary', varyAll);
      const vary = existing
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean);
      const missing = names.filter((name) => !vary.some((v) => v.toLowerCase() === name));
      if (missing.length) response.headers.set('vary', [...vary, ...missing].join(', '));
    },
  };
}
