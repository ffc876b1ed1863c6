/*
description: Net revenue (payments minus refunds) per park and month, with the park's département and région.
  Payments of bookings that did not pass silver's checks are left out.
owner: finance@parks.example
checks:
  - { type: unique, columns: [park_id, month] }
  - { type: not_null, columns: [departement, region] }
*/
with park as (
  select p.park_id, p.name as park, c.departement, d.name as departement_name, c.region, r.name as region_name
  from silver.parks p
  join geo.silver.communes c on c.insee_code = p.insee_code
  left join geo.silver.departements d on d.code = c.departement
  left join geo.silver.regions r on r.code = c.region
)
select cast(date_trunc('month', pay.paid_at) as date) as month, park.park_id, park.park,
       park.departement, park.departement_name, park.region, park.region_name,
       coalesce(sum(pay.amount) filter (where pay.kind = 'payment'), 0) as gross_revenue,
       coalesce(-sum(pay.amount) filter (where pay.kind = 'refund'), 0) as refunds,
       sum(pay.amount) as net_revenue,
       count(distinct pay.booking_id) as bookings_paid
from silver.payments pay
join silver.bookings b on b.booking_id = pay.booking_id
join park on park.park_id = b.park_id
group by all
