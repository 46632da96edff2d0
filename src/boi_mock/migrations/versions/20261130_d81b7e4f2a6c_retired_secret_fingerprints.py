"""retired secret fingerprints

AUTH-2/AUTH-4: `district.retired_secrets`, the salted SHA-256 fingerprints (never the secrets) of the secrets a
rotation replaced, so a refused token request's Error Log row can say "a rotated secret". Null: none yet.

Revision ID: d81b7e4f2a6c
Revises: 659ab21324e2
Create Date: 2026-11-30 08:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'd81b7e4f2a6c'
down_revision: str | None = '659ab21324e2'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN, never a batch copy of `district` (its ON DELETE CASCADE children would go with it).
    op.add_column('district', sa.Column('retired_secrets', sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column('district', 'retired_secrets')  # ALTER TABLE … DROP COLUMN (SQLite 3.35+): no table copy
