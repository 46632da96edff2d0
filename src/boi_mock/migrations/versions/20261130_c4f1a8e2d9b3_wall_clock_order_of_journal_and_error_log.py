"""wall-clock order of the journal and the Error Log

MOCK-8: `at` (journal) and `error_at` (Error Log) are now the district's time, which moves when its clock is
frozen, advanced or set back. The order calls happened in is kept apart, in `wall_at` (the wall-clock instant,
naive UTC), so a clock set back never reorders "newest first". Existing rows get their old (wall-clock) time.
The Error Log's date index becomes (district_id, wall_at): the order its pages are read in.

Revision ID: c4f1a8e2d9b3
Revises: a3c91f0e5b17
Create Date: 2026-11-30 08:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'c4f1a8e2d9b3'
down_revision: str | None = 'a3c91f0e5b17'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch copy): the rows stay where they are.
    op.add_column('request_journal', sa.Column('wall_at', sa.DateTime(), nullable=True))
    op.add_column('error_log', sa.Column('wall_at', sa.DateTime(), nullable=True))
    op.execute("UPDATE request_journal SET wall_at = at")
    op.execute("UPDATE error_log SET wall_at = error_at")
    op.drop_index('ix_error_log_district_date', table_name='error_log')
    op.create_index('ix_error_log_district_wall', 'error_log', ['district_id', 'wall_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_error_log_district_wall', table_name='error_log')
    op.create_index('ix_error_log_district_date', 'error_log', ['district_id', 'error_at'], unique=False)
    op.drop_column('error_log', 'wall_at')  # ALTER TABLE … DROP COLUMN (SQLite 3.35+): no table copy
    op.drop_column('request_journal', 'wall_at')
