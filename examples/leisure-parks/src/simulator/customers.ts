import { DAY_MS, isoDateOf, isoTimestamp, parisDayOf } from './calendar.ts';
import { PARK_SITES } from './catalog.ts';
import type { Commune } from './geography.ts';
import { CATCHMENTS, VISITOR_ORIGINS } from './geography.ts';
import type { Person } from './people.ts';
import { makeAddress, makeEmail, makePerson, makePhone } from './people.ts';
import type { Rng } from './random.ts';
import type { Customer } from './records.ts';
import type { World } from './world.ts';

/** Share of new accounts opened by someone who already has one (same name and birth date, new e-mail). */
const DUPLICATE_ACCOUNT_SHARE = 0.015;
/** Share of customers who later change their phone, e-mail or address. */
const PROFILE_CHANGE_SHARE = 0.04;

function homeCommune(rng: Rng, parkId: number): Commune {
  const site = PARK_SITES.find((s) => s.id === parkId);
  const local = site ? CATCHMENTS[site.key] : undefined;
  const pool = local && rng.chance(0.75) ? local : VISITOR_ORIGINS;
  return rng.weighted(pool, (c) => c.weight);
}

/** An e-mail no other account uses (the back office refuses duplicates, case-insensitively). */
function freshEmail(world: World, rng: Rng, person: Person): string {
  let email = makeEmail(rng, person);
  for (let attempt = 1; world.emails.has(email.toLowerCase()); attempt++) {
    // After a few fresh tries, add digits as people do when their address is taken.
    email = attempt < 4 ? makeEmail(rng, person) : email.replace('@', `${rng.int(0, 9)}@`);
  }
  world.emails.add(email.toLowerCase());
  return email;
}

/** Creates the account of someone booking at `parkId`; returns its id. */
export function createCustomer(world: World, rng: Rng, parkId: number, at: number): number {
  const commune = homeCommune(rng, parkId);
  const existing = world.logs.customers.size;
  let person = makePerson(rng, isoDateOf(parisDayOf(at)));
  if (existing > 50 && rng.chance(DUPLICATE_ACCOUNT_SHARE)) {
    const twin = world.logs.customers.get(rng.int(1, existing));
    if (twin) person = { firstName: twin.first_name, lastName: twin.last_name, birthDate: twin.birth_date };
  }
  const address = makeAddress(rng, commune);
  const now = isoTimestamp(at);
  const customer: Customer = {
    id: world.nextId('customers'),
    first_name: person.firstName,
    last_name: person.lastName,
    email: freshEmail(world, rng, person),
    phone: makePhone(rng, commune.insee),
    birth_date: person.birthDate,
    address_line: address.line,
    postal_code: address.postalCode,
    city: address.city,
    insee_code: address.insee,
    created_at: now,
    updated_at: now,
  };
  world.write('customers', customer, at);
  if (rng.chance(PROFILE_CHANGE_SHARE)) {
    const later = at + rng.int(20, 500) * DAY_MS + rng.int(0, 36_000) * 1000;
    world.schedule({ kind: 'customer-update', customerId: customer.id, seed: rng.int(0, 0xffffffff), at: later });
  }
  return customer.id;
}

/** A customer edits their profile: a new phone number, a new e-mail or a move. */
export function updateCustomer(world: World, rng: Rng, customerId: number, at: number): void {
  const current = world.logs.customers.get(customerId);
  if (!current) throw new Error(`customer ${customerId} is not in the log`);
  const person: Person = { firstName: current.first_name, lastName: current.last_name, birthDate: current.birth_date };
  const change = rng.next();
  let patch: Partial<Customer>;
  if (change < 0.4) {
    patch = { phone: makePhone(rng, current.insee_code) };
  } else if (change < 0.65) {
    patch = { email: freshEmail(world, rng, person) };
  } else {
    const sameTown = VISITOR_ORIGINS.concat(...Object.values(CATCHMENTS)).find((c) => c.insee === current.insee_code);
    const commune = sameTown && rng.chance(0.5) ? sameTown : rng.weighted(VISITOR_ORIGINS, (c) => c.weight);
    const address = makeAddress(rng, commune);
    patch = { address_line: address.line, postal_code: address.postalCode, city: address.city, insee_code: address.insee };
  }
  world.write('customers', { ...current, ...patch, updated_at: isoTimestamp(at) }, at);
}
