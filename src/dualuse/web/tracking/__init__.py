"""Tracking pictures: the feasible-region map (PNG or HTML with inline SVG) and history plots."""
