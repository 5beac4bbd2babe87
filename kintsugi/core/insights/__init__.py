"""What the incidents teach over time (issue 16): the pure part of the Insights page.

No Django here: months and ranges (``months``), percentiles and trends (``figures``),
contributing-factor categories (``categories``), "cost of debt" (``debt``) and the CSV
rows every chart can be downloaded as (``csv``). The app (``kintsugi.insights``) reads
the per-incident facts it keeps on write and hands plain values to these functions.
"""
