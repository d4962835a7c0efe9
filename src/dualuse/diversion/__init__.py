"""Diversion analytics: ownership under the 50% rules and trade-flow statistics."""
