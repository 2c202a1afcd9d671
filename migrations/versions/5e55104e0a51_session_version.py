"""users.session_version: raising it ends every session of that person

Existing sessions name no version and are refused once: everyone signs in again after this upgrade.

Revision ID: 5e55104e0a51
Revises: fe78f810c64b
Create Date: 2026-12-01 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e55104e0a51'
down_revision = 'fe78f810c64b'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_version')
