import type { WireUserInput } from '../contract/types.ts';
import { UUID_PATTERN, validateUserInput } from '../contract/validation.ts';
import { ApiError, NOT_FOUND_MESSAGE } from './errors.ts';
import { parseCursor, parseLimit } from './paging.ts';
import { matchesSearch, parseSearch } from './search.ts';
import { pageJson, userJson } from './serialize.ts';
import type { UserStore } from './store.ts';
import type { Route } from './types.ts';
import { shown, type Webhooks } from './webhooks.ts';

/** What a handler sees of a request that passed routing, authentication and body parsing. */
export interface OperationRequest {
  params: { id?: string };
  query: Record<string, string>;
  body: unknown;
}

/** A successful answer, already serialized; refusals are thrown as {@link ApiError}. */
export interface OperationResult {
  status: number;
  json: string;
}

type Operation = (store: UserStore, request: OperationRequest, webhooks: Webhooks) => OperationResult;

/** The six nCore Users operations and the two webhook ones, by route. */
export const OPERATIONS: Record<Exclude<Route, 'openapi'>, Operation> = {
  createUser(store, { body }, webhooks) {
    const input = validated(body, 'create');
    if (input.parent_user_id && !store.get(input.parent_user_id)) throw parentNotFound();
    const user = store.create(input);
    webhooks.emit('USER_CREATED', user);
    return { status: 201, json: userJson(user) };
  },

  listUsers(store, { query }) {
    return { status: 200, json: pageJson(store.list(parseCursor(query.after), parseLimit(query.limit))) };
  },

  getUser(store, { params }) {
    return { status: 200, json: userJson(existing(store, params.id)) };
  },

  searchUsers(store, { body }) {
    const search = parseSearch(body);
    const page = store.search((user) => matchesSearch(user, search), search.offset, search.limit);
    return { status: 200, json: pageJson(page) };
  },

  listChildren(store, { params, query }) {
    const parent = existing(store, params.id);
    const limit = parseLimit(query.limit);
    return { status: 200, json: pageJson(store.children(parent.id, parseCursor(query.after), limit)) };
  },

  updateUser(store, { params, body }) {
    const user = existing(store, params.id);
    const input = validated(body, 'update');
    const parentId = input.parent_user_id;
    if (parentId) {
      if (!store.get(parentId)) throw parentNotFound();
      if (store.wouldCycle(user.id, parentId)) {
        throw new ApiError(400, 'HIERARCHY_CYCLE', 'A user cannot become its own ancestor', [
          { field: 'parent_user_id', message: 'is this user or one of its descendants' },
        ]);
      }
    }
    return { status: 200, json: userJson(store.update(user.id, input)) };
  },

  registerWebhook(_store, { body }, webhooks) {
    return { status: 201, json: JSON.stringify(shown(webhooks.register(body))) };
  },

  listWebhooks(_store, _request, webhooks) {
    return { status: 200, json: JSON.stringify({ data: webhooks.registrations.map(shown), has_more: false }) };
  },
};

function validated(body: unknown, mode: 'create' | 'update'): WireUserInput {
  const violations = validateUserInput(body, mode);
  if (violations.length > 0) throw new ApiError(400, 'VALIDATION_ERROR', 'Invalid request body', violations);
  return body as WireUserInput;
}

function existing(store: UserStore, id: string | undefined) {
  const user = id !== undefined && UUID_PATTERN.test(id) ? store.get(id) : undefined;
  if (!user) throw new ApiError(404, 'NOT_FOUND', NOT_FOUND_MESSAGE);
  return user;
}

function parentNotFound(): ApiError {
  return new ApiError(404, 'NOT_FOUND', `${NOT_FOUND_MESSAGE}: no user has the given parent_user_id`);
}
