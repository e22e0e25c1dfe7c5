import { createHash, timingSafeEqual } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify } from 'jose';
import type { GatewayConfig } from '../config.ts';
import type { Caller } from '../context.ts';
import { ErrorCode } from '../errors.ts';

/** Checks one request's credentials; rejects with UNAUTHENTICATED (HTTP 401) when they are missing or bad. */
export type Authenticate = (request: Request) => Promise<Caller>;

/** A key a caller may forward to nCore in `forward` mode: printable, no spaces, bounded. */
const FORWARDED_KEY = /^[\x21-\x7e]{1,512}$/;

/**
 * Authentication: every operation's context gets its `caller`, or the request fails with UNAUTHENTICATED
 * (HTTP 401). Health, readiness and metrics answer before this runs.
 */
export function useAuth(authenticate: Authenticate): Plugin<{ caller?: Caller }> {
  return {
    async onContextBuilding({ context, extendContext }) {
      extendContext({ caller: await authenticate(context.request) });
    },
  };
}

/**
 * The authenticator for `config.auth.mode`. In every mode but `forward` the gateway's own nCore key is used;
 * in `forward` each caller's `apikey` header is, and the gateway holds none.
 */
export function createAuthenticator(auth: GatewayConfig['auth'], gatewayKey: string | undefined): Authenticate {
  switch (auth.mode) {
    case 'none':
      return async () => ({ subject: undefined, apiKey: gatewayKey ?? '' });
    case 'bearer': {
      const digests = auth.tokens.map(digest);
      return async (request) => {
        const token = bearerToken(request);
        // Compare digests of equal length, against every token, so timing says nothing about any of them.
        const candidate = digest(token);
        const matched = digests.reduce((found, d) => timingSafeEqual(d, candidate) || found, false);
        if (!matched) throw unauthenticated('The bearer token is not valid.');
        return { subject: undefined, apiKey: gatewayKey ?? '' };
      };
    }
    case 'jwt': {
      const key: Uint8Array | JWTVerifyGetKey = auth.jwtSecret
        ? new TextEncoder().encode(auth.jwtSecret)
        : createRemoteJWKSet(new URL(auth.jwksUrl!));
      const algorithms = auth.jwtSecret ? ['HS256'] : ['RS256', 'ES256', 'PS256', 'EdDSA'];
      return async (request) => {
        const token = bearerToken(request);
        try {
          const { payload } = await jwtVerify(token, key as JWTVerifyGetKey, {
            issuer: auth.jwtIssuer,
            audience: auth.jwtAudience,
            algorithms,
          });
          return { subject: payload.sub, apiKey: gatewayKey ?? '' };
        } catch {
          throw unauthenticated('The token is not valid: bad signature, wrong issuer or audience, or expired.');
        }
      };
    }
    case 'forward':
      return async (request) => {
        const apiKey = request.headers.get('apikey') ?? '';
        if (!FORWARDED_KEY.test(apiKey))
          throw unauthenticated('An nCore key is required in the apikey header.', 'apikey');
        return { subject: undefined, apiKey };
      };
  }
}

function bearerToken(request: Request): string {
  const header = request.headers.get('authorization') ?? '';
  const match = /^Bearer\s+(\S{1,4096})$/i.exec(header);
  if (!match) throw unauthenticated('A bearer token is required in the Authorization header.');
  return match[1]!;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function unauthenticated(message: string, scheme = 'Bearer'): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401, headers: { 'www-authenticate': scheme } } },
  });
}
