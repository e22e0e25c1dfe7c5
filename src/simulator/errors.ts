import type { WireError } from '../contract/types.ts';
import type { FieldViolation } from '../contract/validation.ts';

/** The message the contract gives for a missing resource. */
export const NOT_FOUND_MESSAGE = 'Resource Not Exist';

/** A refusal that becomes an HTTP answer with the contract's error body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldViolation[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  /** The JSON body: `{"error": {"code", "message", "fields"?}}`. */
  toBody(): WireError {
    return errorBody(this.code, this.message, this.fields);
  }
}

/** Builds the contract's error body; `fields` only when given (validation). */
export function errorBody(code: string, message: string, fields?: FieldViolation[]): WireError {
  return fields ? { error: { code, message, fields } } : { error: { code, message } };
}

// Codes and texts for statuses the simulator only produces on demand (status faults).
const STATUS_TEXT: Record<number, [code: string, message: string]> = {
  400: ['BAD_REQUEST', 'Bad Request'],
  401: ['UNAUTHORIZED', 'Missing or invalid API key'],
  403: ['FORBIDDEN', 'Forbidden'],
  404: ['NOT_FOUND', NOT_FOUND_MESSAGE],
  408: ['REQUEST_TIMEOUT', 'Request Timeout'],
  409: ['DUPLICATE_REQUEST', 'Duplicate Request'],
  429: ['TOO_MANY_REQUESTS', 'Request Attempt Exceed'],
  500: ['INTERNAL_ERROR', 'Internal Server Error'],
  502: ['BAD_GATEWAY', 'Bad Gateway'],
  503: ['SERVICE_UNAVAILABLE', 'Service Unavailable'],
  504: ['GATEWAY_TIMEOUT', 'Gateway Timeout'],
};

/** The contract-shaped error body for any status, e.g. 429 -> TOO_MANY_REQUESTS "Request Attempt Exceed". */
export function errorBodyForStatus(status: number): WireError {
  const [code, message] = STATUS_TEXT[status] ?? [`HTTP_${status}`, `HTTP ${status}`];
  return errorBody(code, message);
}
