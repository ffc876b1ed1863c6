/*
description: Bookings, latest version of each (cancellations update them). Rows that reference an unknown
  park or customer, have a negative amount or are cancelled without a date go to silver.bookings__quarantine.
casts: { amount: "DECIMAL(10,2)", session_start: TIMESTAMPTZ, cancelled_at: TIMESTAMPTZ }
checks:
  - { type: unique, column: booking_id }
  - { type: relationships, column: park_id, to: silver.parks, field: park_id, action: drop }
  - { type: relationships, column: customer_id, to: silver.customers, field: customer_id, action: drop }
  - { type: range, column: amount, min: 0, action: drop }
  - { type: expression, name: cancelled_has_date, expression: "status <> 'cancelled' OR cancelled_at IS NOT NULL", action: drop }
  - { type: accepted_values, column: status, values: [confirmed, cancelled, completed] }
  - { type: range, column: participants, min: 1, max: 50, severity: warn }
  - { type: row_count, min: 1 }
*/
select id as booking_id, customer_id, park_id, activity_id, cast(session_start as varchar) as session_start, participants,
       cast(amount as varchar) as amount, status, cast(cancelled_at as varchar) as cancelled_at,
       cast(created_at as timestamptz) as created_at, cast(updated_at as timestamptz) as updated_at
from bronze.bookings
qualify is_latest(id, updated_at)
