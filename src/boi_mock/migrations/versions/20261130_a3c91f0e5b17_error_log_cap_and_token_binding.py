"""error log cap and token binding

ERR-1: a per-district Error Log cap (`district.error_log_cap`, null: the default) trimmed by id, so the
Error Log gets an index on (district_id, id). AUTH-3/MOCK-15: `district.token_binding`, a random id of the
district instance that its tokens carry; existing districts get one each (their older tokens, which carry
none, stop working: a client gets a new token, as after a rotation).

Revision ID: a3c91f0e5b17
Revises: 5c1e9a7d2b40
Create Date: 2026-11-30 06:20:00.000000
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'a3c91f0e5b17'
down_revision: str | None = '5c1e9a7d2b40'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN, never a batch copy of `district`: on SQLite a copy drops the old table, and its ON DELETE
    # CASCADE children (every district table) would go with it.
    op.add_column('district', sa.Column('error_log_cap', sa.Integer(), nullable=True))
    op.add_column('district', sa.Column('token_binding', sa.String(length=32), server_default='', nullable=False))
    bind = op.get_bind()
    for (district_id,) in bind.execute(sa.text("SELECT id FROM district")).all():
        bind.execute(sa.text("UPDATE district SET token_binding = :binding WHERE id = :id"),
                     {"binding": secrets.token_hex(16), "id": district_id})
    op.create_index('ix_error_log_district_row', 'error_log', ['district_id', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_error_log_district_row', table_name='error_log')
    op.drop_column('district', 'token_binding')  # ALTER TABLE … DROP COLUMN (SQLite 3.35+): no table copy
    op.drop_column('district', 'error_log_cap')
