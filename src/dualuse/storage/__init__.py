"""Storage: SQL database (SQLite by default, PostgreSQL by setting), atomic files,
the tamper-evident audit log and API keys.

Capabilities add their own tables to :data:`dualuse.storage.db.metadata` in a module of
their own here (``storage/<capability>.py``) so that ``create_all`` builds everything.
"""
