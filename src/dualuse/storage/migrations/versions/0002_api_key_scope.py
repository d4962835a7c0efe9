"""API keys gain ``scope``: a device key is bound to one device (``device:<id>``).

The column was added to the table definition without a migration (commit 7db1b73), so
databases made before it lacked the column and failed on the first key lookup. Added
here where missing; nullable, so existing keys stay unbound.

Revision ID: 0002_api_key_scope
Revises: 0001_baseline
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_api_key_scope"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("api_keys")}
    if "scope" not in columns:
        op.add_column("api_keys", sa.Column("scope", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("api_keys") as batch:
        batch.drop_column("scope")
