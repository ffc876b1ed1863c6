/*
description: Net revenue per région and month.
checks:
  - { type: unique, columns: [region, month] }
*/
select month, region, region_name, sum(gross_revenue) as gross_revenue, sum(refunds) as refunds, sum(net_revenue) as net_revenue,
       count(distinct departement) as departements
from gold.revenue_by_departement_month
group by all
