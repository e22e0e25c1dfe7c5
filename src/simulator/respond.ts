import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ApiError, errorBodyForStatus } from './errors.ts';
import { htmlPage, MALFORMED_BODY, STALL_BODY } from './faults.ts';
import type { Fault, LoggedRequest } from './types.ts';

const JSON_TYPE = 'application/json; charset=utf-8';

/** Sends a complete answer and records its status in the log entry. */
export function send(
  res: ServerResponse,
  entry: LoggedRequest,
  status: number,
  body: string,
  headers: Record<string, string | number> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  entry.status = status;
  res.writeHead(status, {
    ...(body.length > 0 ? { 'content-type': JSON_TYPE } : {}),
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

/** Sends a value as JSON. */
export function sendJson(res: ServerResponse, entry: LoggedRequest, status: number, value: unknown): void {
  send(res, entry, status, JSON.stringify(value));
}

/** Sends an {@link ApiError} with the contract's error body. */
export function sendError(res: ServerResponse, entry: LoggedRequest, error: ApiError): void {
  send(res, entry, error.status, JSON.stringify(error.toBody()), error.headers);
}

/** Carries out every fault but `latency` (which only delays the normal answer). */
export function sendFault(req: IncomingMessage, res: ServerResponse, entry: LoggedRequest, fault: Fault): void {
  switch (fault.kind) {
    case 'status': {
      const headers: Record<string, string> = {};
      if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
      const body = fault.body ?? 'json';
      if (body === 'json') send(res, entry, fault.status, JSON.stringify(errorBodyForStatus(fault.status)), headers);
      else if (body === 'empty') send(res, entry, fault.status, '', headers);
      else if (body === 'html') {
        send(res, entry, fault.status, htmlPage(fault.status), {
          ...headers,
          'content-type': 'text/html; charset=utf-8',
        });
      } else {
        const contentType = body.contentType ?? 'application/json';
        send(res, entry, fault.status, body.raw, { ...headers, 'content-type': contentType });
      }
      return;
    }
    case 'malformed':
      send(res, entry, 200, MALFORMED_BODY);
      return;
    case 'drop':
      req.socket.destroy();
      return;
    case 'hang':
      return;
    case 'cut': {
      entry.status = 200;
      res.writeHead(200, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(STALL_BODY) });
      res.write(STALL_BODY.slice(0, Math.floor(STALL_BODY.length / 2)), () => req.socket.destroy());
      return;
    }
    case 'stall': {
      entry.status = 200;
      res.writeHead(200, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(STALL_BODY) });
      res.write(STALL_BODY.slice(0, Math.floor(STALL_BODY.length / 2)));
      return;
    }
    case 'latency':
      return;
  }
}
