"""HTTP API (FastAPI). Every route except ``/healthz`` needs an API key with a fitting role."""
