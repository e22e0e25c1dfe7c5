import type { WirePage, WireSearch, WireUser, WireUserInput } from '../contract/types.ts';
import { UUID_PATTERN } from '../contract/validation.ts';
import { badUserInput, ErrorCode, errorCode, gatewayError } from '../errors.ts';
import { badResponse } from './errors.ts';
import type { CallScope, CallSpec, Upstream } from './http.ts';

/** Whether `id` has the shape of an nCore user id (a UUID); anything else never reaches a URL. */
export function isUserId(id: string): boolean {
  return UUID_PATTERN.test(id);
}

/** Paging as nCore takes it; the cursor is nCore's own and passed through untouched. */
export interface PageArgs {
  limit?: number;
  after?: string;
}

/**
 * One caller's view of nCore: a method per endpoint, over the process-wide Upstream, under this request's
 * key, deadline and call budget. Answers are checked for the contract's shape before anyone reads them.
 */
export class NcoreClient {
  /** nCore calls this request has made so far (retries not counted). */
  calls = 0;

  constructor(
    private readonly upstream: Upstream,
    private readonly scope: CallScope,
    /** Most calls this request may make; the next one fails with QUERY_TOO_COMPLEX. */
    readonly budget: number,
  ) {}

  /**
   * How long (ms) this request's calls waited for turns of its tenant's call rate: the time during which any of
   * them waited, not the sum of their waits; undefined when no call took a turn (no governor, or no call made).
   */
  get rateWaitMs(): number | undefined {
    return this.scope.turns?.waitedMs;
  }

  /** `GET /users/{id}`; null when nCore has no such user. */
  async getUser(id: string): Promise<WireUser | null> {
    if (!isUserId(id)) return null;
    try {
      return user(await this.#send({ route: 'getUser', method: 'GET', path: `/users/${id}`, retrySafe: true }));
    } catch (error) {
      if (errorCode(error) === ErrorCode.NOT_FOUND) return null;
      throw error;
    }
  }

  /** `GET /users`, newest first. */
  async listUsers(page: PageArgs): Promise<WirePage<WireUser>> {
    return userPage(
      await this.#send({ route: 'listUsers', method: 'GET', path: '/users', query: { ...page }, retrySafe: true }),
    );
  }

  /** `POST /users:search`; a read, so safe to retry. */
  async searchUsers(filter: Omit<WireSearch, 'limit' | 'after'>, page: PageArgs): Promise<WirePage<WireUser>> {
    const body = { ...filter, ...page };
    return userPage(
      await this.#send({ route: 'searchUsers', method: 'POST', path: '/users:search', body, retrySafe: true }),
    );
  }

  /** `GET /users/{id}:getLinkedRelationships`: the direct children of a user. */
  async listChildren(id: string, page: PageArgs): Promise<WirePage<WireUser>> {
    // The id comes from nCore's own data, so a malformed one is nCore's fault, not the caller's.
    if (!isUserId(id)) throw badResponse('a user id that is not a UUID');
    const path = `/users/${id}:getLinkedRelationships`;
    return userPage(
      await this.#send({ route: 'listChildren', method: 'GET', path, query: { ...page }, retrySafe: true }),
    );
  }

  /** `POST /users` under an idempotency key, which is what makes retrying it safe. */
  async createUser(body: WireUserInput, idempotencyKey: string): Promise<WireUser> {
    const headers = { 'x-nymos-idempotency-key': idempotencyKey };
    return user(
      await this.#send({ route: 'createUser', method: 'POST', path: '/users', body, headers, retrySafe: true }),
    );
  }

  /** `PUT /users/{id}` with only the fields to change. */
  async updateUser(id: string, body: WireUserInput): Promise<WireUser> {
    return user(
      await this.#send({ route: 'updateUser', method: 'PUT', path: `/users/${checkedId(id)}`, body, retrySafe: true }),
    );
  }

  #send(spec: CallSpec): Promise<unknown> {
    if (this.calls >= this.budget) {
      throw gatewayError(
        ErrorCode.QUERY_TOO_COMPLEX,
        `This operation needs more than ${this.budget} nCore calls, the limit per operation.`,
        {
          limit: 'upstreamCallBudget',
          max: this.budget,
        },
      );
    }
    this.calls += 1;
    return this.upstream.call(this.scope, spec);
  }
}

/** `id` if it is a user id; otherwise BAD_USER_INPUT naming the argument, so nothing odd reaches a URL. */
export function checkedId(id: string): string {
  if (!isUserId(id)) throw badUserInput('id must be a user id (a UUID).', [{ field: 'id', message: 'must be a UUID' }]);
  return id;
}

function isUser(value: unknown): value is WireUser {
  const v = value as Partial<WireUser> | null;
  return typeof v === 'object' && v !== null && typeof v.id === 'string' && typeof v.first_name === 'string';
}

function user(value: unknown): WireUser {
  if (!isUser(value)) throw badResponse('a user without an id or first name');
  return value;
}

function userPage(value: unknown): WirePage<WireUser> {
  const v = value as Partial<WirePage<unknown>> | null;
  if (typeof v !== 'object' || v === null || !Array.isArray(v.data) || typeof v.has_more !== 'boolean') {
    throw badResponse('a list without data or has_more');
  }
  if (!v.data.every(isUser)) throw badResponse('a list holding something that is not a user');
  if (v.after !== undefined && typeof v.after !== 'string') throw badResponse('a list cursor that is not a string');
  if (v.has_more && v.after === undefined) throw badResponse('a list that has more but no cursor');
  return v as WirePage<WireUser>;
}
