/*
description: Customers, latest version of each, standardised (names, e-mail, phone in E.164, postal code).
tags: [pii]
casts: { birth_date: DATE }
checks:
  - { type: unique, column: customer_id }
  - { type: not_null, columns: [customer_id, last_name] }
  - { type: expression, name: birth_date_plausible, expression: "birth_date BETWEEN DATE '1900-01-01' AND current_date - INTERVAL 3 YEAR", null_passes: true, severity: warn }
  - { type: not_null, name: phone_recognised, column: phone, severity: warn }
  - { type: not_null, name: email_recognised, column: email, severity: warn }
*/
select id as customer_id, title_case(first_name) as first_name, title_case(last_name) as last_name,
       normalize_email(email) as email, normalize_phone(phone) as phone, clean_text(birth_date) as birth_date,
       clean_text(address_line) as address_line, normalize_postal_code(postal_code) as postal_code, title_case(city) as city,
       insee_code, cast(updated_at as timestamptz) as updated_at
from bronze.customers
qualify is_latest(id, updated_at)
