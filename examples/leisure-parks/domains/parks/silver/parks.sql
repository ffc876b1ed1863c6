/*
description: The parks, latest version of each, located in their commune.
checks:
  - { type: unique, column: park_id }
  - { type: not_null, columns: [park_id, name, insee_code] }
  - { type: relationships, column: insee_code, to: geo.silver.communes, field: insee_code }
  - { type: regex, column: postal_code, pattern: "[0-9]{5}" }
*/
select id as park_id, clean_text(name) as name, insee_code, normalize_postal_code(postal_code) as postal_code,
       clean_text(city) as city, cast(opened_on as date) as opened_on, capacity, cast(updated_at as timestamptz) as updated_at
from bronze.parks
qualify is_latest(id, updated_at)
