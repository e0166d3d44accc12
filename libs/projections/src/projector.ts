import { EventEmitter } from 'node:events';
import { comparePositions, EventStore, LogPosition, RecordedEvent, START } from '@ledger/event-store/port';
import { SqlClient, SqlExecutor } from '@ledger/sql/sql-client';
import { Projection, LEDGER_STREAM_PREFIXES } from './projection';
import { ProjectionCheckpoints, StoredCheckpoint } from './projection-checkpoints';
import { describeFailure, isTransient, ProjectionFailedError, ProjectionFailure } from './projection-failure';
import { upcast, Upcasters } from './upcasters';

export interface ProjectorOptions {
  schema?: string;
  batchSize?: number;
  onError?: (err: unknown) => void;
  /** Told once when a projection stops at an event it cannot apply. */
  onFailure?: (failure: ProjectionFailure) => void;
  /** Applied to stored events before any projection sees them (docs/projections.md). */
  upcasters?: Upcasters;
  /** Follows the log elsewhere (another thread) instead of in this event loop; see Follower. */
  follower?: Follower;
  /**
   * Projections that apply each followed batch in a transaction of their own, beside the
   * others' (which share one): the read models most reads wait for (`minPosition`) are then
   * readable as soon as their own few statements commit, whatever the others still write.
   */
  firstLanes?: readonly string[];
  /** Told the statuses when some lanes of a followed batch committed before the others. */
  onLanesApplied?: (statuses: ProjectionStatus[]) => void;
}

/**
 * Applies the log somewhere else (a worker thread with its own projector on the same
 * database) and tells this projector what it applied through `heard`, so that waits,
 * caches and statuses here follow it.
 */
export interface Follower {
  /** `failed`: its follow loop met an error (it retries); the next batch heard clears it. */
  start(heard: (applied: AppliedBatch) => void, failed: (err: Error) => void): void;
  stop(): Promise<void>;
}

/**
 * What a follower applied: the batch's events that caches here watch (upcast; may be none:
 * a follower may keep back what no cache needs), the status of the projections it applied it to, and the position that
 * every projection has reached.
 */
export interface AppliedBatch {
  events: RecordedEvent[];
  statuses: ProjectionStatus[];
  position: LogPosition;
}

/** Where one projection stands: its checkpoint, and the event it stopped at if it failed. */
export interface ProjectionStatus {
  name: string;
  position: LogPosition;
  failure: ProjectionFailure | null;
}

interface Lane {
  projection: Projection;
  position: LogPosition;
  failure: ProjectionFailure | null;
}

/** Events per read when catching up (rebuilds, start): fewer, larger transactions. */
const CATCH_UP_BATCH = 5000;

/** Events per read of a following projector's store: large batches keep up with bulk imports (one transaction per batch). */
export const FOLLOW_BATCH = 10_000;

/** Batches a projection may apply before the slowest one has applied the first of them. */
const LANES_AHEAD = 2;
/** How often `settle` reads the log again when nothing follows it and the position is not readable yet. */
const SETTLE_POLL_MS = 50;

/** How often a follower's `settle` looks whether its caller stopped waiting. */
const SETTLE_SLICE_MS = 1000;

/** How often `reach` looks whether the projector was stopped meanwhile. */
const HEAD_POLL_MS = 500;

/** A batch as stored (for projections of `storedEvents`) and as upcast (for every other one). */
interface Batch {
  stored: RecordedEvent[];
  upcast: RecordedEvent[];
}

type LaneOutcome = { lane: Lane; stored: StoredCheckpoint; changed: boolean };

/**
 * Catch-up projector: follows the global log and applies each batch to every projection.
 * Each projection has its own checkpoint, moved in the same transaction as its rows (one
 * transaction per batch for all of them). A projection that cannot apply an event stops
 * there alone; the others keep going, and waits on the stopped one fail at once.
 */
export class Projector {
  readonly schema: string;
  /** The log position read and handed to every projection that is not failing. */
  private position: LogPosition = START;
  private running = false;
  private stopRequested = false;
  private loop: Promise<void> | null = null;
  private subscription: { close(): Promise<void> } | null = null;
  private readonly progress = new EventEmitter();
  private lastError: unknown = null;
  private readonly checkpoints: ProjectionCheckpoints;
  private readonly lanes: Lane[];
  /** The lanes as followed batches apply them: the first lanes, then the rest together (see ProjectorOptions.firstLanes). */
  private readonly laneGroups: Lane[][];

  constructor(
    private readonly store: EventStore,
    private readonly sql: SqlClient,
    readonly projections: Projection[],
    private readonly options: ProjectorOptions = {},
  ) {
    this.schema = options.schema ?? 'public';
    this.progress.setMaxListeners(0);
    this.checkpoints = new ProjectionCheckpoints(sql, this.schema);
    this.lanes = projections.filter((p) => !p.followsOnly).map((projection) => ({ projection, position: START, failure: null }));
    const first = (l: Lane) => options.firstLanes?.includes(l.projection.name) ?? false;
    const unknown = (options.firstLanes ?? []).filter((name) => !this.lanes.some((l) => l.projection.name === name));
    if (unknown.length > 0) throw new Error(`firstLanes names no projection: ${unknown.join(', ')}`);
    this.laneGroups = [this.lanes.filter(first), this.lanes.filter((l) => !first(l))].filter((g) => g.length > 0);
  }

  /** Every event up to here is applied by every projection that is not failing. */
  get checkpoint(): LogPosition {
    return this.position;
  }

  get upcasters(): Upcasters {
    return this.options.upcasters ?? {};
  }

  /** True while the follow loop runs; catch-up runs must not overlap it. */
  get isFollowing(): boolean {
    return this.running;
  }

  /** The follow loop's last error, else the first projection failure, else null. */
  get failure(): unknown {
    if (this.lastError != null) return this.lastError;
    const failures = this.failures;
    return failures.length ? new ProjectionFailedError(failures) : null;
  }

  get failures(): ProjectionFailure[] {
    return this.lanes.flatMap((l) => (l.failure ? [l.failure] : []));
  }

  get statuses(): ProjectionStatus[] {
    return this.lanes.map((l) => ({ name: l.projection.name, position: l.position, failure: l.failure }));
  }

  async migrate(): Promise<void> {
    await this.checkpoints.migrate(this.lanes.map((l) => l.projection));
    await this.loadCheckpoints();
  }

  /** Lanes take their stored positions; the log is read again from the lowest one not failing. */
  private async loadCheckpoints(): Promise<void> {
    const stored = await this.checkpoints.read(this.lanes.map((l) => l.projection.name));
    for (const lane of this.lanes) lane.position = stored.get(lane.projection.name)?.position ?? START;
    const active = this.lanes.filter((l) => !l.failure).map((l) => l.position);
    if (active.length) this.position = active.reduce((a, b) => (comparePositions(a, b) <= 0 ? a : b));
  }

  /**
   * Applies one batch; exposed for catch-up runs (CLI rebuild) and tests. Instances sharing
   * a database take turns on the checkpoint rows and skip what another one applied first.
   */
  async applyBatch(events: RecordedEvent[]): Promise<void> {
    if (events.length === 0) return;
    const batch = { stored: events, upcast: upcast(events, this.upcasters) };
    if (this.laneGroups.length < 2) await this.applyInOneTransaction(this.lanes, batch);
    else {
      let running = this.laneGroups.length;
      await allDone(this.laneGroups.map((lanes) => this.applyInOneTransaction(lanes, batch).then((changed) => {
        if (--running > 0 && changed) this.lanesApplied();
      })));
    }
    this.finishBatch(batch);
  }

  /** Some lanes committed a batch the others may still be writing: waits on those lanes alone can end. */
  private lanesApplied(): void {
    this.progress.emit('position', this.position);
    this.options.onLanesApplied?.(this.statuses);
  }

  /** The batch to the lanes not failing, in one transaction with their checkpoints; true when some lane had events of it to apply. */
  private async applyInOneTransaction(lanes: Lane[], batch: Batch): Promise<boolean> {
    const active = lanes.filter((l) => !l.failure);
    if (active.length === 0) return false;
    let outcomes: LaneOutcome[];
    try {
      outcomes = await this.sql.transaction((tx) => this.applyToLanes(tx, active, batch, false));
    } catch (err) {
      if (isTransient(err)) throw err;
      // Some projection cannot apply some event: again, each projection and event on its own.
      outcomes = await this.sql.transaction((tx) => this.applyToLanes(tx, active, batch, true));
    }
    for (const o of outcomes) this.settleLane(o);
    return outcomes.some((o) => o.changed);
  }

  /** Every lane applied the batch (or stopped before it): the position moves, caches hear of it. */
  private finishBatch(batch: Batch): void {
    const last = batch.stored[batch.stored.length - 1].position;
    if (comparePositions(last, this.position) > 0) this.position = last;
    // Caches follow every event this instance read, whoever applied it.
    for (const p of this.projections) p.afterCommit?.(batch.upcast);
    this.progress.emit('position', this.position);
  }

  private settleLane({ lane, stored }: LaneOutcome): void {
    if (comparePositions(stored.position, lane.position) > 0) lane.position = stored.position;
    if (stored.failure && !lane.failure) {
      lane.failure = stored.failure;
      this.options.onFailure?.(stored.failure);
    }
  }

  /**
   * Each lane's events after its checkpoint. Applied whole, the batch moves every checkpoint
   * in the statement that locks them; isolated (after a failure), each lane's reach is written after.
   */
  private async applyToLanes(tx: SqlExecutor, lanes: Lane[], batch: Batch, isolate: boolean): Promise<LaneOutcome[]> {
    const names = lanes.map((l) => l.projection.name);
    const last = batch.stored[batch.stored.length - 1].position;
    const stored = isolate ? await this.checkpoints.read(names, tx, true) : await this.checkpoints.lockAndAdvance(tx, names, last);
    const outcomes: LaneOutcome[] = [];
    for (const lane of lanes) {
      const from = stored.get(lane.projection.name)?.position ?? START;
      const fresh = after(lane.projection.storedEvents ? batch.stored : batch.upcast, from);
      if (fresh.length === 0) {
        outcomes.push({ lane, stored: { position: from, failure: null }, changed: false });
        continue;
      }
      const reached = isolate
        ? await this.applyIsolated(tx, lane.projection, fresh, from)
        : (await lane.projection.apply(tx, fresh, this.schema), { position: last, failure: null });
      outcomes.push({ lane, stored: reached, changed: true });
    }
    if (isolate) await this.checkpoints.write(tx, outcomes.filter((o) => o.changed).map((o) => ({ name: o.lane.projection.name, ...o.stored })));
    return outcomes;
  }

  /**
   * The batch in a savepoint; when it fails, event by event until the one that cannot be
   * applied: the projection keeps what came before it and stops there.
   */
  private async applyIsolated(tx: SqlExecutor, p: Projection, fresh: RecordedEvent[], from: LogPosition): Promise<StoredCheckpoint> {
    if ((await this.attempt(tx, p, fresh)) === null) return { position: fresh[fresh.length - 1].position, failure: null };
    let position = from;
    for (const e of fresh) {
      const err = await this.attempt(tx, p, [e]);
      if (err !== null) return { position, failure: describeFailure(p.name, e, err) };
      position = e.position;
    }
    return { position, failure: null };
  }

  /** Null when applied; else the error, the events rolled back. Rethrows what a retry may fix. */
  private async attempt(tx: SqlExecutor, p: Projection, events: RecordedEvent[]): Promise<unknown> {
    await tx.query('SAVEPOINT projection_attempt');
    try {
      await p.apply(tx, events, this.schema);
      await tx.query('RELEASE SAVEPOINT projection_attempt');
      return null;
    } catch (err) {
      if (isTransient(err)) throw err;
      await tx.query('ROLLBACK TO SAVEPOINT projection_attempt');
      return err ?? new Error('projection failed without an error');
    }
  }

  /**
   * Reads and applies until the log has nothing more; returns the number of events applied.
   * The next batch is read while the current one is applied. Each projection applies each
   * batch in a transaction of its own, in log order, so that they run side by side (the
   * database on every core, this process preparing one while the database writes another);
   * one may run up to LANES_AHEAD batches ahead of the slowest.
   */
  async catchUp(onProgress?: (applied: number) => void): Promise<number> {
    const read = (after: LogPosition) =>
      this.store.readAll(after, this.options.batchSize ?? CATCH_UP_BATCH, { streamPrefixes: LEDGER_STREAM_PREFIXES });
    let applied = 0;
    let next = read(this.position);
    next.catch(() => undefined); // a failed read is reported where it is awaited
    const steps = new Map<Lane, Promise<void>>(this.lanes.map((l) => [l, Promise.resolve()]));
    const finished: Array<Promise<void>> = [];
    try {
      for (;;) {
        const events = await next;
        if (events.length === 0) break;
        next = read(events[events.length - 1].position);
        next.catch(() => undefined);
        const batch = { stored: events, upcast: upcast(events, this.upcasters) };
        // A lane's step waits for its previous one and never runs after one that failed: no gap in its rows.
        for (const [lane, step] of steps) steps.set(lane, step.then(async () => void (await this.applyInOneTransaction([lane], batch))));
        finished.push(Promise.all([finished[finished.length - 1], ...steps.values()]).then(() => {
          this.finishBatch(batch);
          applied += events.length;
          onProgress?.(applied);
        }));
        if (finished.length > LANES_AHEAD) await finished.shift();
      }
      await Promise.all(finished);
      return applied;
    } catch (err) {
      await Promise.allSettled([next, ...finished, ...steps.values()]);
      throw err;
    }
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopRequested = false;
    const follower = this.options.follower;
    if (follower) follower.start((applied) => this.heard(applied), (err) => this.followFailed(err));
    else this.loop = this.follow();
  }

  /** The follower applied a batch: its checkpoints become this projector's, the caches hear the events. */
  private heard({ events, statuses, position }: AppliedBatch): void {
    for (const s of statuses) {
      const lane = this.lanes.find((l) => l.projection.name === s.name);
      if (lane) this.settleLane({ lane, stored: { position: s.position, failure: s.failure }, changed: true });
    }
    if (comparePositions(position, this.position) > 0) this.position = position;
    if (events.length) for (const p of this.projections) p.afterCommit?.(events);
    this.progress.emit('position', this.position);
    this.lastError = null;
  }

  private followFailed(err: Error): void {
    this.lastError = err;
    this.options.onError?.(err);
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
        if (!this.stopRequested) await this.loadCheckpoints().catch(() => undefined);
      } finally {
        await this.subscription?.close().catch(() => undefined);
        this.subscription = null;
      }
    }
  }

  async stop(): Promise<void> {
    this.stopRequested = true;
    if (this.running) await this.options.follower?.stop().catch(() => undefined);
    await this.subscription?.close().catch(() => undefined);
    await this.loop?.catch(() => undefined);
    this.running = false;
  }

  /**
   * Resolves true once the projections named in `reads` (default: all) reach `target`, false
   * after `timeoutMs`. Throws ProjectionFailedError at once when one of them stopped before it.
   */
  waitFor(target: LogPosition, timeoutMs: number, reads?: readonly string[]): Promise<boolean> {
    const lanes = reads ? this.lanes.filter((l) => reads.includes(l.projection.name)) : this.lanes;
    // A lane's checkpoint says what its read model holds: when every projection read is a lane,
    // those lanes answer alone (a follower may apply them ahead of the others).
    const lanesAnswer = reads !== undefined && reads.length > 0 && reads.every((name) => lanes.some((l) => l.projection.name === name));
    const reached = (): boolean => {
      const stopped = lanes.filter((l) => l.failure && comparePositions(l.position, target) < 0);
      if (stopped.length) throw new ProjectionFailedError(stopped.map((l) => l.failure!));
      return (lanesAnswer || comparePositions(this.position, target) >= 0) && lanes.every((l) => comparePositions(l.position, target) >= 0);
    };
    try {
      if (reached()) return Promise.resolve(true);
    } catch (err) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes on what the check threw, unchanged
      return Promise.reject(err);
    }
    return new Promise((resolve, reject) => {
      const done = (settle: () => void) => {
        clearTimeout(timer);
        this.progress.off('position', onPosition);
        settle();
      };
      const onPosition = () => {
        try {
          if (reached()) done(() => resolve(true));
        } catch (err) {
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes on what the check threw, unchanged
          done(() => reject(err));
        }
      };
      const timer = setTimeout(() => done(() => resolve(false)), timeoutMs);
      this.progress.on('position', onPosition);
    });
  }

  /** Whether `target` lies past the last committed event: no command ever answered it, no wait can reach it. */
  async isPastLog(target: LogPosition): Promise<boolean> {
    return comparePositions(target, await this.store.committedPosition()) > 0;
  }

  /**
   * Resolves true once the projections in `reads` hold every event committed before the call,
   * false when the projector is stopped first; throws ProjectionFailedError when one of them
   * stopped before. For work resumed at start from a read model: a previous instance may have
   * stopped before applying its last events, and what it left unfinished must not be missed.
   */
  async reachHead(reads?: readonly string[]): Promise<boolean> {
    return this.reach(await this.store.committedPosition(), reads);
  }

  /** Like `waitFor` without a bound: true once `reads` reach `target`, false when the projector is stopped first. */
  async reach(target: LogPosition, reads?: readonly string[]): Promise<boolean> {
    while (!this.stopRequested) {
      if (await this.waitFor(target, HEAD_POLL_MS, reads)) return true;
    }
    return false;
  }

  /**
   * Read models include everything up to `position`: waits for the follower, or catches up
   * itself when nothing follows. Throws ProjectionLagError when the follower is not there in
   * time, ProjectionFailedError when a projection in `reads` stopped before `position`.
   * Resolves true, or false once `stopWaiting` says the caller gave up (looked at every second).
   */
  async settle(position: LogPosition, timeoutMs = 10_000, reads?: readonly string[], stopWaiting: () => boolean = () => false): Promise<boolean> {
    // `position` may be past what the log lets a reader see yet (a committed position while an earlier transaction runs).
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      if (!this.isFollowing) await this.catchUp();
      const slice = this.isFollowing ? Math.max(0, Math.min(deadline - performance.now(), SETTLE_SLICE_MS)) : 0;
      if (await this.waitFor(position, slice, reads)) return true;
      if (performance.now() >= deadline) throw new ProjectionLagError(position);
      if (stopWaiting()) return false;
      if (!this.isFollowing) await new Promise((r) => setTimeout(r, SETTLE_POLL_MS));
    }
  }

  /**
   * `reset()`, then the whole log replayed (`ledger rebuild-projections`; nothing else may
   * apply meanwhile). The read models' secondary indexes are dropped with the rows and built
   * again once at the end, from their own definitions: sorting a million keys once is far
   * cheaper than inserting them one by one. (A crash in between leaves them to the next
   * start's migration.) The tables are analyzed at the end. Returns the number of events applied.
   */
  async rebuild(onProgress?: (applied: number) => void): Promise<number> {
    const indexes = await this.secondaryIndexes();
    await this.reset(indexes.map((i) => i.name));
    try {
      return await this.catchUp(onProgress);
    } finally {
      // One connection per index and per table: the database builds and analyzes them side by side.
      await allDone(indexes.map((i) => this.sql.exec(i.definition.replace(/^CREATE INDEX /, 'CREATE INDEX IF NOT EXISTS '))));
      // Fresh statistics: plans made on those of the emptied tables would scan the big ones.
      await allDone(this.tables().map((table) => this.sql.exec(`ANALYZE ${table}`)));
    }
  }

  private tables(): string[] {
    return this.lanes.flatMap((l) => l.projection.tables.map((t) => `${this.schema}.${t.name}`));
  }

  /** Indexes of the read-model tables that no constraint needs (not unique, not the key). */
  private async secondaryIndexes(): Promise<Array<{ name: string; definition: string }>> {
    const tables = this.tables();
    const r = await this.sql.query<{ name: string; definition: string }>(
      `SELECT c.relname AS name, pg_get_indexdef(x.indexrelid) AS definition
       FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
       WHERE x.indrelid = ANY($1::text[]::regclass[]) AND NOT x.indisunique AND NOT x.indisprimary`,
      [tables],
    );
    return r.rows;
  }

  /** Drops every read-model row and the checkpoints (and the indexes named); the next catch-up replays from position zero. */
  async reset(dropIndexes: readonly string[] = []): Promise<void> {
    await this.sql.transaction(async (tx) => {
      for (const lane of this.lanes) {
        for (const t of lane.projection.tables) await tx.query(`TRUNCATE ${this.schema}.${t.name}`);
      }
      for (const name of dropIndexes) await tx.query(`DROP INDEX IF EXISTS ${this.schema}."${name}"`);
      await this.checkpoints.resetAll(tx, this.lanes.map((l) => l.projection.name));
    });
    for (const lane of this.lanes) {
      lane.position = START;
      lane.failure = null;
    }
    this.position = START;
  }
}

/** Waits for every one of `work`, then throws the first failure, if any. */
async function allDone(work: Array<Promise<void>>): Promise<void> {
  const failed = (await Promise.allSettled(work)).find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** The events of `batch` (in log order) after `from`; usually all or none of them. */
function after(batch: RecordedEvent[], from: LogPosition): RecordedEvent[] {
  if (comparePositions(batch[0].position, from) > 0) return batch;
  if (comparePositions(batch[batch.length - 1].position, from) <= 0) return [];
  return batch.filter((e) => comparePositions(e.position, from) > 0);
}

/** The read models did not reach a position in time (answered 503, retry). */
export class ProjectionLagError extends Error {
  constructor(readonly position: LogPosition) {
    super(`the read models have not reached ${position} yet; retry`);
    this.name = 'ProjectionLagError';
  }
}
