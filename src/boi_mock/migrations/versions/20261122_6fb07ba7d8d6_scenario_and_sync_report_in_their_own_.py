"""scenario and sync report in their own tables

SQLite rewrites a whole record on every UPDATE: with the scenario document in `district` (megabytes
for a big district) every Campus write (data_version) cost tens of milliseconds, and the sync commit
updates `sync_run` once per staff member. Both documents move to their own rows.

The columns are dropped with a plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35), never a batch table
copy: recreating `district` with foreign keys on would cascade-delete every district's data.

Revision ID: 6fb07ba7d8d6
Revises: b6853016725e
Create Date: 2026-11-22 09:29:45.324846
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '6fb07ba7d8d6'
down_revision: str | None = 'b6853016725e'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('district_scenario',
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_district_scenario_district_id_district'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('district_id', name=op.f('pk_district_scenario'))
    )
    op.create_table('sync_report',
    sa.Column('sync_id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_sync_report_district_id_district'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sync_id'], ['sync_run.id'], name=op.f('fk_sync_report_sync_id_sync_run'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('sync_id', name=op.f('pk_sync_report'))
    )
    op.create_index(op.f('ix_sync_report_district_id'), 'sync_report', ['district_id'], unique=False)
    op.execute("INSERT INTO district_scenario (district_id, document) SELECT id, scenario FROM district")
    op.execute("INSERT INTO sync_report (sync_id, district_id, document) "
               "SELECT id, district_id, report FROM sync_run WHERE report IS NOT NULL")
    op.drop_column('district', 'scenario')
    op.drop_column('sync_run', 'report')


def downgrade() -> None:
    op.add_column('sync_run', sa.Column('report', sa.JSON(), nullable=True))
    op.add_column('district', sa.Column('scenario', sa.JSON(), nullable=True))
    op.execute("UPDATE sync_run SET report = (SELECT document FROM sync_report WHERE sync_report.sync_id = sync_run.id)")
    op.execute("UPDATE district SET scenario = COALESCE((SELECT document FROM district_scenario "
               "WHERE district_scenario.district_id = district.id), '{}')")
    op.drop_index(op.f('ix_sync_report_district_id'), table_name='sync_report')
    op.drop_table('sync_report')
    op.drop_table('district_scenario')
