"""readiness: standings, counts, monthly changes, targets, cohorts, school leaders

Revision ID: 9cb6f8d181aa
Revises: a7c3e1d9b2f4
Create Date: 2026-12-01 13:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9cb6f8d181aa'
down_revision = 'a7c3e1d9b2f4'
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('readiness_changes',
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('school_key', sa.Integer(), nullable=False),
    sa.Column('professional_role', sa.String(length=80), nullable=False),
    sa.Column('domain_code', sa.String(length=80), nullable=False),
    sa.Column('measure', sa.String(length=10), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('delta', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_readiness_changes_district_id_districts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('district_id', 'school_key', 'professional_role', 'domain_code', 'measure', 'level', 'month', name=op.f('pk_readiness_changes'))
    )
    op.create_table('readiness_counts',
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('school_key', sa.Integer(), nullable=False),
    sa.Column('professional_role', sa.String(length=80), nullable=False),
    sa.Column('domain_code', sa.String(length=80), nullable=False),
    sa.Column('self_level', sa.Integer(), nullable=False),
    sa.Column('validated_level', sa.Integer(), nullable=False),
    sa.Column('people', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_readiness_counts_district_id_districts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('district_id', 'school_key', 'professional_role', 'domain_code', 'self_level', 'validated_level', name=op.f('pk_readiness_counts'))
    )
    op.create_table('cohorts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('domain_code', sa.String(length=80), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('coach_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['coach_id'], ['users.id'], name=op.f('fk_cohorts_coach_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_cohorts_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_cohorts_district_id_districts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_cohorts_school_id_schools'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohorts'))
    )
    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.create_index('ix_cohorts_district', ['district_id'], unique=False)

    op.create_table('readiness_standings',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('domain_code', sa.String(length=80), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('school_key', sa.Integer(), nullable=False),
    sa.Column('professional_role', sa.String(length=80), nullable=False),
    sa.Column('self_level', sa.Integer(), nullable=True),
    sa.Column('self_assessed_at', sa.DateTime(), nullable=True),
    sa.Column('held_until_1', sa.DateTime(), nullable=True),
    sa.Column('held_until_2', sa.DateTime(), nullable=True),
    sa.Column('held_until_3', sa.DateTime(), nullable=True),
    sa.Column('held_until_4', sa.DateTime(), nullable=True),
    sa.Column('evaluated_at', sa.DateTime(), nullable=False),
    sa.Column('next_change_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_readiness_standings_district_id_districts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_readiness_standings_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'domain_code', name=op.f('pk_readiness_standings'))
    )
    with op.batch_alter_table('readiness_standings', schema=None) as batch_op:
        batch_op.create_index('ix_readiness_standings_cell', ['district_id', 'school_key', 'professional_role'], unique=False)
        batch_op.create_index('ix_readiness_standings_next_change', ['district_id', 'next_change_at'], unique=False)

    op.create_table('readiness_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=True),
    sa.Column('professional_role', sa.String(length=80), nullable=True),
    sa.Column('domain_code', sa.String(length=80), nullable=False),
    sa.Column('measure', sa.String(length=10), nullable=False),
    sa.Column('min_level', sa.Integer(), nullable=False),
    sa.Column('share_percent', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('baseline_percent', sa.Double(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('min_level BETWEEN 1 AND 4', name=op.f('ck_readiness_targets_min_level_range')),
    sa.CheckConstraint('share_percent BETWEEN 1 AND 100', name=op.f('ck_readiness_targets_share_range')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_readiness_targets_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_readiness_targets_district_id_districts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_readiness_targets_school_id_schools'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_readiness_targets'))
    )
    with op.batch_alter_table('readiness_targets', schema=None) as batch_op:
        batch_op.create_index('ix_readiness_targets_district', ['district_id'], unique=False)

    op.create_table('cohort_members',
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_cohort_members_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_cohort_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cohort_id', 'user_id', name=op.f('pk_cohort_members'))
    )
    with op.batch_alter_table('cohort_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_members_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shares_self_assessment', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('last_assessed_at', sa.DateTime(), nullable=True))
        batch_op.create_index('ix_users_readiness', ['district_id', 'active', 'school_id', 'professional_role', 'last_assessed_at'], unique=False)
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claims_status'), ['status'], unique=False)
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.create_index('ix_awards_district_awarded', ['district_id', 'awarded_at'], unique=False)




def downgrade():

    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.drop_index('ix_awards_district_awarded')
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claims_status'))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index('ix_users_readiness')
        batch_op.drop_column('last_assessed_at')
        batch_op.drop_column('shares_self_assessment')

    with op.batch_alter_table('cohort_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_members_user_id'))

    op.drop_table('cohort_members')
    with op.batch_alter_table('readiness_targets', schema=None) as batch_op:
        batch_op.drop_index('ix_readiness_targets_district')

    op.drop_table('readiness_targets')
    with op.batch_alter_table('readiness_standings', schema=None) as batch_op:
        batch_op.drop_index('ix_readiness_standings_next_change')
        batch_op.drop_index('ix_readiness_standings_cell')

    op.drop_table('readiness_standings')
    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.drop_index('ix_cohorts_district')

    op.drop_table('cohorts')
    op.drop_table('readiness_counts')
    op.drop_table('readiness_changes')

