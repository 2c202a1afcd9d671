"""Calibration: exemplar sets with anchors, consent to copy evidence into them, rounds, validators'
blind ratings, each district's calibration policy, and lead validators (validator_scopes.lead)

Revision ID: c7a1e5b3d920
Revises: b41d7e2a9c10
Create Date: 2026-12-01 17:58:33.506981

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c7a1e5b3d920'
down_revision = 'b41d7e2a9c10'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calibration_policies',
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('min_exact_percent', sa.Integer(), nullable=False),
    sa.Column('max_age_days', sa.Integer(), nullable=False),
    sa.Column('restricted_levels', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('max_age_days > 0', name=op.f('ck_calibration_policies_max_age_days_positive')),
    sa.CheckConstraint('min_exact_percent BETWEEN 0 AND 100', name=op.f('ck_calibration_policies_min_exact_percent_range')),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_calibration_policies_district_id_districts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('district_id', name=op.f('pk_calibration_policies'))
    )
    op.create_table('exemplar_sets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('framework_id', sa.Integer(), nullable=False),
    sa.Column('domain_id', sa.Integer(), nullable=False),
    sa.Column('role_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_exemplar_sets_created_by_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_exemplar_sets_district_id_districts'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['domain_id'], ['domains.id'], name=op.f('fk_exemplar_sets_domain_id_domains'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['framework_id'], ['frameworks.id'], name=op.f('fk_exemplar_sets_framework_id_frameworks'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['role_id'], ['professional_roles.id'], name=op.f('fk_exemplar_sets_role_id_professional_roles'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exemplar_sets'))
    )
    with op.batch_alter_table('exemplar_sets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exemplar_sets_district_id'), ['district_id'], unique=False)

    op.create_table('calibration_consents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evidence_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('granted_at', sa.DateTime(), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['evidence_id'], ['evidence_items.id'], name=op.f('fk_calibration_consents_evidence_id_evidence_items'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calibration_consents_user_id_users'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calibration_consents'))
    )
    with op.batch_alter_table('calibration_consents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calibration_consents_evidence_id'), ['evidence_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_calibration_consents_user_id'), ['user_id'], unique=False)

    op.create_table('calibration_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('set_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_calibration_rounds_opened_by_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['set_id'], ['exemplar_sets.id'], name=op.f('fk_calibration_rounds_set_id_exemplar_sets'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calibration_rounds'))
    )
    with op.batch_alter_table('calibration_rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calibration_rounds_opened_at'), ['opened_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_calibration_rounds_set_id'), ['set_id'], unique=False)

    op.create_table('exemplars',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('set_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('narrative', sa.Text(), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=True),
    sa.Column('stored_name', sa.String(length=64), nullable=True),
    sa.Column('original_filename', sa.String(length=255), nullable=True),
    sa.Column('media_type', sa.String(length=120), nullable=True),
    sa.Column('size_bytes', sa.Integer(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('consent_id', sa.Integer(), nullable=True),
    sa.Column('anchor_level', sa.Integer(), nullable=True),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('anchor_level IS NULL OR anchor_level BETWEEN 1 AND 4', name=op.f('ck_exemplars_anchor_level_range')),
    sa.ForeignKeyConstraint(['consent_id'], ['calibration_consents.id'], name=op.f('fk_exemplars_consent_id_calibration_consents'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['set_id'], ['exemplar_sets.id'], name=op.f('fk_exemplars_set_id_exemplar_sets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exemplars')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_exemplars_stored_name'))
    )
    with op.batch_alter_table('exemplars', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exemplars_set_id'), ['set_id'], unique=False)

    op.create_table('calibration_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('exemplar_id', sa.Integer(), nullable=False),
    sa.Column('validator_id', sa.Integer(), nullable=False),
    sa.Column('overall_level', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('overall_level BETWEEN 1 AND 4', name=op.f('ck_calibration_ratings_overall_level_range')),
    sa.ForeignKeyConstraint(['exemplar_id'], ['exemplars.id'], name=op.f('fk_calibration_ratings_exemplar_id_exemplars'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['round_id'], ['calibration_rounds.id'], name=op.f('fk_calibration_ratings_round_id_calibration_rounds'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['validator_id'], ['users.id'], name=op.f('fk_calibration_ratings_validator_id_users'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calibration_ratings')),
    sa.UniqueConstraint('exemplar_id', 'validator_id', name='uq_calibration_ratings_once')
    )
    with op.batch_alter_table('calibration_ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calibration_ratings_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_calibration_ratings_validator_id'), ['validator_id'], unique=False)

    op.create_table('exemplar_anchors',
    sa.Column('exemplar_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.CheckConstraint('level BETWEEN 1 AND 4', name=op.f('ck_exemplar_anchors_level_range')),
    sa.ForeignKeyConstraint(['exemplar_id'], ['exemplars.id'], name=op.f('fk_exemplar_anchors_exemplar_id_exemplars'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_exemplar_anchors_indicator_id_indicators'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('exemplar_id', 'indicator_id', name=op.f('pk_exemplar_anchors'))
    )
    op.create_table('calibration_levels',
    sa.Column('rating_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.CheckConstraint('level BETWEEN 1 AND 4', name=op.f('ck_calibration_levels_level_range')),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_calibration_levels_indicator_id_indicators'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['rating_id'], ['calibration_ratings.id'], name=op.f('fk_calibration_levels_rating_id_calibration_ratings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('rating_id', 'indicator_id', name=op.f('pk_calibration_levels'))
    )
    with op.batch_alter_table('validator_scopes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lead', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade():
    with op.batch_alter_table('validator_scopes', schema=None) as batch_op:
        batch_op.drop_column('lead')

    op.drop_table('calibration_levels')
    op.drop_table('exemplar_anchors')
    with op.batch_alter_table('calibration_ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calibration_ratings_validator_id'))
        batch_op.drop_index(batch_op.f('ix_calibration_ratings_round_id'))

    op.drop_table('calibration_ratings')
    with op.batch_alter_table('exemplars', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exemplars_set_id'))

    op.drop_table('exemplars')
    with op.batch_alter_table('calibration_rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calibration_rounds_set_id'))
        batch_op.drop_index(batch_op.f('ix_calibration_rounds_opened_at'))

    op.drop_table('calibration_rounds')
    with op.batch_alter_table('calibration_consents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calibration_consents_user_id'))
        batch_op.drop_index(batch_op.f('ix_calibration_consents_evidence_id'))

    op.drop_table('calibration_consents')
    with op.batch_alter_table('exemplar_sets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exemplar_sets_district_id'))

    op.drop_table('exemplar_sets')
    op.drop_table('calibration_policies')
