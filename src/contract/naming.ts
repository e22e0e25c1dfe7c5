import { isPlainObject } from './validation.ts';

/**
 * The one bridge between GraphQL's camelCase and nCore's snake_case. The rule is mechanical
 * (`dateOfBirth` <-> `date_of_birth`, `addressLine1` <-> `address_line1`), so it is computed, not listed:
 * a field added to both the schema and the wire type needs no code here.
 */

/** `date_of_birth` -> `dateOfBirth`. */
export function snakeToCamel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `dateOfBirth` -> `date_of_birth`. */
export function camelToSnake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** A dotted wire path as the GraphQL input names it: `address.postal_code` -> `address.postalCode`. */
export function wireToGraphQLPath(path: string): string {
  return path.split('.').map(snakeToCamel).join('.');
}

/**
 * A GraphQL input object as an nCore body: keys to snake_case, nested objects too. Keys whose value is
 * `undefined` (not given) are left out, so a PUT carries only what the caller set; `null` is kept.
 */
export function toWire(input: Record<string, unknown>): Record<string, unknown> {
  const wire: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    wire[camelToSnake(key)] = isPlainObject(value) ? toWire(value) : value;
  }
  return wire;
}
