"""verifier details: the district's contact email (OB 2.0 Issuer email), signed status lists kept

Revision ID: a7c3e1d9b2f4
Revises: 5e55104e0a51
Create Date: 2026-12-01 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c3e1d9b2f4'
down_revision = '5e55104e0a51'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('status_list_credentials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('format', sa.String(length=20), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('document', sa.Text(), nullable=False),
    sa.Column('signed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_status_list_credentials_district_id_districts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_status_list_credentials')),
    sa.UniqueConstraint('district_id', 'format', name=op.f('uq_status_list_credentials_district_id_format'))
    )
    with op.batch_alter_table('districts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_email', sa.String(length=254), nullable=True))


def downgrade():
    with op.batch_alter_table('districts', schema=None) as batch_op:
        batch_op.drop_column('contact_email')
    op.drop_table('status_list_credentials')
