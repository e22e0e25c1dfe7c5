import { createHash, timingSafeEqual } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { createLocalJWKSet, createRemoteJWKSet, errors, type JWTVerifyGetKey, jwtVerify } from 'jose';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/index.ts';
import { ErrorCode, refusal } from '../errors.ts';
import type { Caller } from '../operation/context.ts';
import { requestSlot } from './requestSlot.ts';

/**
 * Checks one request's credentials; throws (or rejects) with UNAUTHENTICATED (HTTP 401) when they are missing or
 * bad. Only `jwt` mode answers with a promise: the others decide synchronously, so a request pays for no await.
 */
export type Authenticate = (request: Request) => Caller | Promise<Caller>;

/** A key a caller may forward to nCore in `forward` mode: printable, no spaces, bounded. */
const FORWARDED_KEY = /^[\x21-\x7e]{1,512}$/;

/** How much a JWT's clock may differ from the gateway's: `exp`, `nbf` and `iat` are checked with this slack. */
const JWT_CLOCK_TOLERANCE_SECONDS = 30;

/**
 * Authentication before anything else is read: a request without valid credentials is answered 401 before
 * its body is parsed, so whatever its document says, nothing of the schema is learnt from the answer. What
 * answers before this runs is open by design: health, readiness, metrics, `GET /`, GraphiQL's HTML page (its
 * queries still need credentials) and CORS preflights. Every operation's context then gets its `caller`.
 */
export function useAuth(authenticate: Authenticate): Plugin<{ caller?: Caller }> {
  const callers = requestSlot<Caller>('caller');
  return {
    onRequest(payload) {
      const { request } = payload;
      let caller: Caller | Promise<Caller>;
      try {
        caller = authenticate(request);
      } catch (error) {
        return refuse(payload, error);
      }
      if (!(caller instanceof Promise)) return void callers.set(request, caller);
      return caller.then(
        (known) => void callers.set(request, known),
        (error) => refuse(payload, error),
      );
    },
    onContextBuilding({ context, extendContext }) {
      // A transport that carries many operations on one connection (WebSocket) authenticates the connection
      // once and brings its caller; any other context without one authenticates here.
      const caller = context.caller ?? callers.get(context.request) ?? authenticate(context.request);
      if (caller instanceof Promise) return caller.then((known) => extendContext({ caller: known }));
      extendContext({ caller });
    },
  };
}

/** Answers a request whose credentials failed with the error's status and code; any other error is a bug. */
function refuse({ endResponse, fetchAPI }: Parameters<NonNullable<Plugin['onRequest']>>[0], error: unknown): void {
  if (!(error instanceof GraphQLError)) throw error;
  const code = error.extensions['code'] as ErrorCode;
  const { status, headers } = error.extensions['http'] as { status: number; headers: Record<string, string> };
  endResponse(refusal(fetchAPI, status, code, error.message, headers));
}

/**
 * The authenticator for `config.auth.mode`. In every mode but `forward` the gateway's own nCore key is used;
 * in `forward` each caller's `apikey` header is, and the gateway holds none.
 */
export function createAuthenticator(
  auth: GatewayConfig['auth'],
  gatewayKey: string | undefined,
  logger: Logger,
): Authenticate {
  switch (auth.mode) {
    case 'none': {
      const caller = { subject: undefined, apiKey: gatewayKey ?? '', id: callerId(gatewayKey ?? '', 'anyone') };
      return () => caller;
    }
    case 'bearer': {
      const digests = auth.tokens.map(digest);
      return (request) => {
        const token = bearerToken(request);
        // Compare digests of equal length, against every token, so timing says nothing about any of them.
        const candidate = digest(token);
        const matched = digests.reduce((found, d) => timingSafeEqual(d, candidate) || found, false);
        if (!matched) throw unauthenticated('The bearer token is not valid.');
        const apiKey = gatewayKey ?? '';
        return { subject: undefined, apiKey, id: callerId(apiKey, `token:${candidate.toString('hex')}`) };
      };
    }
    case 'jwt': {
      const key: Uint8Array | JWTVerifyGetKey = auth.jwtSecret
        ? new TextEncoder().encode(auth.jwtSecret)
        : remoteKeySet(new URL(auth.jwksUrl!), logger);
      const algorithms = auth.jwtSecret ? ['HS256'] : ['RS256', 'ES256', 'PS256', 'EdDSA'];
      return async (request) => {
        const token = bearerToken(request);
        const payload = await jwtVerify(token, key as JWTVerifyGetKey, {
          issuer: auth.jwtIssuer,
          audience: auth.jwtAudience,
          algorithms,
          requiredClaims: ['exp'],
          clockTolerance: JWT_CLOCK_TOLERANCE_SECONDS,
          maxTokenAge: auth.jwtMaxAgeSeconds,
        }).then(
          ({ payload }) => payload,
          (error) => {
            // The provider's outage is no verdict on the token: the caller should retry it, not throw it away.
            if (error instanceof KeySetUnavailable) throw keysUnavailable();
            return undefined;
          },
        );
        // jose checks `iat` only against a maximum age; a token issued in the future is refused either way.
        const issuedInFuture = (payload?.iat ?? 0) > Date.now() / 1000 + JWT_CLOCK_TOLERANCE_SECONDS;
        if (!payload || issuedInFuture) {
          throw unauthenticated(
            'The token is not valid: bad signature, wrong issuer or audience, no expiry, expired, or not yet valid.',
          );
        }
        const apiKey = gatewayKey ?? '';
        const principal = payload.sub === undefined ? `token:${digest(token).toString('hex')}` : `sub:${payload.sub}`;
        const expiresAt = acceptedUntil(payload as { exp: number; iat?: number }, auth.jwtMaxAgeSeconds);
        return { subject: payload.sub, apiKey, id: callerId(apiKey, principal), expiresAt };
      };
    }
    case 'forward':
      return (request) => {
        const apiKey = request.headers.get('apikey') ?? '';
        if (!FORWARDED_KEY.test(apiKey))
          throw unauthenticated('An nCore key is required in the apikey header.', 'apikey');
        return { subject: undefined, apiKey, id: callerId(apiKey, 'key') };
      };
  }
}

/**
 * The first moment (epoch ms) `jwtVerify` refuses this token with the options above: at `exp` plus the clock
 * tolerance, or once older than the maximum age plus the tolerance. A connection that outlives its request
 * (a WebSocket) is ended then, so it is never served longer than HTTP would serve the same token.
 */
function acceptedUntil({ exp, iat }: { exp: number; iat?: number }, maxAgeSeconds: number | undefined): number {
  // jose compares whole seconds (`floor(now)`): `exp <= now - tolerance` and `now - iat - tolerance > maxAge`.
  const byExpiry = Math.ceil(exp + JWT_CLOCK_TOLERANCE_SECONDS) * 1000;
  if (maxAgeSeconds === undefined || iat === undefined) return byExpiry;
  return Math.min(byExpiry, (Math.floor(iat + maxAgeSeconds + JWT_CLOCK_TOLERANCE_SECONDS) + 1) * 1000);
}

/** How long a caller is asked to wait when the identity provider's keys cannot be fetched. */
const KEYS_RETRY_AFTER_SECONDS = 5;
/** After a failed fetch, the key set is asked again no sooner than this: with keys fetched before, */
const STALE_KEYS_MS = 30_000;
/** ...and with none, when every request would otherwise wait out a fetch of its own. */
const NO_KEYS_MS = 1_000;

/** Errors about the token itself (its `kid` or `alg`), which a key set that was fetched fine also gives. */
const TOKEN_ERRORS = [errors.JWKSNoMatchingKey, errors.JWKSMultipleMatchingKeys, errors.JOSENotSupported];

/** The identity provider's key set could not be fetched: it timed out, failed, or answered no key set. */
class KeySetUnavailable extends Error {}

/**
 * The JWKS at `url`, fetched and cached by jose (refetched once 10 minutes old, or for a `kid` not seen). When a
 * fetch fails, the gateway does not ask again for a while (30 s, or 1 s while it has no keys at all), so an
 * outage costs neither each request a wait for its own fetch nor the provider a fetch per request. Meanwhile the
 * keys fetched before decide; a token they do not know (keys rotated just before the outage, perhaps) and any
 * token while there are none get AUTH_UNAVAILABLE, not a verdict. The outage is logged once per retry.
 */
function remoteKeySet(url: URL, logger: Logger): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(url);
  let outage: { until: number; known: JWTVerifyGetKey | undefined } | undefined;
  const duringOutage = async (
    known: JWTVerifyGetKey | undefined,
    ...args: Parameters<JWTVerifyGetKey>
  ): Promise<Awaited<ReturnType<JWTVerifyGetKey>>> => {
    if (!known) throw new KeySetUnavailable('no keys were ever fetched');
    try {
      return await known(...args);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey) throw new KeySetUnavailable('a key the stale set does not hold');
      throw error;
    }
  };
  return async (header, token) => {
    if (outage && Date.now() < outage.until) return duringOutage(outage.known, header, token);
    try {
      const key = await remote(header, token);
      outage = undefined;
      return key;
    } catch (error) {
      if (TOKEN_ERRORS.some((kind) => error instanceof kind)) throw error;
      const jwks = remote.jwks();
      const known = jwks && createLocalJWKSet(jwks);
      outage = { until: Date.now() + (known ? STALE_KEYS_MS : NO_KEYS_MS), known };
      // The error's name only: its message may hold the provider's URL or answer.
      logger.warn(
        { error: (error as Error).name, keysKept: Boolean(known) },
        known ? 'JWKS not fetched; the keys fetched before decide' : 'JWKS not fetched; tokens cannot be checked',
      );
      return duringOutage(known, header, token);
    }
  };
}

function keysUnavailable(): GraphQLError {
  return new GraphQLError('The identity provider cannot be reached to check the token; retry shortly.', {
    extensions: {
      code: ErrorCode.AUTH_UNAVAILABLE,
      http: { status: 503, headers: { 'retry-after': String(KEYS_RETRY_AFTER_SECONDS) } },
    },
  });
}

function bearerToken(request: Request): string {
  const header = request.headers.get('authorization') ?? '';
  const match = /^Bearer\s+(\S{1,4096})$/i.exec(header);
  if (!match) throw unauthenticated('A bearer token is required in the Authorization header.');
  return match[1]!;
}

/** A digest of who the caller is, under which nCore key; the key itself never leaves in it. */
function callerId(apiKey: string, principal: string): string {
  return createHash('sha256')
    .update(JSON.stringify([apiKey, principal]))
    .digest('hex');
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function unauthenticated(message: string, scheme = 'Bearer'): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401, headers: { 'www-authenticate': scheme } } },
  });
}
