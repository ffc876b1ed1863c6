/*
description: French régions.
checks:
  - { type: unique, column: code }
  - { type: not_null, columns: [code, name] }
*/
select code, nom as name from bronze.regions qualify is_latest(code, _ingested_at)
