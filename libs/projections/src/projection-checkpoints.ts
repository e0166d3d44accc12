import { LogPosition, parsePosition, START } from '@ledger/event-store/port';
import { SqlClient, SqlExecutor } from '@ledger/sql/sql-client';
import { sqlLiteral } from '@ledger/sql/sql-literal';
import { ProjectionFailure } from './projection-failure';
import { Projection } from './projection';

/** The single checkpoint every projection shared before each one had its own. */
const LEGACY_CHECKPOINT = 'ledger';

export interface StoredCheckpoint {
  position: LogPosition;
  failure: ProjectionFailure | null;
}

/**
 * `projection_checkpoints`: one row per projection (its name), moved in the same transaction
 * as that projection's rows; `failure` records the event it stopped at, if any.
 */
export class ProjectionCheckpoints {
  constructor(private readonly sql: SqlClient, private readonly schema: string) {}

  private get table(): string {
    return `${this.schema}.projection_checkpoints`;
  }

  /**
   * Creates the table and the projections' tables. A projection whose tables already existed
   * carries on from the legacy shared checkpoint; a new one starts at position zero.
   */
  async migrate(projections: Projection[]): Promise<void> {
    await this.sql.exec(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
    await this.sql.exec(
      `CREATE TABLE IF NOT EXISTS ${this.table} (
         name text PRIMARY KEY, position text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now());
       ALTER TABLE ${this.table} ADD COLUMN IF NOT EXISTS failure jsonb`,
    );
    const existed = new Set<string>();
    for (const p of projections) if (await this.tablesExist(p)) existed.add(p.name);
    for (const p of projections) await this.sql.exec(p.ddl(this.schema));
    await this.sql.transaction(async (tx) => {
      const legacy = await tx.query<{ position: string }>(`SELECT position FROM ${this.table} WHERE name = $1 FOR UPDATE`, [LEGACY_CHECKPOINT]);
      const carried = legacy.rows[0]?.position ?? START;
      for (const p of projections) {
        await tx.query(`INSERT INTO ${this.table} (name, position) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [
          p.name,
          existed.has(p.name) ? carried : START,
        ]);
      }
      await tx.query(`DELETE FROM ${this.table} WHERE name = $1`, [LEGACY_CHECKPOINT]);
    });
  }

  private async tablesExist(p: Projection): Promise<boolean> {
    if (p.tables.length === 0) return true;
    const r = await this.sql.query<{ found: string | null }>(`SELECT to_regclass($1)::text AS found`, [`${this.schema}.${p.tables[0].name}`]);
    return r.rows[0]?.found != null;
  }

  /**
   * The names travel in the statement's text, not as a parameter: as a batch's first statement,
   * the lock goes out with BEGIN in one round trip (PgSqlClient.transaction).
   */
  async read(names: string[], tx: SqlExecutor = this.sql, lock = false): Promise<Map<string, StoredCheckpoint>> {
    const r = await tx.query<{ name: string; position: string; failure: ProjectionFailure | null }>(
      `SELECT name, position, failure FROM ${this.table} WHERE ${namedIn(names)}
       ORDER BY name${lock ? ' FOR UPDATE' : ''}`,
    );
    return new Map(r.rows.map((row) => [row.name, { position: row.position, failure: row.failure }]));
  }

  /**
   * `read(names, tx, true)` and, in the same statement, every row before `to` moved up to it
   * (its failure cleared): a batch every lane applies whole needs no second statement for its
   * checkpoints. Answers the rows as they were. Text only, no parameters (see `read`).
   */
  async lockAndAdvance(tx: SqlExecutor, names: string[], to: LogPosition): Promise<Map<string, StoredCheckpoint>> {
    const [txId, sequence] = parsePosition(to);
    const r = await tx.query<{ name: string; position: string; failure: ProjectionFailure | null }>(
      `WITH old AS (
         SELECT name, position, failure FROM ${this.table} WHERE ${namedIn(names)}
         ORDER BY name FOR UPDATE),
       moved AS (
         UPDATE ${this.table} c SET position = ${sqlLiteral(to)}, failure = NULL, updated_at = now() FROM old
         WHERE c.name = old.name
           AND (split_part(old.position, ':', 1)::numeric, split_part(old.position, ':', 2)::numeric) < (${txId}, ${sequence})
         RETURNING 1)
       SELECT name, position, failure FROM old WHERE (SELECT count(*) FROM moved) >= 0`,
    );
    return new Map(r.rows.map((row) => [row.name, { position: row.position, failure: row.failure }]));
  }

  async write(tx: SqlExecutor, rows: Array<{ name: string } & StoredCheckpoint>): Promise<void> {
    if (rows.length === 0) return;
    await tx.query(
      `UPDATE ${this.table} c SET position = v.position, failure = v.failure::jsonb, updated_at = now()
       FROM (SELECT unnest($1::text[]) AS name, unnest($2::text[]) AS position, unnest($3::text[]) AS failure) v
       WHERE c.name = v.name`,
      [rows.map((r) => r.name), rows.map((r) => r.position), rows.map((r) => (r.failure ? JSON.stringify(r.failure) : null))],
    );
  }

  async resetAll(tx: SqlExecutor, names: string[]): Promise<void> {
    await tx.query(`UPDATE ${this.table} SET position = $1, failure = NULL, updated_at = now() WHERE name = ANY($2::text[])`, [START, names]);
  }
}

/** `name` among `names`, written into the statement (the statements that lock must carry no parameters). */
const namedIn = (names: string[]) => `name = ANY(ARRAY[${names.map(sqlLiteral).join(', ')}]::text[])`;
