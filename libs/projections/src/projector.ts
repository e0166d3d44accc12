import { EventEmitter } from 'node:events';
import { comparePositions, EventStore, LogPosition, RecordedEvent, START } from '../../event-store/src/port';
import { SqlClient, SqlExecutor } from '../../sql/src/sql-client';
import { Projection, LEDGER_STREAM_PREFIXES } from './projection';

export interface ProjectorOptions {
  schema?: string;
  batchSize?: number;
  onError?: (err: unknown) => void;
}

/**
 * Catch-up projector: follows the global log from its checkpoint and applies
 * each batch to every projection, rows and checkpoint in one transaction.
 */
export class Projector {
  readonly schema: string;
  private position: LogPosition = START;
  private running = false;
  private stopRequested = false;
  private loop: Promise<void> | null = null;
  private subscription: { close(): Promise<void> } | null = null;
  private readonly progress = new EventEmitter();
  private lastError: unknown = null;

  constructor(
    private readonly store: EventStore,
    private readonly sql: SqlClient,
    readonly projections: Projection[],
    private readonly options: ProjectorOptions = {},
  ) {
    this.schema = options.schema ?? 'public';
    this.progress.setMaxListeners(0);
  }

  get checkpoint(): LogPosition {
    return this.position;
  }

  /** True while the follow loop runs; catch-up runs must not overlap it. */
  get isFollowing(): boolean {
    return this.running;
  }

  get failure(): unknown {
    return this.lastError;
  }

  async migrate(): Promise<void> {
    await this.sql.exec(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
    await this.sql.exec(
      `CREATE TABLE IF NOT EXISTS ${this.schema}.projection_checkpoints (
         name text PRIMARY KEY, position text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`,
    );
    for (const p of this.projections) await this.sql.exec(p.ddl(this.schema));
    await this.sql.query(
      `INSERT INTO ${this.schema}.projection_checkpoints (name, position) VALUES ('ledger', $1) ON CONFLICT (name) DO NOTHING`,
      [START],
    );
    this.position = await this.readCheckpoint();
  }

  private async readCheckpoint(): Promise<LogPosition> {
    const r = await this.sql.query<{ position: string }>(
      `SELECT position FROM ${this.schema}.projection_checkpoints WHERE name = 'ledger'`,
    );
    return r.rows[0]?.position ?? START;
  }

  /**
   * Applies one batch; exposed for catch-up runs (CLI rebuild) and tests. Instances sharing
   * a database take turns on the checkpoint row and skip what another one applied first.
   */
  async applyBatch(events: RecordedEvent[]): Promise<void> {
    if (events.length === 0) return;
    const last = events[events.length - 1].position;
    const reached = await this.sql.transaction(async (tx) => {
      const stored = await this.lockCheckpoint(tx);
      const fresh = events.filter((e) => comparePositions(e.position, stored) > 0);
      if (fresh.length === 0) return stored;
      for (const p of this.projections) await p.apply(tx, fresh, this.schema);
      await tx.query(`UPDATE ${this.schema}.projection_checkpoints SET position = $1, updated_at = now() WHERE name = 'ledger'`, [last]);
      return last;
    });
    if (comparePositions(reached, this.position) > 0) this.position = reached;
    // Caches follow every event this instance read, whoever applied it.
    for (const p of this.projections) p.afterCommit?.(events);
    this.progress.emit('position', this.position);
  }

  private async lockCheckpoint(tx: SqlExecutor): Promise<LogPosition> {
    const r = await tx.query<{ position: string }>(
      `SELECT position FROM ${this.schema}.projection_checkpoints WHERE name = 'ledger' FOR UPDATE`,
    );
    return r.rows[0]?.position ?? START;
  }

  /** Reads and applies until the log has nothing more; returns the number of events applied. */
  async catchUp(onProgress?: (applied: number) => void): Promise<number> {
    let applied = 0;
    for (;;) {
      const batch = await this.store.readAll(this.position, this.options.batchSize ?? 1000, {
        streamPrefixes: LEDGER_STREAM_PREFIXES,
      });
      if (batch.length === 0) return applied;
      await this.applyBatch(batch);
      applied += batch.length;
      onProgress?.(applied);
    }
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopRequested = false;
    this.loop = this.follow();
  }

  private async follow(): Promise<void> {
    while (!this.stopRequested) {
      try {
        const sub = this.store.subscribeToAll(this.position, { streamPrefixes: LEDGER_STREAM_PREFIXES });
        this.subscription = sub;
        for await (const batch of sub) {
          if (this.stopRequested) break;
          await this.applyBatch(batch);
          this.lastError = null;
        }
      } catch (err) {
        this.lastError = err;
        this.options.onError?.(err);
        await new Promise((r) => setTimeout(r, 500));
        if (!this.stopRequested) this.position = await this.readCheckpoint().catch(() => this.position);
      } finally {
        await this.subscription?.close().catch(() => undefined);
        this.subscription = null;
      }
    }
  }

  async stop(): Promise<void> {
    this.stopRequested = true;
    await this.subscription?.close().catch(() => undefined);
    await this.loop?.catch(() => undefined);
    this.running = false;
  }

  /** Resolves true once the checkpoint reaches `target`, false after `timeoutMs`. */
  waitFor(target: LogPosition, timeoutMs: number): Promise<boolean> {
    if (comparePositions(this.position, target) >= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const onPosition = (p: LogPosition) => {
        if (comparePositions(p, target) < 0) return;
        clearTimeout(timer);
        this.progress.off('position', onPosition);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.progress.off('position', onPosition);
        resolve(false);
      }, timeoutMs);
      this.progress.on('position', onPosition);
    });
  }

  /**
   * Read models include everything up to `position`: waits for the follower, or catches up
   * itself when nothing follows. Throws ProjectionLagError when the follower is not there in time.
   */
  async settle(position: LogPosition, timeoutMs = 10_000): Promise<void> {
    if (!this.isFollowing) {
      await this.catchUp();
      return;
    }
    if (!(await this.waitFor(position, timeoutMs))) throw new ProjectionLagError(position);
  }

  /** Drops every read-model row and the checkpoint; the next catch-up replays from position zero. */
  async reset(): Promise<void> {
    await this.sql.transaction(async (tx) => {
      for (const p of this.projections) {
        for (const t of p.tables) await tx.query(`TRUNCATE ${this.schema}.${t.name}`);
      }
      await tx.query(`UPDATE ${this.schema}.projection_checkpoints SET position = $1, updated_at = now() WHERE name = 'ledger'`, [START]);
    });
    this.position = START;
  }
}

/** The read models did not reach a position in time (answered 503, retry). */
export class ProjectionLagError extends Error {
  constructor(readonly position: LogPosition) {
    super(`the read models have not reached ${position} yet; retry`);
    this.name = 'ProjectionLagError';
  }
}
