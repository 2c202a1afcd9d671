"""Editable frameworks: drafts (frameworks.published_at is None until published), the version a draft
was based on and its change summary, CASE identifiers on every framework row, framework owners, and
the framework audit stream (framework_events, append-only as audit_events is)

Revision ID: 9c3a462acc06
Revises: c7a1e5b3d920
Create Date: 2026-12-01 21:17:28.760479

"""
from alembic import op
import sqlalchemy as sa
import uuid


# revision identifiers, used by Alembic.
revision = '9c3a462acc06'
down_revision = 'c7a1e5b3d920'
branch_labels = None
depends_on = None


IDENTIFIED = {
    "frameworks": ("identifier", "rubric_identifier", "criterion_identifier"),
    "levels": ("identifier",),
    "professional_roles": ("identifier",),
    "domains": ("identifier",),
    "indicators": ("identifier",),
}


def upgrade():
    op.create_table('framework_owners',
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_framework_owners_district_id_districts'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('slug', name=op.f('pk_framework_owners'))
    )
    with op.batch_alter_table('framework_owners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_framework_owners_district_id'), ['district_id'], unique=False)

    op.create_table('framework_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('framework_slug', sa.String(length=80), nullable=False),
    sa.Column('framework_version', sa.String(length=40), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_label', sa.String(length=460), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_framework_events_actor_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_framework_events_district_id_districts'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_framework_events'))
    )
    with op.batch_alter_table('framework_events', schema=None) as batch_op:
        batch_op.create_index('ix_framework_events_slug_time', ['framework_slug', 'occurred_at'], unique=False)

    # New columns arrive nullable, are filled row by row (every loaded version is published, and each
    # row gets its own CASE identifier), then become NOT NULL and unique.
    for table, columns in IDENTIFIED.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.add_column(sa.Column(column, sa.String(length=36), nullable=True))
    with op.batch_alter_table('frameworks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('published_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('based_on_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('change_summary', sa.JSON(), nullable=True))

    bind = op.get_bind()
    for table, columns in IDENTIFIED.items():
        for (row_id,) in bind.execute(sa.text(f"SELECT id FROM {table}")).fetchall():
            values = {column: str(uuid.uuid4()) for column in columns}
            assignments = ", ".join(f"{column} = :{column}" for column in columns)
            bind.execute(sa.text(f"UPDATE {table} SET {assignments} WHERE id = :row_id"), {**values, "row_id": row_id})
    bind.execute(sa.text("UPDATE frameworks SET published_at = loaded_at, change_summary = '[]'"))

    for table, columns in IDENTIFIED.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.alter_column(column, existing_type=sa.String(length=36), nullable=False)
                batch_op.create_unique_constraint(batch_op.f(f'uq_{table}_{column}'), [column])
    with op.batch_alter_table('frameworks', schema=None) as batch_op:
        batch_op.alter_column('change_summary', existing_type=sa.JSON(), nullable=False)
        batch_op.create_foreign_key(batch_op.f('fk_frameworks_based_on_id_frameworks'), 'frameworks', ['based_on_id'], ['id'], ondelete='RESTRICT')
    create_append_only_triggers()


def downgrade():
    drop_append_only_triggers()
    with op.batch_alter_table('professional_roles', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_professional_roles_identifier'), type_='unique')
        batch_op.drop_column('identifier')

    with op.batch_alter_table('levels', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_levels_identifier'), type_='unique')
        batch_op.drop_column('identifier')

    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_indicators_identifier'), type_='unique')
        batch_op.drop_column('identifier')

    with op.batch_alter_table('frameworks', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_frameworks_based_on_id_frameworks'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_frameworks_rubric_identifier'), type_='unique')
        batch_op.drop_constraint(batch_op.f('uq_frameworks_identifier'), type_='unique')
        batch_op.drop_constraint(batch_op.f('uq_frameworks_criterion_identifier'), type_='unique')
        batch_op.drop_column('change_summary')
        batch_op.drop_column('based_on_id')
        batch_op.drop_column('published_at')
        batch_op.drop_column('criterion_identifier')
        batch_op.drop_column('rubric_identifier')
        batch_op.drop_column('identifier')

    with op.batch_alter_table('domains', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_domains_identifier'), type_='unique')
        batch_op.drop_column('identifier')

    with op.batch_alter_table('framework_events', schema=None) as batch_op:
        batch_op.drop_index('ix_framework_events_slug_time')

    op.drop_table('framework_events')
    with op.batch_alter_table('framework_owners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_framework_owners_district_id'))

    op.drop_table('framework_owners')


def create_append_only_triggers():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE FUNCTION framework_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'the framework audit stream is append-only: % refused', TG_OP;
            END $$""")
        op.execute("""
            CREATE TRIGGER framework_events_append_only BEFORE UPDATE OR DELETE ON framework_events
            FOR EACH ROW EXECUTE FUNCTION framework_events_append_only()""")
    else:
        op.execute("""
            CREATE TRIGGER framework_events_no_update BEFORE UPDATE ON framework_events
            BEGIN SELECT RAISE(ABORT, 'the framework audit stream is append-only: UPDATE refused'); END""")


def drop_append_only_triggers():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS framework_events_append_only ON framework_events")
        op.execute("DROP FUNCTION IF EXISTS framework_events_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS framework_events_no_update")
