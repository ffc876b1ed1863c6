/*
description: Payments and refunds (negative), latest version of each.
casts: { amount: "DECIMAL(10,2)", paid_at: TIMESTAMPTZ }
checks:
  - { type: unique, column: payment_id }
  - { type: accepted_values, column: kind, values: [payment, refund] }
  - { type: expression, name: sign_matches_kind, expression: "(kind = 'payment' AND amount >= 0) OR (kind = 'refund' AND amount <= 0)", action: drop }
  - { type: relationships, column: booking_id, to: silver.bookings, field: booking_id, severity: warn }
*/
select id as payment_id, booking_id, kind, cast(amount as varchar) as amount, method, cast(paid_at as varchar) as paid_at,
       cast(updated_at as timestamptz) as updated_at
from bronze.payments
qualify is_latest(id, updated_at)
