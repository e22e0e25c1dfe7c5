import type { Readers } from './readers.ts';
import type { AuthMode, GatewayConfig } from './types.ts';

const MODES: readonly AuthMode[] = ['none', 'bearer', 'jwt', 'forward'];

/**
 * Who may call the gateway and with which nCore key: `GATEWAY_AUTH` and what each mode needs. Against a real
 * nCore the mode must be chosen explicitly, since the gateway then holds the tenant's key.
 */
export function authConfig(
  r: Readers,
  baseUrl: string | undefined,
): { auth: GatewayConfig['auth']; apiKey: string | undefined } {
  const { text, problems } = r;
  const url = r.url;
  const int = r.int;
  const rawMode = text('GATEWAY_AUTH');
  let mode: AuthMode = 'none';
  if (rawMode !== undefined && !MODES.includes(rawMode as AuthMode)) {
    problems.push(`GATEWAY_AUTH must be one of ${MODES.join(', ')} (got "${rawMode}")`);
  } else if (rawMode !== undefined) {
    mode = rawMode as AuthMode;
  } else if (baseUrl !== undefined) {
    problems.push(
      'GATEWAY_AUTH must be set explicitly (none, bearer, jwt or forward) when NCORE_BASE_URL points at a real nCore',
    );
  }

  const apiKey = text('NCORE_API_KEY');
  if (baseUrl !== undefined && mode !== 'forward' && apiKey === undefined) {
    problems.push('NCORE_API_KEY is required with NCORE_BASE_URL (unless GATEWAY_AUTH=forward)');
  }
  if (baseUrl === undefined && apiKey !== undefined) {
    problems.push(
      'NCORE_API_KEY is set but NCORE_BASE_URL is not: the embedded simulator has its own key; set NCORE_BASE_URL to call a real nCore',
    );
  }
  if (mode === 'forward' && apiKey !== undefined) {
    problems.push('NCORE_API_KEY must not be set with GATEWAY_AUTH=forward: callers bring their own key');
  }

  const tokens = r.list('GATEWAY_TOKENS');
  if (mode === 'bearer' && tokens.length === 0)
    problems.push('GATEWAY_TOKENS must list at least one token with GATEWAY_AUTH=bearer');
  const jwtSecret = text('JWT_SECRET');
  const jwksUrl = url('JWT_JWKS_URL');
  const jwtIssuer = text('JWT_ISSUER');
  const jwtAudience = text('JWT_AUDIENCE');
  if (mode === 'jwt') {
    if ((jwtSecret === undefined) === (jwksUrl === undefined))
      problems.push('GATEWAY_AUTH=jwt needs exactly one of JWT_SECRET and JWT_JWKS_URL');
    if (jwtSecret !== undefined && jwtSecret.length < 32) problems.push('JWT_SECRET must be at least 32 characters');
    if (jwtIssuer === undefined) problems.push('JWT_ISSUER is required with GATEWAY_AUTH=jwt');
    if (jwtAudience === undefined) problems.push('JWT_AUDIENCE is required with GATEWAY_AUTH=jwt');
  }

  const jwtMaxAge = text('JWT_MAX_AGE') === undefined ? undefined : int('JWT_MAX_AGE', 0, 1, 31 * 24 * 3600);

  return {
    auth: { mode, tokens, jwtSecret, jwksUrl, jwtIssuer, jwtAudience, jwtMaxAgeSeconds: jwtMaxAge },
    apiKey,
  };
}

/**
 * `CORS_ORIGINS`: exact origins only. Anything else (a path, a trailing slash, `*`, `null`) could never match
 * exactly, or would match too much.
 */
export function corsOrigins(r: Readers): string[] {
  const origins = r.list('CORS_ORIGINS');
  for (const origin of origins) {
    if (!isExactOrigin(origin))
      r.problems.push(
        `CORS_ORIGINS must list exact origins such as https://app.example.com (no path, no trailing slash, no *); got "${origin}"`,
      );
  }
  return origins;
}

/** `https://app.example.com` as a browser sends it in `Origin`: a scheme, a host and maybe a port, nothing else. */
function isExactOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}
