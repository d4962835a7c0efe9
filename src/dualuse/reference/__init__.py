"""Reference data and normalisers: countries and territories, identifiers, text."""
