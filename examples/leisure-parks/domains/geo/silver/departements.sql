/*
description: French départements.
checks:
  - { type: unique, column: code }
  - { type: not_null, columns: [code, name, region] }
*/
select code, nom as name, region from bronze.departements qualify is_latest(code, _ingested_at)
