import { dayOf, isoDateOf, isoTimestamp, parisDayOf, parisTime } from './calendar.ts';
import type { ParkSite } from './catalog.ts';
import { OFFERS, PARK_SITES, PRICE_REVIEW_DAY, SCRIPTED_CHANGES } from './catalog.ts';
import type { SimEvent } from './events.ts';
import { tag, unitHash } from './random.ts';
import type { Activity, Park } from './records.ts';
import { euros } from './records.ts';
import type { World } from './world.ts';

/** A park's capacity, address and offers on a day, with the scripted changes made by then. */
export function siteAsOf(site: ParkSite, day: number): { capacity: number; address: string; offers: string[] } {
  let { capacity, address } = site;
  const offers = [...site.offers];
  for (const change of SCRIPTED_CHANGES) {
    if (change.parkId !== site.id || dayOf(change.on) > day) continue;
    if (change.kind === 'capacity') capacity = change.capacity;
    else if (change.kind === 'address') address = change.address;
    else if (change.kind === 'add-offer') offers.push(change.offer);
    else if (offers.includes(change.offer)) offers.splice(offers.indexOf(change.offer), 1);
  }
  return { capacity, address, offers };
}

/** The day a park's record is created: its `createdOn`, or the first day of the simulation. */
export function creationDay(site: ParkSite, startDay: number): number {
  return Math.max(startDay, site.createdOn ? dayOf(site.createdOn) : startDay);
}

function siteById(parkId: number): ParkSite {
  const site = PARK_SITES.find((s) => s.id === parkId);
  if (!site) throw new Error(`no park site with id ${parkId}`);
  return site;
}

/** Schedules the changes to parks and activities the staff make on `day`. */
export function scheduleDimensionChanges(world: World, day: number, startDay: number, startMs: number): void {
  const at = (minutes: number) => (day === startDay ? startMs : parisTime(day, minutes));
  for (const site of PARK_SITES) {
    const created = creationDay(site, startDay);
    if (created === day) world.schedule({ kind: 'park-created', parkId: site.id, at: at(10 * 60) });
    const activitiesDay = Math.max(created, site.activitiesOn ? dayOf(site.activitiesOn) : created);
    if (activitiesDay === day) world.schedule({ kind: 'offers-added', parkId: site.id, offers: siteAsOf(site, day).offers, at: at(10 * 60 + 5) });
  }
  for (const change of SCRIPTED_CHANGES) {
    const site = siteById(change.parkId);
    if (dayOf(change.on) === day && day > creationDay(site, startDay)) world.schedule({ kind: 'scripted', change, at: parisTime(day, 11 * 60) });
  }
  if (day > startDay && isoDateOf(day).slice(5) === PRICE_REVIEW_DAY) {
    world.schedule({ kind: 'price-review', year: Number(isoDateOf(day).slice(0, 4)), at: parisTime(day, 9 * 60) });
  }
}

type DimensionEvent = Extract<SimEvent, { kind: 'park-created' | 'offers-added' | 'price-review' | 'scripted' }>;

export function applyDimensionEvent(world: World, event: DimensionEvent): void {
  const now = isoTimestamp(event.at);
  switch (event.kind) {
    case 'park-created': {
      const site = siteById(event.parkId);
      const { capacity, address } = siteAsOf(site, parisDayOf(event.at));
      const park: Park = {
        id: site.id, name: site.name, insee_code: site.insee, postal_code: site.postalCode, city: site.city, address,
        opened_on: site.openedOn, capacity, created_at: now, updated_at: now,
      };
      world.write('parks', park, event.at);
      return;
    }
    case 'offers-added':
      for (const key of event.offers) addActivity(world, event.parkId, key, event.at);
      return;
    case 'price-review':
      for (const state of world.activities.values()) {
        if (!state.active) continue;
        const rise = 1.03 + 0.03 * unitHash(world.seed, tag('price'), event.year, state.id);
        state.priceCents = Math.round((state.priceCents * rise) / 50) * 50;
        updateActivity(world, state.id, { price: euros(state.priceCents) }, event.at);
      }
      return;
    case 'scripted': {
      const change = event.change;
      if (change.kind === 'add-offer') return addActivity(world, change.parkId, change.offer, event.at);
      if (change.kind === 'retire') {
        for (const state of world.activities.values()) {
          if (state.parkId !== change.parkId || state.offer.key !== change.offer || !state.active) continue;
          state.active = false;
          updateActivity(world, state.id, { active: false }, event.at);
        }
        return;
      }
      const park = world.logs.parks.get(change.parkId);
      if (!park) throw new Error(`scripted change on ${change.on} targets park ${change.parkId}, which does not exist yet`);
      const patch = change.kind === 'capacity' ? { capacity: change.capacity } : { address: change.address };
      world.write('parks', { ...park, ...patch, updated_at: now }, event.at);
      return;
    }
  }
}

function addActivity(world: World, parkId: number, offerKey: string, at: number): void {
  const offer = OFFERS[offerKey];
  if (!offer) throw new Error(`park ${parkId} sells unknown offer "${offerKey}"`);
  const id = world.nextId('activities');
  world.activities.set(id, { id, parkId, offer, priceCents: offer.priceCents, active: true });
  const now = isoTimestamp(at);
  const activity: Activity = {
    id, park_id: parkId, name: offer.name, kind: offer.kind, duration_minutes: offer.durationMinutes,
    price: euros(offer.priceCents), currency: 'EUR', active: true, created_at: now, updated_at: now,
  };
  world.write('activities', activity, at);
}

function updateActivity(world: World, id: number, patch: Partial<Activity>, at: number): void {
  const current = world.logs.activities.get(id);
  if (!current) throw new Error(`activity ${id} is not in the log`);
  world.write('activities', { ...current, ...patch, updated_at: isoTimestamp(at) }, at);
}
