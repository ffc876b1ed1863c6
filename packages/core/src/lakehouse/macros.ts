/**
 * SQL helpers every project's SQL can call (silver and gold pipelines need them daily). They are
 * DuckDB macros in the `strata` catalog, which is on every session's search path.
 *
 * - `clean_text(s)`: trimmed text; NULL for '', 'NA', 'N/A', 'NULL', 'NONE', 'NAN', '-', '?'
 *   (the ways real files write a missing value).
 * - `title_case(s)`: `JEAN-PIERRE dupont` → `Jean-Pierre Dupont`.
 * - `normalize_email(s)`: trimmed, lower case; NULL unless it looks like an e-mail address.
 * - `normalize_phone(s)`: French numbers to E.164 (`06 12 34 56 78`, `0033 6…`, `+33 (0)6…` →
 *   `+33612345678`); other international numbers in `+` form kept; NULL when not a phone number.
 * - `normalize_postal_code(s)`: five digits (`1000` → `01000`, `74 000` → `74000`); NULL otherwise.
 * - `is_latest(key, order)`: in `QUALIFY`, true for the latest row of each key by `order`
 *   (deduplication: `select * from bronze.bookings qualify is_latest(id, updated_at)`; several key
 *   columns: `is_latest(row(park_id, day), _ingested_at)`).
 */
export const MACRO_CATALOG = 'strata';

const MACROS = [
  `clean_text(s) AS CASE WHEN upper(trim(CAST(s AS VARCHAR))) IN ('', 'NA', 'N/A', 'NULL', 'NONE', 'NAN', '-', '?') THEN NULL ELSE trim(CAST(s AS VARCHAR)) END`,
  `title_case(s) AS array_to_string(list_transform(string_split(lower(strata.main.clean_text(s)), ' '),
     w -> array_to_string(list_transform(string_split(w, '-'), p -> upper(p[1]) || p[2:]), '-')), ' ')`,
  `normalize_email(s) AS CASE WHEN regexp_full_match(lower(strata.main.clean_text(s)), '[^@\\s]+@[^@\\s]+\\.[^@\\s]+') THEN lower(strata.main.clean_text(s)) END`,
  `phone_digits(s) AS regexp_replace(replace(strata.main.clean_text(s), '(0)', ''), '[^0-9+]', '', 'g')`,
  `phone_e164(d) AS CASE
     WHEN regexp_full_match(d, '0[1-9][0-9]{8}') THEN '+33' || d[2:]
     WHEN regexp_full_match(d, '\\+33[1-9][0-9]{8}') THEN d
     WHEN regexp_full_match(d, '0033[1-9][0-9]{8}') THEN '+' || d[3:]
     WHEN regexp_full_match(d, '33[1-9][0-9]{8}') THEN '+' || d
     WHEN regexp_full_match(d, '00[1-9][0-9]{6,14}') THEN '+' || d[3:]
     WHEN regexp_full_match(d, '\\+[1-9][0-9]{6,14}') THEN d
   END`,
  `normalize_phone(s) AS strata.main.phone_e164(strata.main.phone_digits(s))`,
  `normalize_postal_code(s) AS CASE WHEN regexp_full_match(replace(strata.main.clean_text(s), ' ', ''), '[0-9]{4,5}')
     THEN lpad(replace(strata.main.clean_text(s), ' ', ''), 5, '0') END`,
  `is_latest(k, o) AS row_number() OVER (PARTITION BY k ORDER BY o DESC NULLS LAST) = 1`,
];

/** SQL creating the helpers (idempotent). */
export const MACROS_SQL = [
  `ATTACH IF NOT EXISTS ':memory:' AS ${MACRO_CATALOG}`,
  ...MACROS.map((m) => `CREATE OR REPLACE MACRO ${MACRO_CATALOG}.main.${m}`),
].join(';\n');
