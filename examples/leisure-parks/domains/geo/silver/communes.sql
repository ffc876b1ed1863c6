/*
description: French communes (current ones, and the arrondissements of Paris, Lyon and Marseille) with their département and région.
owner: data-stewards@parks.example
checks:
  - { type: unique, column: insee_code }
  - { type: not_null, columns: [insee_code, name, departement, region] }
  - { type: regex, column: insee_code, pattern: "[0-9][0-9AB][0-9]{3}" }
  - { type: row_count, min: 30000 }
*/
select code as insee_code, nom as name, departement, region, population,
       codesPostaux as postal_codes, type as commune_type
from bronze.communes
where type in ('commune-actuelle', 'arrondissement-municipal')
qualify is_latest(code, _ingested_at)
