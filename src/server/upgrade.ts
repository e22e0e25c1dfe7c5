import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/** Why an upgrade is refused before any WebSocket exists: the status and a line a person can read. */
export interface UpgradeRefusal {
  status: 400 | 403;
  message: string;
}

/**
 * A host as RFC 3986 writes one (a name or IPv4 address, or an IPv6 literal in brackets), with an optional port.
 * Nothing that would move the rest of a URL: no space, `/`, `?`, `#` or `@`.
 */
const HOST = /^(?:[A-Za-z0-9._~!$&'()*+,;=%-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The request's own origin, as the `Host` header names it, or undefined when that is no valid host. Operations
 * on the socket get their Request URL from it, so a host that would not make one is refused at the upgrade.
 */
export function hostOf(req: IncomingMessage): string | undefined {
  const host = req.headers.host;
  if (host === undefined || !HOST.test(host) || !URL.canParse(`http://${host}/`)) return undefined;
  return host;
}

/**
 * Whether a browser page may open a WebSocket here. A socket carries no CORS check: a page on any site can open
 * one, and with `GATEWAY_AUTH=none` read everything. So an upgrade that carries an `Origin` (every browser's
 * does) needs that origin in `CORS_ORIGINS`, or the gateway's own host (its GraphiQL page, or its proxy's `https`).
 * Clients that send no `Origin` (servers, CLIs) are not browsers riding on a visitor, and pass.
 */
function originAllowed(origin: string | undefined, host: string, allowed: readonly string[]): boolean {
  if (origin === undefined || allowed.includes(origin)) return true;
  if (!URL.canParse(origin)) return false;
  const { protocol, host: originHost } = new URL(origin);
  if (protocol !== 'http:' && protocol !== 'https:') return false;
  // Parsed with the origin's scheme, so a default port is dropped from both alike.
  return new URL(`${protocol}//${host}`).host === originHost;
}

/** What refuses this upgrade, if anything. Header values never appear in the message: they are the caller's. */
export function upgradeRefusal(req: IncomingMessage, corsOrigins: readonly string[]): UpgradeRefusal | undefined {
  const host = hostOf(req);
  if (host === undefined) return { status: 400, message: 'The Host header is missing or is not a valid host.' };
  if (!originAllowed(req.headers.origin, host, corsOrigins))
    return { status: 403, message: 'Pages from this origin may not open a WebSocket here.' };
  return undefined;
}

/** Answers an upgrade with a plain HTTP refusal and closes the connection: no WebSocket is made. */
export function refuseUpgrade(socket: Duplex, { status, message }: UpgradeRefusal): void {
  // Node removed its own error handler when it handed the socket over: a peer gone mid-write must not crash it.
  socket.on('error', () => socket.destroy());
  const body = `${message}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      'connection: close\r\n' +
      'content-type: text/plain; charset=utf-8\r\n' +
      `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    () => socket.destroy(),
  );
}
