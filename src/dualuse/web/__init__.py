"""Web pages and pictures served by the API (one sub-package per capability)."""
