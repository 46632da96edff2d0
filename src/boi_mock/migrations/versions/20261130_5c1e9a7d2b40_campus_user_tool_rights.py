"""campus user tool rights

NOTE-2: a Campus user's tool rights to District Employment and District Assignments decide whether it can be
a notification recipient. Users that exist already were all possible recipients before this revision: they
keep both rights, so no notification changes meaning.

Revision ID: 5c1e9a7d2b40
Revises: e7dce63c1cd0
Create Date: 2026-11-30 06:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '5c1e9a7d2b40'
down_revision: str | None = 'e7dce63c1cd0'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('campus_user', sa.Column('district_employment_rights', sa.Boolean(), server_default=sa.false(),
                                           nullable=False))
    op.add_column('campus_user', sa.Column('district_assignments_rights', sa.Boolean(), server_default=sa.false(),
                                           nullable=False))
    op.execute(sa.text("UPDATE campus_user SET district_employment_rights = :yes, district_assignments_rights = :yes")
               .bindparams(yes=True))


def downgrade() -> None:
    with op.batch_alter_table('campus_user', schema=None) as batch_op:
        batch_op.drop_column('district_assignments_rights')
        batch_op.drop_column('district_employment_rights')
