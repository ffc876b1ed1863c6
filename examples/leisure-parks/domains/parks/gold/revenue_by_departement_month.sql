/*
description: Net revenue per département and month.
checks:
  - { type: unique, columns: [departement, month] }
*/
select month, departement, departement_name, region, region_name,
       sum(gross_revenue) as gross_revenue, sum(refunds) as refunds, sum(net_revenue) as net_revenue, count(*) as parks
from gold.revenue_by_park_month
group by all
