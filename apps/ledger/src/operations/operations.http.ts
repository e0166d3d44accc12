import { Inject } from '@nestjs/common';
import { EVENTS, SQL } from '../core/tokens';
import { Controller, Get, Header, HttpException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Projector } from '@ledger/projections/projector';
import { EventStore } from '@ledger/event-store/port';
import { LEDGER_STREAM_PREFIXES } from '@ledger/projections/projection';

const MAX_READY_LAG_SECONDS = 30;
import { SqlClient } from '@ledger/sql/sql-client';
import { Public } from '../core/entry-decorators';
import { LedgerMetrics } from '../core/ledger-metrics';

@ApiTags('operations')
@Controller()
export class OperationsController {
  constructor(
    private readonly projector: Projector,
    @Inject(EVENTS) private readonly events: EventStore,
    @Inject(SQL) private readonly sql: SqlClient,
    private readonly metrics: LedgerMetrics,
  ) {}

  /** Liveness: the process answers. */
  @Public()
  @Get('health')
  health() {
    return { status: 'ok' };
  }

  /**
   * Readiness: both stores answer, no projection is failing and none is behind for longer than
   * the bound. A failing projection is named with the position and event it stopped at.
   */
  @Public()
  @Get('ready')
  async ready() {
    let lag: number;
    let projections: Awaited<ReturnType<OperationsController['projectionStatuses']>>;
    try {
      await this.sql.query('SELECT 1');
      lag = await this.projectionLagSeconds();
      projections = await this.projectionStatuses();
    } catch {
      throw new HttpException({ code: 'unavailable', detail: 'a store is unreachable' }, 503);
    }
    const body = { projected: this.projector.checkpoint, projectionLagSeconds: lag, projections };
    const failing = projections.filter((p) => p.failing);
    if (failing.length) {
      const named = failing.map((p) => `${p.name} at ${p.failing!.position} (event ${p.failing!.eventId}, ${p.failing!.type})`).join('; ');
      throw new HttpException({ code: 'unavailable', detail: `projections are failing: ${named}`, extra: { ...body, failing: failing.map((p) => p.name) } }, 503);
    }
    if (this.projector.failure != null) throw new HttpException({ code: 'unavailable', detail: 'projections are failing', extra: body }, 503);
    if (lag > MAX_READY_LAG_SECONDS) throw new HttpException({ code: 'unavailable', detail: `projections are ${lag.toFixed(0)} s behind`, extra: body }, 503);
    return { status: 'ready', ...body };
  }

  @Public()
  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4')
  async metricsText() {
    this.metrics.projectionLag.set(await this.projectionLagSeconds().catch(() => -1));
    const statuses = await this.projectionStatuses().catch(() => []);
    for (const p of statuses) this.metrics.projection(p.name, p.position, p.lagSeconds, p.failing != null);
    return this.metrics.registry.metrics();
  }

  /** Each projection's checkpoint, lag and, when it stopped, where (no event data: the body is public). */
  private async projectionStatuses() {
    const lags = new Map<string, Promise<number>>();
    return Promise.all(
      this.projector.statuses.map(async (s) => {
        if (!lags.has(s.position)) lags.set(s.position, this.lagSecondsAfter(s.position));
        const failing = s.failure && { position: s.failure.position, eventId: s.failure.eventId, type: s.failure.type, since: s.failure.at };
        return { name: s.name, position: s.position, lagSeconds: await lags.get(s.position)!, failing };
      }),
    );
  }

  /** Age of the oldest event not yet applied to the read models; 0 when caught up. */
  private projectionLagSeconds(): Promise<number> {
    return this.lagSecondsAfter(this.projector.checkpoint);
  }

  private async lagSecondsAfter(position: string): Promise<number> {
    const [next] = await this.events.readAll(position, 1, { streamPrefixes: LEDGER_STREAM_PREFIXES });
    return next ? Math.max(0, (Date.now() - next.recordedAt.getTime()) / 1000) : 0;
  }
}
