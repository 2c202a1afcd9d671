"""Daily use: revision snapshots of cited evidence, invitations and sign-in times, public profiles,
the staff list and audit-by-person indexes

Existing revisions get a snapshot of their evidence as it reads at upgrade time: the closest record
there is of what the validator judged.

Revision ID: b41d7e2a9c10
Revises: 9cb6f8d181aa
Create Date: 2026-12-01 15:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b41d7e2a9c10'
down_revision = '9cb6f8d181aa'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('claim_revisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('evidence_snapshot', sa.JSON(), nullable=True))
    _backfill_snapshots()
    with op.batch_alter_table('claim_revisions', schema=None) as batch_op:
        batch_op.alter_column('evidence_snapshot', existing_type=sa.JSON(), nullable=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invited_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('last_sign_in_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('public_profile_id', sa.String(length=36), nullable=True))
        batch_op.create_unique_constraint('uq_users_public_profile_id', ['public_profile_id'])
        batch_op.create_index('ix_users_directory', ['district_id', 'name', 'id'], unique=False)

    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('on_profile', sa.Boolean(), server_default=sa.false(), nullable=False))

    op.create_index('ix_audit_events_actor_time', 'audit_events', ['district_id', 'actor_id', 'occurred_at'])


def _backfill_snapshots():
    connection = op.get_bind()
    revisions = sa.table('claim_revisions', sa.column('id', sa.Integer), sa.column('evidence_snapshot', sa.JSON))
    rows = connection.execute(sa.text(
        "SELECT re.revision_id, e.id, e.title, e.narrative, e.url, e.original_filename, e.sha256 "
        "FROM claim_revision_evidence re JOIN evidence_items e ON e.id = re.evidence_id "
        "ORDER BY re.revision_id, e.id"
    )).all()
    snapshots = {}
    for revision_id, item_id, title, narrative, url, file_name, sha256 in rows:
        snapshots.setdefault(revision_id, []).append({
            "id": item_id, "title": title, "narrative": narrative, "url": url,
            "file_name": file_name, "sha256": sha256,
        })
    for (revision_id,) in connection.execute(sa.text("SELECT id FROM claim_revisions")).all():
        connection.execute(
            revisions.update().where(revisions.c.id == revision_id),
            {"evidence_snapshot": snapshots.get(revision_id, [])},
        )


def downgrade():
    op.drop_index('ix_audit_events_actor_time', table_name='audit_events')
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.drop_column('on_profile')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index('ix_users_directory')
        batch_op.drop_constraint('uq_users_public_profile_id', type_='unique')
        batch_op.drop_column('public_profile_id')
        batch_op.drop_column('last_sign_in_at')
        batch_op.drop_column('invited_at')
    with op.batch_alter_table('claim_revisions', schema=None) as batch_op:
        batch_op.drop_column('evidence_snapshot')
