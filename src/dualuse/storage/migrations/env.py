"""Alembic environment: always run on the connection :mod:`dualuse.storage.migrate`
hands over (``config.attributes["connection"]``), never from an ini file's URL."""

from __future__ import annotations

from alembic import context

from dualuse.storage.db import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
