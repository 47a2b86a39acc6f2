import { type RawBuilder, sql } from 'kysely'
import type { Executor } from '../database.ts'
import type { Migration } from '../migrate.ts'

// The SQL of `portcullis backup` and `restore`. Tables, columns and sequences are read from the catalog, so a table
// a new migration adds is backed up without a change here. Names reach SQL only after they were read from the
// catalog of the database at hand, and always quoted.

export type TableShape = {
  name: string
  /** Every column a backup holds, in table order: generated columns are left out, PostgreSQL computes them. */
  columns: { name: string; type: string }[]
  primaryKey: string[]
  /** Tables this one has a foreign key to, itself excluded. */
  references: string[]
}

export type SequenceValue = { name: string; lastValue: string; isCalled: boolean }

/** Identifiers are quoted by hand: they come from the catalog, and must reach SQL exactly as PostgreSQL spells them. */
function ident(name: string): RawBuilder<unknown> {
  return sql.raw(`"${name.replaceAll('"', '""')}"`)
}

function list(names: string[]): RawBuilder<unknown> {
  return sql.join(names.map(ident))
}

/**
 * The same text for the same value on PGlite and PostgreSQL, whatever the server's defaults: each value travels as
 * its PostgreSQL text form, which is exact for every type (as COPY does), so the output settings are pinned.
 */
export async function pinTextFormats(trx: Executor): Promise<void> {
  await sql`set local time zone 'UTC'`.execute(trx)
  await sql`set local datestyle = 'ISO, YMD'`.execute(trx)
  await sql`set local intervalstyle = 'postgres'`.execute(trx)
  await sql`set local bytea_output = 'hex'`.execute(trx)
  await sql`set local extra_float_digits = 1`.execute(trx)
}

/** The tables of the application's schema, with the columns, key and references a backup and a restore need. */
export async function tableShapes(db: Executor): Promise<TableShape[]> {
  const { rows } = await sql<{ name: string; columns: TableShape['columns']; primaryKey: string[] | null }>`
    select c.relname as name,
      (select json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod))
              order by a.attnum)
         from pg_attribute a
        where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = '') as columns,
      (select array_agg(a.attname::text order by array_position(i.indkey, a.attnum))
         from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
        where i.indrelid = c.oid and i.indisprimary) as primary_key
    from pg_class c
    where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'p')
    order by c.relname`.execute(db)
  const { rows: links } = await sql<{ child: string; parent: string }>`
    select child.relname as child, parent.relname as parent
    from pg_constraint f
      join pg_class child on child.oid = f.conrelid
      join pg_class parent on parent.oid = f.confrelid
    where f.contype = 'f' and f.connamespace = current_schema()::regnamespace`.execute(db)
  return rows.map(row => ({
    name: row.name,
    columns: row.columns,
    primaryKey: row.primaryKey ?? [],
    references: [
      ...new Set(links.filter(link => link.child === row.name && link.parent !== row.name).map(l => l.parent)),
    ],
  }))
}

/** How many tables the application's schema holds: none in a database a restore may fill. */
export async function tableCount(db: Executor): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from pg_class
    where relnamespace = current_schema()::regnamespace and relkind in ('r', 'p')`.execute(db)
  return rows[0]?.n ?? 0
}

export async function appliedMigrations(db: Executor): Promise<{ version: string; name: string; checksum: string }[]> {
  const { rows } = await sql<{ version: string; name: string; checksum: string }>`
    select version, name, checksum from schema_migration order by version`.execute(db)
  return rows
}

export async function rowCount(db: Executor, table: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::bigint as n from ${ident(table)}`.execute(db)
  return Number(rows[0]?.n ?? 0)
}

export async function sequenceValues(db: Executor): Promise<SequenceValue[]> {
  const { rows } = await sql<{ name: string }>`
    select relname as name from pg_class
    where relnamespace = current_schema()::regnamespace and relkind = 'S' order by relname`.execute(db)
  const values: SequenceValue[] = []
  for (const { name } of rows) {
    const { rows: state } = await sql<{ lastValue: string; isCalled: boolean }>`
      select last_value::text as last_value, is_called from ${ident(name)}`.execute(db)
    const [value] = state
    if (value) values.push({ name, lastValue: value.lastValue, isCalled: value.isCalled })
  }
  return values
}

export async function setSequence(trx: Executor, sequence: SequenceValue): Promise<void> {
  await sql`select setval(quote_ident(${sequence.name})::regclass, ${sequence.lastValue}::bigint, ${sequence.isCalled})`.execute(
    trx,
  )
}

/**
 * Opens a cursor over a table's rows in primary-key order, each row one line: a JSON array of the columns' text
 * forms (null for NULL). Read with fetchRows, in the caller's transaction.
 */
export async function openRows(trx: Executor, table: TableShape): Promise<void> {
  const values = sql.join(table.columns.map(column => sql`${ident(column.name)}::text`))
  const order = list(table.primaryKey.length ? table.primaryKey : table.columns.map(column => column.name))
  await sql`declare backup_rows no scroll cursor for
    select to_json(array[${values}]::text[])::text as line from ${ident(table.name)} order by ${order}`.execute(trx)
}

export async function fetchRows(trx: Executor, batchSize: number): Promise<string[]> {
  const { rows } = await sql<{ line: string }>`fetch forward ${sql.lit(batchSize)} from backup_rows`.execute(trx)
  return rows.map(row => row.line)
}

export async function closeRows(trx: Executor): Promise<void> {
  await sql`close backup_rows`.execute(trx)
}

/**
 * Inserts rows written by openRows: each text value is cast back to its column's type, as COPY would read it.
 * Identity columns keep their values (overriding system value); generated columns are computed again.
 */
export async function insertRows(trx: Executor, table: TableShape, lines: string[]): Promise<void> {
  const values = sql.join(table.columns.map((column, index) => sql`(r->>${sql.lit(index)})::${sql.raw(column.type)}`))
  await sql`insert into ${ident(table.name)} (${list(table.columns.map(column => column.name))})
    overriding system value
    select ${values} from json_array_elements(${`[${lines.join(',')}]`}::json) as rows(r)`.execute(trx)
}

/** Empties a table the migrations filled with reference data, so the backup's rows replace it exactly. */
export async function deleteRows(trx: Executor, table: string): Promise<void> {
  await sql`delete from ${ident(table)}`.execute(trx)
}

/**
 * Applies one migration and records it as `migrate` does, in the restore's transaction: the rows are loaded into the
 * schema they were taken from, and this version's later migrations run over them afterwards.
 */
export async function applyMigration(trx: Executor, migration: Migration): Promise<void> {
  await sql`create table if not exists schema_migration (
    version text primary key,
    name text not null,
    checksum text not null,
    applied_at timestamptz not null default now()
  )`.execute(trx)
  await sql.raw(migration.sql).execute(trx)
  await sql`insert into schema_migration (version, name, checksum)
    values (${migration.version}, ${migration.name}, ${migration.checksum})`.execute(trx)
}
