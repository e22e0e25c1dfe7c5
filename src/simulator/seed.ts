import type { WireUser } from '../contract/types.ts';
import { GULF_HORIZON, KHALID, PEOPLE, type PersonSpec } from './seed-data.ts';
import { canonical } from './store.ts';

/**
 * Khalid Saeed Al Mansouri, the demo patriarch: spouse, three children, grandchildren and
 * great-grandchildren (four levels). GraphiQL's example query starts here.
 */
export const DEMO_ROOT_ID = KHALID;

/** The demo business, Gulf Horizon Trading LLC; its DIRECTOR users are its children. */
export const DEMO_BUSINESS_ID = GULF_HORIZON;

// Demo records were created a few days apart from this instant, in the order of PEOPLE.
const FIRST_CREATED = Date.UTC(2023, 0, 9, 8, 0, 0, 0);
const DAY = 86_400_000;

/**
 * The demo hierarchy: about fifty people in families from the Gulf, South Asia, East Asia, Africa,
 * Latin America and Europe, plus a business with its directors. Deterministic: fixed ids and times.
 * Oldest first, so parents precede their children.
 */
export function demoSeed(): WireUser[] {
  const directors = PEOPLE.filter((p) => p.type === 'DIRECTOR' && p.parent === GULF_HORIZON).map((p) => p.id);
  return PEOPLE.map((spec, index) => {
    const user = expand(spec, index);
    if (spec.id === GULF_HORIZON) user.director_list = directors;
    return user;
  });
}

function expand(spec: PersonSpec, index: number): WireUser {
  const created = FIRST_CREATED + index * 3 * DAY + ((index * 37) % 600) * 60_000;
  const [address_line1, address_line2, city, state, postal_code, country] = spec.home;
  const address = { address_line1, ...(address_line2 ? { address_line2 } : {}), city, state, postal_code, country };
  const isBusiness = spec.type === 'BUSINESS';
  const user: WireUser = {
    id: spec.id,
    user_type: spec.type ?? 'INDIVIDUAL',
    title: spec.title ?? (spec.gender === 'MALE' ? 'MR' : spec.gender === 'FEMALE' ? 'MS' : undefined),
    first_name: spec.first,
    middle_name: spec.middle,
    last_name: spec.last,
    native_name: spec.native,
    date_of_birth: spec.dob,
    email: spec.email === false ? undefined : (spec.email ?? emailOf(spec)),
    mobile: spec.mobile,
    phone_number: spec.phone,
    gender: spec.gender,
    preferred_language: spec.lang,
    place_of_birth: isBusiness ? undefined : spec.nat,
    nationality: isBusiness ? undefined : spec.nat,
    country_residence: isBusiness ? undefined : country,
    country_tax_residence: country,
    company_country: isBusiness ? spec.nat : undefined,
    address: isBusiness ? undefined : address,
    company_address: isBusiness ? address : undefined,
    company_name: isBusiness ? spec.first : spec.job?.[2],
    industry_type: isBusiness ? 'I09' : spec.job?.[3],
    parent_user_id: spec.parent,
    relationship_with_parent: spec.rel,
    status: spec.status?.[0] ?? 'ACTIVE',
    status_reason_code: spec.status?.[1],
    default_user: false,
    director_list: [],
    signature_list: [],
    shareholder_list: [],
    created: new Date(created).toISOString(),
    modified: new Date(created + (spec.touched ?? 0) * DAY).toISOString(),
  };
  if (spec.job) {
    const [employment_type, employment_title, , , salary] = spec.job;
    Object.assign(user, { employment_type, employment_title, monthly_salary: salary });
    user.expected_monthly_balance = Math.round(salary * 0.4);
  }
  return canonical(user);
}

// "Hernández López" -> "hernandezlopez": the ASCII local part a mail provider would give out.
function emailOf(spec: PersonSpec): string {
  const ascii = (text = '') =>
    text
      .normalize('NFD')
      .replace(/ı/g, 'i')
      .replace(/[^A-Za-z0-9]/g, '')
      .toLowerCase();
  return `${ascii(spec.first)}.${ascii(spec.last)}@example.com`;
}
