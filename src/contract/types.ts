/**
 * nCore Users wire types, snake_case exactly as they travel (see the nCore Users REST contract).
 * Enum-like fields are plain strings on purpose: the upstream may add values at any time, and the
 * gateway must survive them (the GraphQL layer decides what an unknown value costs).
 */

/** The statuses nCore gives users. */
export const USER_STATUSES = [
  'ACTIVE',
  'INACTIVE',
  'PENDINGKYC',
  'PENDINGIDVERIFICATION',
  'SUSPENDED',
  'TERMINATED',
] as const;

export const USER_TYPES = [
  'INDIVIDUAL',
  'BUSINESS',
  'DIRECTOR',
  'SIGNATURE',
  'SHAREHOLDER',
  'SHAREHOLDER_BUSINESS',
] as const;

export const GENDERS = ['MALE', 'FEMALE'] as const;

/** A postal address: `address` and `company_address`. */
export interface WireAddress {
  address_line1?: string;
  address_line2?: string;
  city?: string;
  state?: string;
  postal_code?: string;
  country?: string;
}

/** The fields a client may set on `POST /users` and `PUT /users/{id}`. */
export interface WireUserInput {
  user_type?: string;
  title?: string;
  first_name?: string;
  middle_name?: string;
  last_name?: string;
  native_name?: string;
  date_of_birth?: string;
  email?: string;
  mobile?: string;
  phone_number?: string;
  gender?: string;
  preferred_language?: string;
  place_of_birth?: string;
  nationality?: string;
  country_residence?: string;
  country_tax_residence?: string;
  company_country?: string;
  address?: WireAddress;
  company_address?: WireAddress;
  employment_type?: string;
  employment_title?: string;
  company_name?: string;
  industry_type?: string;
  monthly_salary?: number;
  expected_monthly_balance?: number;
  /** On PUT, `null` detaches the user from its parent. */
  parent_user_id?: string | null;
  relationship_with_parent?: string;
}

/** A user as nCore returns it. Unset fields are absent, never `null`. */
export interface WireUser extends Omit<WireUserInput, 'parent_user_id'> {
  id: string;
  created: string;
  modified: string;
  status: string;
  status_reason_code?: string;
  default_user?: boolean;
  director_list?: string[];
  signature_list?: string[];
  shareholder_list?: string[];
  first_name: string;
  parent_user_id?: string;
}

/** Every list answer: users, search and children. `after` is absent on the last page. */
export interface WirePage<T> {
  data: T[];
  has_more: boolean;
  after?: string;
}

/** The search body of `POST /users:search`. */
export interface WireSearch {
  name?: string;
  email?: string;
  mobile?: string;
  limit?: number | string;
  after?: string;
}

/** The error body nCore answers (assumed shape; the gateway copes with others too). */
export interface WireError {
  error: {
    code: string;
    message: string;
    fields?: { field: string; message: string }[];
  };
}

/**
 * The user event types nCore's webhooks carry; nCore also sends types for cards, accounts and transactions,
 * which a user-events receiver ignores.
 */
export const USER_EVENT_TYPES = [
  'USER_CREATED',
  'USER_STATUS_CHANGE',
  'KYC_RESULT',
  'USER_DOCUMENT_ALERT',
  'IDENTITY_VERIFICATION',
] as const;
export type UserEventType = (typeof USER_EVENT_TYPES)[number];

/**
 * One user event as the gateway reads it from nCore's webhook, whichever variation of the payload it arrived
 * in (events/payload.ts), and as it travels between instances: plain JSON.
 */
export interface UserEventRecord {
  /** nCore's event token, or a digest of the body when nCore sent none: the key that de-duplicates. */
  readonly id: string;
  readonly type: UserEventType;
  /** ISO-8601 in UTC, or null when nCore gave no readable time. */
  readonly occurredAt: string | null;
  /** A user id (a UUID, lower case). */
  readonly userId: string;
  readonly previousStatus: string | null;
  readonly status: string | null;
  /** The user the event carried, when it carried one with the event's id. */
  readonly user: WireUser | null;
}
