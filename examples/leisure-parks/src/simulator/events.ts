import type { ScriptedChange } from './catalog.ts';
import type { Scheduled } from './event-queue.ts';
import type { CancellationReason, PaymentMethod } from './records.ts';

/**
 * Everything that happens in the back office, scheduled ahead and applied in (at, seq) order. `seed`
 * fields carry the randomness of what the event does, so the outcome does not depend on when the
 * event was scheduled.
 */
export type SimEvent = Scheduled &
  (
    | { readonly kind: 'park-created'; readonly parkId: number }
    | { readonly kind: 'offers-added'; readonly parkId: number; readonly offers: readonly string[] }
    | { readonly kind: 'price-review'; readonly year: number }
    | { readonly kind: 'scripted'; readonly change: ScriptedChange }
    /** Someone opens the booking page: signs up or logs in, then books (`booking`). */
    | { readonly kind: 'demand'; readonly parkId: number; readonly sessionStart: number; readonly seed: number }
    | { readonly kind: 'booking'; readonly parkId: number; readonly sessionStart: number; readonly customerId: number; readonly seed: number }
    | { readonly kind: 'payment'; readonly bookingId: number; readonly method: PaymentMethod }
    | { readonly kind: 'cancel'; readonly bookingId: number; readonly reason: CancellationReason }
    | { readonly kind: 'complete'; readonly bookingId: number }
    | { readonly kind: 'refund'; readonly bookingId: number; readonly cents: number; readonly method: PaymentMethod }
    | { readonly kind: 'customer-update'; readonly customerId: number; readonly seed: number }
  );

/** An event before the queue gives it its `seq`. */
export type NewEvent = SimEvent extends infer E ? (E extends SimEvent ? Omit<E, 'seq'> : never) : never;
