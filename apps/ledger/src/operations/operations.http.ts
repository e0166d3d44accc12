import { Inject } from '@nestjs/common';
import { EVENTS, SQL } from '../stores/tokens';
import { Controller, Get, Header, HttpException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Projector } from '../../../../libs/projections/src/projector';
import { EventStore } from '../../../../libs/event-store/src/port';
import { LEDGER_STREAM_PREFIXES } from '../../../../libs/projections/src/projection';

const MAX_READY_LAG_SECONDS = 30;
import { SqlClient } from '../../../../libs/sql/src/sql-client';
import { Public } from '../http/auth.guard';
import { LedgerMetrics } from './ledger-metrics';

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

  /** Readiness: both stores answer, the projector is not failing and not behind for longer than the bound. */
  @Public()
  @Get('ready')
  async ready() {
    let lag: number;
    try {
      await this.sql.query('SELECT 1');
      lag = await this.projectionLagSeconds();
    } catch {
      throw new HttpException({ code: 'unavailable', detail: 'a store is unreachable' }, 503);
    }
    const body = { status: 'ready', projected: this.projector.checkpoint, projectionLagSeconds: lag };
    if (this.projector.failure != null) throw new HttpException({ code: 'unavailable', detail: 'projections are failing', extra: body }, 503);
    if (lag > MAX_READY_LAG_SECONDS) throw new HttpException({ code: 'unavailable', detail: `projections are ${lag.toFixed(0)} s behind`, extra: body }, 503);
    return body;
  }

  @Public()
  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4')
  async metricsText() {
    this.metrics.projectionLag.set(await this.projectionLagSeconds().catch(() => -1));
    return this.metrics.registry.metrics();
  }

  /** Age of the oldest event not yet applied to the read models; 0 when caught up. */
  private async projectionLagSeconds(): Promise<number> {
    const [next] = await this.events.readAll(this.projector.checkpoint, 1, { streamPrefixes: LEDGER_STREAM_PREFIXES });
    return next ? Math.max(0, (Date.now() - next.recordedAt.getTime()) / 1000) : 0;
  }
}
