"""coverage counters

MOCK-11: per-district contract-coverage counters (rule IDs, error codes, operations with their statuses),
upserted by the journal writer with the journal entries; a table of its own because the journal is capped.

Revision ID: 659ab21324e2
Revises: c4f1a8e2d9b3
Create Date: 2026-11-30 07:41:04.933101
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '659ab21324e2'
down_revision: str | None = 'c4f1a8e2d9b3'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'coverage_counter',
        sa.Column('district_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('key', sa.String(length=120), nullable=False),
        sa.Column('status', sa.Integer(), nullable=False),
        sa.Column('hits', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_coverage_counter_district_id_district'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('district_id', 'kind', 'key', 'status', name=op.f('pk_coverage_counter')),
    )


def downgrade() -> None:
    op.drop_table('coverage_counter')
