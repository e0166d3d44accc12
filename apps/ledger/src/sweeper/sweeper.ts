import { randomUUID } from 'node:crypto';
import { SYSTEM_ACCOUNT_ID } from '@ledger/domain/account/events';
import { NumberCommand } from '@ledger/domain/types';
import { comparePositions } from '@ledger/event-store/port';
import { ExpiryColumn, InventoryQueries } from '@ledger/projections/inventory/queries';
import type { Projector } from '@ledger/projections/projector';
import type { SqlClient } from '@ledger/sql/sql-client';
import type { CarrierDirectory } from '../carriers/carrier-directory';
import type { NumberCommandRunner } from '../numbers/command-runner/number-command-runner';
import { settlePendingOrders, type SettlementReport } from './order-settlement';

const LEASE = 'sweeper';
const BATCH = 500;
const MAX_BATCHES_PER_PASS = 20;
/** Commands in flight at once within a batch. */
const CONCURRENCY = 8;

export interface SweepReport extends Partial<SettlementReport> {
  aged: number;
  reservationsExpired: number;
  discoveriesExpired: number;
  failed: number;
}

/**
 * Moves time-driven states along: ages numbers whose aging period has passed,
 * releases expired reservations, expires discovery entries, settles carrier
 * orders still pending by the carrier's answer. Instances sharing a
 * database take a lease first, so only one sweeps at a time.
 */
export class Sweeper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  readonly instanceId = randomUUID();

  constructor(
    private readonly sql: SqlClient,
    private readonly projector: Projector,
    private readonly runner: NumberCommandRunner,
    private readonly carriers: CarrierDirectory,
    private readonly intervalMs: number,
  ) {}

  private get schema(): string {
    return this.projector.schema;
  }

  start(): void {
    if (this.timer || this.intervalMs <= 0) return;
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.sweep().catch(() => undefined).finally(() => (this.running = null));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  ddl(): string {
    return `CREATE TABLE IF NOT EXISTS ${this.schema}.leases (name text PRIMARY KEY, holder text NOT NULL, expires_at timestamptz NOT NULL)`;
  }

  /** Takes (or renews) the lease; false when another instance holds it. */
  async takeLease(): Promise<boolean> {
    const sql = this.sql;
    const ttl = Math.max(3 * this.intervalMs, 10_000);
    const r = await sql.query(
      `INSERT INTO ${this.schema}.leases (name, holder, expires_at) VALUES ($1, $2, now() + $3 * interval '1 millisecond')
       ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
       WHERE leases.holder = EXCLUDED.holder OR leases.expires_at < now()
       RETURNING holder`,
      [LEASE, this.instanceId, ttl],
    );
    return r.rowCount === 1;
  }

  /** One pass; returns null when another instance holds the lease. */
  async sweep(): Promise<SweepReport | null> {
    if (!(await this.takeLease())) return null;
    const report: SweepReport = { aged: 0, reservationsExpired: 0, discoveriesExpired: 0, failed: 0 };
    report.aged = await this.drain('aging', 'aging_until', { type: 'AgeNumber' }, report);
    report.reservationsExpired = await this.drain('reserved', 'reservation_expires_at', { type: 'ReleaseNumber', reason: 'reservation_expired' }, report);
    report.discoveriesExpired = await this.drain('discovery', 'discovery_expires_at', { type: 'ExpireDiscovery' }, report);
    Object.assign(report, await settlePendingOrders({ sql: this.sql, carriers: this.carriers, runner: this.runner }, this.schema));
    return report;
  }

  /** Batch after batch while they come back full, renewing the lease each time so no other instance joins in. */
  private async drain(state: string, column: ExpiryColumn, command: NumberCommand, report: SweepReport): Promise<number> {
    let done = 0;
    for (let batch = 0; batch < MAX_BATCHES_PER_PASS; batch++) {
      if (batch > 0 && !(await this.takeLease())) break;
      const due = await new InventoryQueries(this.sql, this.schema).due(state, column, BATCH);
      const { applied, position } = await this.each(due, command, report);
      done += applied;
      if (due.length < BATCH || applied === 0) break;
      if (position) await this.projector.settle(position, 30_000, ['inventory']); // the next query must not see these again
    }
    return done;
  }

  /** The batch's numbers, a few at a time: their appends then share statements (group commit). */
  private async each(rows: Array<{ number: string }>, command: NumberCommand, report: SweepReport) {
    let applied = 0;
    let position: string | null = null;
    const waiting = rows.map((r) => r.number);
    const worker = async () => {
      for (let number = waiting.shift(); number !== undefined; number = waiting.shift()) {
        try {
          const outcome = await this.runner.run(number, command, {
            requester: { accountId: SYSTEM_ACCOUNT_ID, isSystem: true },
            correlationId: `sweep-${this.instanceId}`,
          });
          if (outcome.events.length > 0) applied++;
          if (outcome.position && (!position || comparePositions(outcome.position, position) > 0)) position = outcome.position;
        } catch {
          report.failed++; // the read model lagged or a user moved the number first: the next pass sees the truth
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return { applied, position };
  }
}
