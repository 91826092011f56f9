/**
 * Writes the same schema and history as an Alembic project (SQLAlchemy
 * models, alembic.ini, env.py, versions/), so the comparison runs Alembic on
 * exactly the work Retort does. env.py is the stock online template with the
 * models as target_metadata; the database URL comes from BENCH_DB_URL.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BenchColumn, BenchRevision, BenchSchema, BenchTable } from './schema-spec.js';

const py = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function columnPy(c: BenchColumn, t: BenchTable): string {
  const nn = c.notNull ? ', nullable=False' : '';
  switch (c.kind) {
    case 'serial': return `sa.Column('id', sa.Integer, primary_key=True)`;
    case 'integer': return `sa.Column(${py(c.name)}, sa.Integer${nn})`;
    case 'bigint': return `sa.Column(${py(c.name)}, sa.BigInteger${nn})`;
    case 'varchar': return `sa.Column(${py(c.name)}, sa.String(100)${nn})`;
    case 'text': return `sa.Column(${py(c.name)}, sa.Text${nn})`;
    case 'boolean': return `sa.Column(${py(c.name)}, sa.Boolean${nn})`;
    case 'numeric': return `sa.Column(${py(c.name)}, sa.Numeric(12, 2)${nn})`;
    case 'timestamptz': return `sa.Column(${py(c.name)}, sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False)`;
    case 'jsonb': return `sa.Column(${py(c.name)}, JSONT${nn})`;
    case 'enum': return `sa.Column(${py(c.name)}, ENUMS[${py(c.enumName ?? t.enumName)}]${nn})`;
    case 'fk': return `sa.Column(${py(c.name)}, sa.Integer, sa.ForeignKey(${py(`${t.parent}.id`)}, name=${py(t.fkName)})${nn})`;
  }
}

function modelsPy(schema: BenchSchema): string {
  const enums = schema.enums.map((e) => `    ${py(e.name)}: sa.Enum(${e.values.map(py).join(', ')}, name=${py(e.name)}),`).join('\n');
  const tables = schema.tables.map((t) => {
    const cols = t.columns.map((c) => `    ${columnPy(c, t)},`).join('\n');
    return `sa.Table(${py(t.name)}, metadata,\n${cols}\n    sa.Index(${py(t.indexName)}, 'code'),\n    sa.UniqueConstraint('title', name=${py(t.uniqueName)}),\n)`;
  });
  // SQLAlchemy has no partitions: the objects layout's partitioned tables and partitions are named for env.py to skip.
  const skip = (schema.objects?.partitioned ?? []).flatMap((p) => [p.name, ...p.partitions.map((x) => x.name)]);
  return `import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

metadata = sa.MetaData()
SKIP = ${skip.length ? `{${skip.map(py).join(', ')}}` : 'set()'}
JSONT = sa.JSON().with_variant(JSONB(), 'postgresql')
ENUMS = {
${enums}
}

${tables.join('\n')}
`;
}

const ENV_PY = `import os
import sys
from alembic import context
from sqlalchemy import create_engine, pool

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from models import metadata, SKIP  # noqa: E402

url = os.environ['BENCH_DB_URL']
# Retort's own bookkeeping tables live in the shared database; Alembic must not see them. Nor the partitioned
# tables of the objects layout (SKIP), which it would reflect as plain tables it cannot declare. Views, functions,
# triggers and sequences its autogenerate does not read at all.
OWN = {'retort_version', 'retort_history'}


def include_name(name, type_, parent_names):
    return not (type_ == 'table' and (name in OWN or name in SKIP))


def run_migrations_online():
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=metadata, include_name=include_name)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    context.configure(url=url, target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
`;

const SCRIPT_MAKO = `"""\${message}

Revision ID: \${up_revision}
Revises: \${down_revision | comma,n}
Create Date: \${create_date}

"""
from alembic import op
import sqlalchemy as sa
\${imports if imports else ""}

revision = \${repr(up_revision)}
down_revision = \${repr(down_revision)}
branch_labels = \${repr(branch_labels)}
depends_on = \${repr(depends_on)}


def upgrade():
    \${upgrades if upgrades else "pass"}


def downgrade():
    \${downgrades if downgrades else "pass"}
`;

function revisionPy(r: BenchRevision): string {
  const s = r.step;
  const [up, down, msg] = s.kind === 'createTable'
    ? [
        `op.create_table(${py(s.table)},\n        sa.Column('id', sa.Integer, primary_key=True),\n        sa.Column('name', sa.String(50)),\n        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP')),\n    )`,
        `op.drop_table(${py(s.table)})`,
        `create ${s.table}`,
      ]
    : [`op.add_column(${py(s.table)}, sa.Column(${py(s.column)}, sa.Integer))`, `op.drop_column(${py(s.table)}, ${py(s.column)})`, `add ${s.table}.${s.column}`];
  return `"""${msg}

Revision ID: ${r.id}
Revises: ${r.parent ?? ''}
Create Date: 2026-01-01 00:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = ${py(r.id)}
down_revision = ${r.parent === null ? 'None' : py(r.parent)}
branch_labels = None
depends_on = None


def upgrade():
    ${up}


def downgrade():
    ${down}
`;
}

/** What an Alembic project folder holds; a project without schema has empty metadata. */
export interface AlembicProjectSpec {
  readonly schema?: BenchSchema;
  readonly revisions?: readonly BenchRevision[];
}

/** Writes an Alembic project into `dir`; run it as `python3 -m alembic -c dir/alembic.ini CMD` with BENCH_DB_URL set. */
export function writeAlembicProject(dir: string, spec: AlembicProjectSpec): void {
  const scripts = path.join(dir, 'alembic');
  mkdirSync(path.join(scripts, 'versions'), { recursive: true });
  writeFileSync(path.join(dir, 'alembic.ini'), `[alembic]\nscript_location = %(here)s/alembic\n`);
  writeFileSync(path.join(scripts, 'env.py'), ENV_PY);
  writeFileSync(path.join(scripts, 'script.py.mako'), SCRIPT_MAKO);
  writeFileSync(path.join(dir, 'models.py'), spec.schema ? modelsPy(spec.schema) : 'import sqlalchemy as sa\n\nmetadata = sa.MetaData()\nSKIP = set()\n');
  for (const r of spec.revisions ?? []) {
    writeFileSync(path.join(scripts, 'versions', `${r.id}_rev_${String(r.index).padStart(5, '0')}.py`), revisionPy(r));
  }
}
