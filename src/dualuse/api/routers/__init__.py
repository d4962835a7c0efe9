"""One router module per capability; each exposes ``register(app)``."""
