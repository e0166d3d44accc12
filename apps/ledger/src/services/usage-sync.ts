import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Logger } from '@nestjs/common';
import { LedgerError } from '@ledger/domain/errors';
import { UsageRef } from '@ledger/domain/types';
import {
  comparePositions, DuplicateEventIdError, EventStore, LogPosition, RecordedEvent, START,
} from '@ledger/event-store/port';
import { ProjectionLagError, Projector } from '@ledger/projections/projector';
import { SERVICE_EVENT_TYPES, SERVICE_STREAM_PREFIX, ServiceEvent, serviceEvents } from '@ledger/domain/service/events';
import { UsageQueries } from '@ledger/projections/usage/queries';
import { SqlClient, SqlExecutor } from '@ledger/sql/sql-client';
import { LEDGER_ITSELF } from '../accounts/account-access';
import { RequestContext } from '../core/request-context';
import { NumberCommandRunner } from '../numbers/command-runner/number-command-runner';

/** Every registered service that references each number (any account), from `service_numbers`. */
export async function usersOf(sql: SqlExecutor, schema: string, numbers: string[]): Promise<Map<string, UsageRef[]>> {
  const users = new Map<string, UsageRef[]>(numbers.map((n) => [n, []]));
  if (numbers.length === 0) return users;
  const rows = await new UsageQueries(sql, schema).servicesOf(numbers);
  for (const row of rows) users.get(row.number)?.push({ type: row.type, id: row.service_id, accountId: row.account_id });
  return users;
}

/** One SetUsage the sync wants to issue, and the registry event it follows from. */
export interface UsageCommand {
  number: string;
  usedBy: UsageRef[];
  source: RecordedEvent;
}

/** Answered as 503: the registry change is recorded, the numbers' usage follows. */
export class UsageLagError extends ProjectionLagError {
  constructor(position: LogPosition, message: string) {
    super(position);
    this.message = message;
  }
}

const CHECKPOINT = 'usage-sync';
const RETRY_MS = 1_000;
const POLL_MS = 250;
const BATCH = 100;
/** A quiet registry's checkpoint follows the head every this many polls (a restart re-reads less). */
const SAVE_EVERY_IDLE_MOVES = 100;

/**
 * Keeps `usedBy` on numbers in line with the service registry: a reactor that follows the
 * log's service events from its own checkpoint (polling; a caller waiting wakes it). For each event it waits until the read
 * models hold it, then gives each number the event touched (before and after) exactly its
 * current users. The SetUsage event ids derive from the source event id and the usage set,
 * so after a crash at any point the replay from the checkpoint appends nothing twice and
 * nothing is lost; several instances may follow at once for the same reason.
 */
export class UsageSync {
  /** Test hook: runs before each SetUsage is issued (a throw stands for a crash there). */
  beforeCommand: ((command: UsageCommand) => Promise<void> | void) | null = null;
  private position: LogPosition = START;
  private lastIssued: LogPosition | null = null;
  private unsaved = 0;
  private loop: Promise<void> | null = null;
  private stopping = false;
  private readonly progress = new EventEmitter();
  private readonly log = new Logger('usage-sync');

  constructor(
    private readonly events: EventStore,
    private readonly sql: SqlClient,
    private readonly projector: Projector,
    private readonly runner: NumberCommandRunner,
  ) {
    this.progress.setMaxListeners(0);
  }

  private get schema(): string {
    return this.projector.schema;
  }

  ddl(): string {
    return `CREATE TABLE IF NOT EXISTS ${this.schema}.reactor_checkpoints (
      name text PRIMARY KEY, position text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`;
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.follow();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.progress.emit('stopped');
    await this.loop;
    this.loop = null;
  }

  /**
   * Resolves once the sync has handled the log up to `position`, with the position of the
   * last SetUsage it issued (or `position` when that is later): what a caller waits for
   * before answering that usage follows a registry change.
   */
  async waitFor(position: LogPosition, timeoutMs = 10_000): Promise<LogPosition> {
    const reached = () => comparePositions(this.position, position) >= 0;
    if (!reached()) {
      this.progress.emit('wake');
      await new Promise<void>((resolve, reject) => {
        const done = (err?: Error) => {
          clearTimeout(timer);
          this.progress.off('position', check);
          this.progress.off('stopped', stopped);
          if (err) reject(err);
          else resolve();
        };
        const check = () => reached() && done();
        const stopped = () => done(new UsageLagError(position, `usage sync stopped before ${position}; usage follows when it runs again`));
        const timer = setTimeout(() => done(new UsageLagError(position, `usage has not caught up with ${position} yet; it follows`)), timeoutMs);
        this.progress.on('position', check);
        this.progress.on('stopped', stopped);
      });
    }
    return this.lastIssued && comparePositions(this.lastIssued, position) > 0 ? this.lastIssued : position;
  }

  private async follow(): Promise<void> {
    while (!this.stopping) {
      try {
        this.position = await this.readCheckpoint();
        this.progress.emit('position');
        while (!this.stopping) {
          if (await this.step()) await this.idle();
        }
        await this.saveCheckpoint(this.position);
      } catch (err) {
        if (this.stopping) return;
        this.log.error(`usage sync stopped at ${this.position}, retrying: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    }
  }

  /**
   * Handles the next service events; true once caught up. Reads only service events, and
   * when there are no more moves on to the head read before them (nothing at or below it can
   * still appear), so a quiet registry costs one short read per poll however long the log.
   */
  private async step(): Promise<boolean> {
    const head = await this.events.headPosition();
    const batch = await this.events.readAll(this.position, BATCH, { streamPrefixes: [SERVICE_STREAM_PREFIX] });
    for (const event of batch) {
      if (this.stopping) return false;
      await this.react(event);
      await this.saveCheckpoint(event.position);
    }
    if (batch.length === BATCH) return false;
    if (comparePositions(head, this.position) > 0) {
      this.advance(head);
      if (++this.unsaved >= SAVE_EVERY_IDLE_MOVES) await this.saveCheckpoint(head);
    }
    return true;
  }

  /** Waits for the next poll, a caller waiting for a position, or stop. */
  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.progress.off('wake', done);
        this.progress.off('stopped', done);
        resolve();
      };
      const timer = setTimeout(done, POLL_MS);
      this.progress.on('wake', done);
      this.progress.on('stopped', done);
    });
  }

  private advance(position: LogPosition): void {
    this.position = position;
    this.progress.emit('position');
  }

  private async react(event: RecordedEvent): Promise<void> {
    if (comparePositions(event.position, this.position) <= 0) return;
    if (event.type !== SERVICE_EVENT_TYPES.ServiceRegistered && event.type !== SERVICE_EVENT_TYPES.ServiceRemoved) return;
    const affected = new Set([...(await this.numbersBefore(event)), ...listed(serviceEvents.read(event))]);
    await this.projector.settle(event.position, undefined, ['usage']);
    const users = await usersOf(this.sql, this.schema, [...affected].sort());
    for (const [number, usedBy] of users) await this.issue({ number, usedBy, source: event });
  }

  /** The numbers the service listed before this event (from its own stream). */
  private async numbersBefore(event: RecordedEvent): Promise<string[]> {
    const earlier = (await this.events.readStream(event.streamId)).filter((e) => e.revision < event.revision);
    const last = earlier[earlier.length - 1];
    return last ? listed(serviceEvents.read(last)) : [];
  }

  /** One SetUsage, keyed by its source event and content: replayed, it finds its own events. */
  private async issue(command: UsageCommand): Promise<void> {
    await this.beforeCommand?.(command);
    const content = createHash('sha256').update(JSON.stringify(command.usedBy)).digest('hex').slice(0, 16);
    const meta: RequestContext = {
      requester: LEDGER_ITSELF,
      idempotencyKey: `usage-sync:${command.source.id}:${content}`,
      causationId: command.source.id,
      correlationId: command.source.metadata?.correlationId,
    };
    try {
      const outcome = await this.runner.run(command.number, { type: 'SetUsage', usedBy: command.usedBy }, meta);
      if (outcome.position) this.lastIssued = outcome.position;
    } catch (err) {
      if (err instanceof DuplicateEventIdError) return; // issued before a crash
      if (!(err instanceof LedgerError) || err.code === 'concurrency_conflict') throw err; // retried from the checkpoint
      // A number that is missing (left to the audit) or refuses the usage must not stop the sync.
      if (err.code !== 'not_found') this.log.warn(`usage of ${command.number} not set: ${err.message}`);
    }
  }

  private async readCheckpoint(): Promise<LogPosition> {
    const r = await this.sql.query<{ position: string }>(`SELECT position FROM ${this.schema}.reactor_checkpoints WHERE name = $1`, [CHECKPOINT]);
    return r.rows[0]?.position ?? START;
  }

  /** Moves the shared checkpoint forward only (instances may follow side by side). */
  private async saveCheckpoint(position: LogPosition): Promise<void> {
    await this.sql.transaction(async (tx) => {
      const r = await tx.query<{ position: string }>(`SELECT position FROM ${this.schema}.reactor_checkpoints WHERE name = $1 FOR UPDATE`, [CHECKPOINT]);
      const stored = r.rows[0]?.position;
      if (stored && comparePositions(stored, position) >= 0) return;
      await tx.query(
        `INSERT INTO ${this.schema}.reactor_checkpoints (name, position) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = now()`,
        [CHECKPOINT, position],
      );
    });
    this.unsaved = 0;
    this.advance(position);
  }
}

/** The numbers a registry event lists (none for a removal). */
function listed(event: ServiceEvent): string[] {
  return event.type === SERVICE_EVENT_TYPES.ServiceRegistered ? event.data.numbers : [];
}
