/*
description: Activities sold by each park, latest version.
casts: { price: "DECIMAL(10,2)" }
checks:
  - { type: unique, column: activity_id }
  - { type: relationships, column: park_id, to: silver.parks, field: park_id }
  - { type: range, column: price, min: 0 }
*/
select id as activity_id, park_id, clean_text(name) as name, kind, duration_minutes, cast(price as varchar) as price, active,
       cast(updated_at as timestamptz) as updated_at
from bronze.activities
qualify is_latest(id, updated_at)
