"""Analyst pages for shipment networks and shell-company red flags (issue 13 §2, §3)."""
