/*
description: Bookings made per day (by creation date, Paris time) and park. A recent season day (May
  to September, the last four weeks) on which no booking at all was recorded means the back office lost a day of data.
checks:
  - { type: unique, columns: [day, park_id] }
  - name: no_missing_season_day
    type: custom_sql
    severity: warn
    description: every recent day from May to September has bookings
    sql: >
      select d.day from (select unnest(range(max(day) - 28, max(day), interval 1 day))::date as day from {{ relation }}) d
      where month(d.day) between 5 and 9 and d.day not in (select day from {{ relation }})
*/
select cast(timezone('Europe/Paris', created_at) as date) as day, park_id, count(*) as bookings,
       count(*) filter (where status = 'cancelled') as cancelled, sum(amount) as amount
from silver.bookings
group by all
