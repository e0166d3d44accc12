import { Inject } from '@nestjs/common';
import { EVENTS, SQL } from '../stores/tokens';
import { Controller, Get, Header, HttpException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Projector } from '../../../../libs/projections/src/projector';
import { EventStore, parsePosition } from '../../../../libs/event-store/src/port';
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

  /** Readiness: both stores answer and the projections are following the log. */
  @Public()
  @Get('ready')
  async ready() {
    try {
      await this.sql.query('SELECT 1');
      const head = await this.events.headPosition();
      const lagging = this.projector.failure != null;
      const body = { status: lagging ? 'degraded' : 'ready', head, projected: this.projector.checkpoint };
      if (lagging) throw new HttpException({ code: 'unavailable', detail: 'projections are failing', extra: body }, 503);
      return body;
    } catch (err) {
      if (err instanceof HttpException) throw err;
      throw new HttpException({ code: 'unavailable', detail: 'a store is unreachable' }, 503);
    }
  }

  @Public()
  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4')
  async metricsText() {
    const head = await this.events.headPosition().catch(() => this.projector.checkpoint);
    const [headTx] = parsePosition(head);
    const [doneTx] = parsePosition(this.projector.checkpoint);
    this.metrics.projectionLag.set(headTx > doneTx ? 1 : 0);
    return this.metrics.registry.metrics();
  }
}
