"""folded names for the staff search

STAFF-3 compares names case-insensitively. `lower(last_name) = ?` could use no index (the search
grew with the district: 8.9x slower at 100k persons than at 1k) and folded ASCII only on SQLite.
Each identity now stores its names NFKC-normalised and case-folded (`boi_mock.models.fold_name`),
indexed with the district; existing rows are filled here with the same function.

On SQLite the NOT NULL needs a copy of `identity` (batch mode): nothing references `identity`, so
dropping the old table cascades nowhere.

Revision ID: 27062bf7daef
Revises: 6fb07ba7d8d6
Create Date: 2026-11-30 05:05:00.000000
"""

import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '27062bf7daef'
down_revision: str | None = '6fb07ba7d8d6'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000


def _fold(name: str) -> str:
    # A copy of boi_mock.models.fold_name as of this revision: a migration must not change with the code.
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())


def _backfill() -> None:
    conn = op.get_bind()
    identity = sa.table('identity', sa.column('id', sa.Integer()), sa.column('last_name', sa.String()),
                        sa.column('first_name', sa.String()), sa.column('last_name_folded', sa.Text()),
                        sa.column('first_name_folded', sa.Text()))
    fill = (sa.update(identity).where(identity.c.id == sa.bindparam('b_id'))
            .values(last_name_folded=sa.bindparam('b_last'), first_name_folded=sa.bindparam('b_first')))
    last_id = 0
    while True:
        rows = conn.execute(sa.select(identity.c.id, identity.c.last_name, identity.c.first_name)
                            .where(identity.c.id > last_id).order_by(identity.c.id).limit(BATCH)).all()
        if not rows:
            return
        conn.execute(fill, [{'b_id': i, 'b_last': _fold(last or ''), 'b_first': _fold(first or '')}
                            for i, last, first in rows])
        last_id = rows[-1][0]


def upgrade() -> None:
    op.add_column('identity', sa.Column('last_name_folded', sa.Text(), nullable=True))
    op.add_column('identity', sa.Column('first_name_folded', sa.Text(), nullable=True))
    _backfill()
    with op.batch_alter_table('identity', schema=None) as batch_op:
        batch_op.alter_column('last_name_folded', existing_type=sa.Text(), nullable=False)
        batch_op.alter_column('first_name_folded', existing_type=sa.Text(), nullable=False)
        batch_op.drop_index('ix_identity_district_names')
        batch_op.create_index('ix_identity_district_folded_names',
                              ['district_id', 'last_name_folded', 'first_name_folded', 'is_current', 'person_id'],
                              unique=False)
        batch_op.create_index('ix_identity_district_folded_first',
                              ['district_id', 'first_name_folded', 'is_current', 'person_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('identity', schema=None) as batch_op:
        batch_op.drop_index('ix_identity_district_folded_first')
        batch_op.drop_index('ix_identity_district_folded_names')
        batch_op.create_index('ix_identity_district_names', ['district_id', 'last_name', 'first_name'], unique=False)
        batch_op.drop_column('first_name_folded')
        batch_op.drop_column('last_name_folded')
