/**
 * The records served by the back-office API. Every record has a numeric `id` and ISO 8601 UTC
 * `created_at` / `updated_at` (second precision); amounts are euros as JSON numbers rounded to cents.
 */

export interface BaseRecord {
  readonly id: number;
  readonly created_at: string;
  readonly updated_at: string;
}

export interface Park extends BaseRecord {
  readonly name: string;
  readonly insee_code: string;
  readonly postal_code: string;
  readonly city: string;
  readonly address: string;
  /** The date the park first opened to the public (`YYYY-MM-DD`). */
  readonly opened_on: string;
  /** Riders the park can take at the same time. */
  readonly capacity: number;
}

export const ACTIVITY_KINDS = ['water-ski', 'wakeboard', 'kneeboard', 'wakeskate', 'wakesurf', 'paddle', 'kayak', 'tube'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export interface Activity extends BaseRecord {
  readonly park_id: number;
  readonly name: string;
  readonly kind: ActivityKind;
  readonly duration_minutes: number;
  /** Price per participant. */
  readonly price: number;
  readonly currency: 'EUR';
  /** False once the activity is no longer sold. */
  readonly active: boolean;
}

export interface Customer extends BaseRecord {
  readonly first_name: string;
  readonly last_name: string;
  readonly email: string;
  /** As typed by the customer: `06 12 34 56 78`, `0612345678`, `+33 6 12 34 56 78`, … */
  readonly phone: string;
  readonly birth_date: string;
  readonly address_line: string;
  readonly postal_code: string;
  readonly city: string;
  readonly insee_code: string;
}

export type BookingStatus = 'confirmed' | 'cancelled' | 'completed';

export interface Booking extends BaseRecord {
  readonly customer_id: number;
  readonly park_id: number;
  readonly activity_id: number;
  readonly session_start: string;
  readonly participants: number;
  readonly amount: number;
  readonly currency: 'EUR';
  readonly status: BookingStatus;
  /** Null unless `status` is `cancelled`. */
  readonly cancelled_at: string | null;
}

export type PaymentMethod = 'card' | 'cash' | 'voucher' | 'transfer';

/** A money movement: `kind: 'payment'` has a positive amount, `kind: 'refund'` a negative one. */
export interface Payment extends BaseRecord {
  readonly booking_id: number;
  readonly kind: 'payment' | 'refund';
  readonly amount: number;
  readonly currency: 'EUR';
  readonly method: PaymentMethod;
  readonly paid_at: string;
}

export type CancellationReason = 'customer_request' | 'illness' | 'schedule_change' | 'duplicate_booking' | 'weather';

export interface Cancellation extends BaseRecord {
  readonly booking_id: number;
  readonly cancelled_at: string;
  readonly reason: CancellationReason;
  readonly cancelled_by: 'customer' | 'operator';
  /** What the customer gets back (0 when nothing was paid yet); the refund itself is a payment record. */
  readonly refund_amount: number;
  readonly currency: 'EUR';
}

export interface EntityRecords {
  parks: Park;
  activities: Activity;
  customers: Customer;
  bookings: Booking;
  payments: Payment;
  cancellations: Cancellation;
}

export type EntityName = keyof EntityRecords;

export const ENTITY_NAMES: readonly EntityName[] = ['parks', 'activities', 'customers', 'bookings', 'payments', 'cancellations'];

export function isEntityName(name: string): name is EntityName {
  return (ENTITY_NAMES as readonly string[]).includes(name);
}

/** Euros as a JSON number from integer cents. */
export function euros(cents: number): number {
  return Math.round(cents) / 100;
}
