"""Shell companies and intermediaries: documented red-flag rules, a score per company with
its reasons."""
