"""Analyst pages for shipment networks and shell-company red flags."""
