import { createHmac, randomUUID } from 'node:crypto';
import { badUserInput, ErrorCode, errorCode, gatewayError } from '../../errors.ts';
import { checkedId } from '../../ncore/client.ts';
import type { Context } from '../../operation/context.ts';
import { wouldBeOwnAncestor } from '../../operation/hierarchy.ts';
import type { MutationResolvers } from '../generated.ts';
import { createBody, updateBody } from '../userInput.ts';

/** Idempotency keys are opaque to the gateway but bounded, so they stay cheap to log and forward. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export const Mutation: MutationResolvers = {
  createUser: async (_, { input, idempotencyKey }, { ncore, loaders, caller }) => {
    if (idempotencyKey != null && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw badUserInput('idempotencyKey must be 1 to 255 printable characters without spaces.', [
        { field: 'idempotencyKey', message: 'must be 1 to 255 printable characters without spaces' },
      ]);
    }
    const body = createBody(input);
    loaders.readThrough();
    // Without a caller's key the gateway makes one, so that its own retries can never create a user twice.
    const key = idempotencyKey == null ? randomUUID() : scopedKey(caller.id, idempotencyKey);
    const user = await ncore.createUser(body, key).catch(async (error: unknown) => {
      if (mayHaveApplied(error)) await loaders.forget({ parents: [body.parent_user_id] });
      throw body.parent_user_id && errorCode(error) === ErrorCode.NOT_FOUND ? missingParent() : error;
    });
    // The new user joins its parent's children pages, on every instance, before this answer is sent.
    await loaders.afterWrite(user, [user.parent_user_id]);
    return user;
  },

  updateUser: async (_, { id, input }, context) => {
    checkedId(id);
    const body = updateBody(input);
    // The checks (a cycle is judged on the hierarchy as nCore has it now) and the answer read nCore itself.
    context.loaders.readThrough();
    if (typeof body.parent_user_id === 'string') await checkNewParent(id, body.parent_user_id, context);
    const user = await context.ncore.updateUser(id, body).catch(async (error: unknown) => {
      if (mayHaveApplied(error)) await context.loaders.forget({ userId: id, parents: 'all' });
      if (errorCode(error) !== ErrorCode.NOT_FOUND) throw error;
      throw gatewayError(ErrorCode.NOT_FOUND, 'No user has that id.', { field: 'id' });
    });
    // The user and its parent's pages (which embed it) go everywhere before this answer is sent. A re-parent or
    // a detach also leaves an old parent the gateway does not know, so every parent's pages go.
    await context.loaders.afterWrite(user, body.parent_user_id === undefined ? [user.parent_user_id] : 'all');
    return user;
  },
};

/**
 * Whether nCore may have applied a write that failed: no answer, or one the gateway could not read. A refusal
 * (input, key, budget, throttling, a conflict, no such user) changed nothing.
 */
function mayHaveApplied(error: unknown): boolean {
  const code = errorCode(error);
  return (
    code === ErrorCode.UPSTREAM_TIMEOUT ||
    code === ErrorCode.UPSTREAM_UNAVAILABLE ||
    code === ErrorCode.UPSTREAM_BAD_RESPONSE ||
    code === undefined
  );
}

/**
 * The key nCore sees for a caller's key: an HMAC of it under the caller's identity, so the same caller
 * retrying gets its first answer back, and two callers who happen to pick the same key never replay each
 * other's writes, whatever nCore scopes its keys by. Stable across processes and restarts (no secret of the
 * gateway's own in it), and opaque: 43 URL-safe characters that say nothing of the key or the caller.
 */
function scopedKey(callerId: string, idempotencyKey: string): string {
  return createHmac('sha256', callerId).update(idempotencyKey).digest('base64url');
}

/** Refuses a new parent that does not exist, or that is the user itself or one of its descendants. */
async function checkNewParent(id: string, parentId: string, { loaders }: Context): Promise<void> {
  const cycle = badUserInput('parentUserId would make the user its own ancestor.', [
    { field: 'parentUserId', message: 'must not be the user itself or one of its descendants' },
  ]);
  if (parentId === id) throw cycle;
  const parent = await loaders.userById.load(parentId);
  if (!parent) throw missingParent();
  if (await wouldBeOwnAncestor(id, parent, loaders)) throw cycle;
}

function missingParent() {
  return gatewayError(ErrorCode.NOT_FOUND, 'The parent user does not exist.', { field: 'parentUserId' });
}
