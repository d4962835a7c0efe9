"""Benchmarks: each runs dualuse beside the anchor the issue names and writes figures that
go into ``docs/benchmarks.md``. Run them with ``python -m bench.<name>`` from the repo root."""
