"""staged address parses

A sync's staging row keeps the ADDR-5 candidates its transfer parsed (`address_parts`), so validate and
commit do not run the address parser again. Rows staged before this revision have none and are parsed
as before.

Revision ID: e7dce63c1cd0
Revises: 27062bf7daef
Create Date: 2026-11-30 05:25:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'e7dce63c1cd0'
down_revision: str | None = '27062bf7daef'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('sync_staging_row', sa.Column('address_parts', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('sync_staging_row', schema=None) as batch_op:
        batch_op.drop_column('address_parts')
