import type { ActivityKind } from './records.ts';

/** One kind of session a park may sell. */
export interface Offer {
  readonly key: string;
  readonly kind: ActivityKind;
  readonly name: string;
  readonly durationMinutes: number;
  /** Price per participant when the simulation starts (cents). */
  readonly priceCents: number;
  /** How popular it is relative to the park's other offers. */
  readonly popularity: number;
}

export const OFFERS: Readonly<Record<string, Offer>> = Object.fromEntries(
  (
    [
      ['wake-1h', 'wakeboard', 'Wakeboard – téléski 1 h', 60, 2900, 30],
      ['wake-2h', 'wakeboard', 'Wakeboard – forfait 2 h', 120, 4500, 10],
      ['ski-tour', 'water-ski', 'Ski nautique – tour de 15 min', 15, 3500, 15],
      ['ski-lesson', 'water-ski', "Ski nautique – cours d'initiation", 45, 5500, 8],
      ['ski-cable', 'water-ski', 'Ski nautique – téléski 1 h', 60, 2700, 8],
      ['kneeboard', 'kneeboard', 'Kneeboard – session 1 h', 60, 2700, 8],
      ['wakeskate', 'wakeskate', 'Wakeskate – session 1 h', 60, 3000, 4],
      ['wakesurf', 'wakesurf', 'Wakesurf – session 30 min', 30, 4000, 6],
      ['paddle', 'paddle', 'Stand-up paddle – location 1 h', 60, 1500, 12],
      ['kayak', 'kayak', 'Kayak – location 1 h', 60, 1400, 6],
      ['tube', 'tube', 'Bouée tractée – 10 min', 10, 1800, 10],
    ] as const
  ).map(([key, kind, name, durationMinutes, priceCents, popularity]) => [key, { key, kind, name, durationMinutes, priceCents, popularity }]),
);

/** A park of the operator, with what it sells when it joins the back office. */
export interface ParkSite {
  /** Fixed id of the park record. */
  readonly id: number;
  /** Key of its catchment area in geography.ts. */
  readonly key: string;
  readonly name: string;
  readonly insee: string;
  readonly postalCode: string;
  readonly city: string;
  readonly address: string;
  readonly openedOn: string;
  readonly capacity: number;
  readonly offers: readonly string[];
  /** When the park record is created, if after the start of the simulation (`YYYY-MM-DD`). */
  readonly createdOn?: string;
  /** When its activities are put on sale, if after the start of the simulation. */
  readonly activitiesOn?: string;
}

export const PARK_SITES: readonly ParkSite[] = [
  {
    id: 1, key: 'annecy', name: "Lac d'Annecy Ski Nautique", insee: '74010', postalCode: '74000', city: 'Annecy',
    address: '31 rue des Marquisats', openedOn: '2012-05-12', capacity: 90,
    offers: ['ski-tour', 'ski-lesson', 'wake-1h', 'tube', 'paddle'],
  },
  {
    id: 2, key: 'aix-les-bains', name: 'Aix Wake Park – Lac du Bourget', insee: '73008', postalCode: '73100', city: 'Aix-les-Bains',
    address: 'Boulevard Robert Barrier', openedOn: '2015-06-01', capacity: 80,
    offers: ['wake-1h', 'wake-2h', 'kneeboard', 'wakeskate', 'ski-cable', 'paddle'],
  },
  {
    id: 3, key: 'vaires', name: 'Vaires Téléski Nautique', insee: '77479', postalCode: '77360', city: 'Vaires-sur-Marne',
    address: 'Route de Torcy', openedOn: '2019-04-20', capacity: 120,
    offers: ['wake-1h', 'wake-2h', 'kneeboard', 'wakeskate', 'ski-cable', 'kayak'],
  },
  {
    id: 4, key: 'cergy', name: 'Cergy Wake – Île de loisirs', insee: '95127', postalCode: '95000', city: 'Cergy',
    address: 'Rue des Étangs', openedOn: '2010-05-01', capacity: 110,
    offers: ['wake-1h', 'wake-2h', 'kneeboard', 'ski-cable', 'paddle', 'kayak'],
  },
  {
    id: 5, key: 'biscarrosse', name: 'Biscarrosse Glisse', insee: '40046', postalCode: '40600', city: 'Biscarrosse',
    address: 'Chemin de Navarrosse', openedOn: '2008-06-15', capacity: 70,
    offers: ['ski-tour', 'ski-lesson', 'kneeboard', 'tube', 'paddle', 'kayak'],
  },
  {
    id: 6, key: 'serre-poncon', name: 'Serre-Ponçon Nautique', insee: '05164', postalCode: '05160', city: 'Savines-le-Lac',
    address: 'Plage de Savines, RN 94', openedOn: '2016-06-01', capacity: 60,
    offers: ['ski-tour', 'wake-1h', 'tube', 'paddle', 'kayak'],
  },
  {
    id: 7, key: 'gerardmer', name: 'Gérardmer Ski Nautique', insee: '88196', postalCode: '88400', city: 'Gérardmer',
    address: 'Chemin de la Droite du Lac', openedOn: '2013-06-01', capacity: 50,
    offers: ['ski-tour', 'ski-lesson', 'tube', 'paddle'],
  },
  {
    id: 8, key: 'miribel-jonage', name: 'Miribel Wake – Grand Parc', insee: '69256', postalCode: '69120', city: 'Vaulx-en-Velin',
    address: 'Chemin de la Bletta', openedOn: '2023-05-01', capacity: 100, createdOn: '2023-02-15', activitiesOn: '2023-04-20',
    offers: ['wake-1h', 'wake-2h', 'kneeboard', 'wakeskate', 'paddle'],
  },
];

/** A change to parks or activities made by the back-office staff on a given date (Paris 10:00). */
export type ScriptedChange =
  | { readonly on: string; readonly kind: 'capacity'; readonly parkId: number; readonly capacity: number }
  | { readonly on: string; readonly kind: 'address'; readonly parkId: number; readonly address: string }
  | { readonly on: string; readonly kind: 'retire'; readonly parkId: number; readonly offer: string }
  | { readonly on: string; readonly kind: 'add-offer'; readonly parkId: number; readonly offer: string };

export const SCRIPTED_CHANGES: readonly ScriptedChange[] = [
  { on: '2024-01-15', kind: 'retire', parkId: 5, offer: 'kneeboard' },
  { on: '2024-03-01', kind: 'capacity', parkId: 3, capacity: 160 },
  { on: '2024-04-10', kind: 'add-offer', parkId: 1, offer: 'wakesurf' },
  { on: '2024-04-10', kind: 'add-offer', parkId: 6, offer: 'wakesurf' },
  { on: '2025-03-20', kind: 'address', parkId: 7, address: '2 chemin de la Droite du Lac' },
  { on: '2025-04-01', kind: 'capacity', parkId: 8, capacity: 130 },
];

/** Prices of all activities on sale rise on this day of each year (`MM-DD`), by 3 to 6 %. */
export const PRICE_REVIEW_DAY = '02-01';
