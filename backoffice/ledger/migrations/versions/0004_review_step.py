"""reviews.step: the step an item was handed over at, so ROI need not infer it

Revision ID: 0004
Revises: 0003
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('reviews') as batch:
        batch.add_column(sa.Column('step', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('reviews') as batch:
        batch.drop_column('step')
