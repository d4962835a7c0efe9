"""Trade-flow anomalies from official statistics: monthly EU exports to
Russia's neighbours by product group, surge and break tests against placebo goods,
difference-in-differences for sanctioned against other goods, mirror gaps, charts."""
