import { toWire, wireToGraphQLPath } from '../contract/naming.ts';
import type { WireUserInput } from '../contract/types.ts';
import { validateUserInput } from '../contract/validation.ts';
import { badUserInput, type FieldViolation } from '../errors.ts';
import type { CreateUserInput, UpdateUserInput } from './generated.ts';

/** The input of `createUser` as an nCore body; every rule checked first, so invalid input sends nothing. */
export function createBody(input: CreateUserInput): WireUserInput {
  const nulls = nullFields(input, []);
  return checked(toWire(input as Record<string, unknown>), 'create', nulls);
}

/**
 * The input of `updateUser` as a partial nCore body: only the fields given. `parentUserId: null` is the one
 * null that means something (detach); any other null is refused rather than silently dropped.
 */
export function updateBody(input: UpdateUserInput): WireUserInput {
  const nulls = nullFields(input, ['parentUserId']);
  const body = toWire(input as Record<string, unknown>);
  if (Object.keys(body).length === 0) throw badUserInput('input must change at least one field.');
  return checked(body, 'update', nulls);
}

function checked(body: Record<string, unknown>, mode: 'create' | 'update', nulls: FieldViolation[]): WireUserInput {
  const violations = [
    ...nulls,
    ...validateUserInput(body, mode)
      .map(({ field, message }) => ({ field: wireToGraphQLPath(field), message }))
      .filter((v) => !nulls.some((n) => n.field === v.field)),
  ];
  if (violations.length)
    throw badUserInput(
      `The input has ${violations.length} invalid field${violations.length > 1 ? 's' : ''}.`,
      violations,
    );
  return body as WireUserInput;
}

function nullFields(input: object, nullable: readonly string[], prefix = ''): FieldViolation[] {
  const found: FieldViolation[] = [];
  for (const [key, value] of Object.entries(input)) {
    const path = prefix + key;
    if (value === null && !nullable.includes(path))
      found.push({ field: path, message: 'may not be null; leave it out to keep its value' });
    else if (typeof value === 'object' && value !== null) found.push(...nullFields(value, nullable, `${path}.`));
  }
  return found;
}
