import type { WireUser } from '../contract/types.ts';
import { type CountryInfo, JOBS, REGIONS, type Region } from './names.ts';
import { Random } from './random.ts';
import { canonical } from './store.ts';

/** Shape of a generated forest: `roots` trees, each node with `fanOut` children, `depth` levels in all. */
export interface HierarchyOptions {
  roots: number;
  fanOut: number;
  /** Levels per tree, the root's included: 1 is roots only. */
  depth: number;
  /** PRNG seed; the same options always give the same users. Default 1. */
  seed?: number;
}

interface Pending {
  parent?: WireUser;
  level: number;
  region: Region;
  country: CountryInfo;
  lastName: string;
  birthYear: number;
}

const FIRST_CREATED = Date.UTC(2022, 0, 3, 9, 0, 0, 0);

/**
 * A deterministic forest of realistic users for benchmarks: `roots * (1 + fanOut + ... + fanOut^(depth-1))`
 * users (10 roots, fan-out 10, depth 4 gives 11,110), oldest first so parents precede children.
 */
export function generateHierarchy(options: HierarchyOptions): WireUser[] {
  const { roots, fanOut, depth, seed = 1 } = options;
  for (const [name, value, min] of [
    ['roots', roots, 0],
    ['fanOut', fanOut, 0],
    ['depth', depth, 1],
  ] as const) {
    if (!Number.isInteger(value) || value < min) throw new RangeError(`${name} must be an integer >= ${min}`);
  }
  const random = new Random(seed);
  const thisYear = new Date().getUTCFullYear();
  // Spread generations over about 75 years, whatever the depth, so no one is born in the future.
  const generation = Math.max(1, Math.min(26, Math.floor(75 / Math.max(1, depth - 1))));
  const users: WireUser[] = [];
  for (let r = 0; r < roots; r++) {
    const region = random.pick(REGIONS);
    const stack: Pending[] = [
      {
        level: 0,
        region,
        country: random.pick(region.countries),
        lastName: random.pick(region.last),
        birthYear: Math.min(thisYear - 80, 1930) + random.int(0, 15),
      },
    ];
    // Depth-first with an explicit stack: any depth, and every parent is created before its children.
    while (stack.length > 0) {
      const node = stack.pop()!;
      const user = person(random, node, users.length, Math.min(node.birthYear, thisYear - 1));
      users.push(user);
      if (node.level + 1 >= depth) continue;
      for (let c = 0; c < fanOut; c++) {
        const moved = random.next() < 0.2;
        stack.push({
          parent: user,
          level: node.level + 1,
          region,
          country: moved ? random.pick(region.countries) : node.country,
          lastName: random.next() < 0.8 ? node.lastName : random.pick(region.last),
          birthYear: node.birthYear + generation + random.int(-2, 2),
        });
      }
    }
  }
  return users;
}

function person(random: Random, node: Pending, index: number, birthYear: number): WireUser {
  const female = random.next() < 0.5;
  const first = random.pick(female ? node.region.female : node.region.male);
  const [city, state, postalCode] = random.pick(node.country.cities);
  const adult = new Date().getUTCFullYear() - birthYear >= 18;
  const created = new Date(FIRST_CREATED + index * 60_000).toISOString();
  const user: WireUser = {
    id: random.uuid(),
    user_type: 'INDIVIDUAL',
    title: female ? 'MS' : 'MR',
    first_name: first,
    last_name: node.lastName,
    date_of_birth: `${birthYear}-${pad(random.int(1, 12))}-${pad(random.int(1, 28))}`,
    gender: female ? 'FEMALE' : 'MALE',
    preferred_language: node.country.language,
    place_of_birth: node.country.code,
    nationality: node.country.code,
    country_residence: node.country.code,
    address: {
      address_line1: `${random.int(1, 240)} ${random.pick(node.country.streets)}`,
      city,
      state,
      postal_code: postalCode,
      country: node.country.code,
    },
    status: 'ACTIVE',
    default_user: false,
    director_list: [],
    signature_list: [],
    shareholder_list: [],
    created,
    modified: created,
  };
  if (adult) {
    const [type, title, industry] = random.pick(JOBS);
    const salary = random.int(20, 400) * 100;
    user.email = `${ascii(first)}.${ascii(node.lastName)}.${index}@example.com`;
    user.mobile = node.country.mobile[0] + random.digits(node.country.mobile[1]);
    Object.assign(user, { employment_type: type, employment_title: title, industry_type: industry });
    user.monthly_salary = salary;
    user.expected_monthly_balance = Math.round(salary * 0.3);
  }
  if (node.parent) {
    user.parent_user_id = node.parent.id;
    user.relationship_with_parent = female ? 'DAUGHTER' : 'SON';
  }
  return canonical(user);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function ascii(text: string): string {
  return text
    .normalize('NFD')
    .replace(/ı/g, 'i')
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase();
}
