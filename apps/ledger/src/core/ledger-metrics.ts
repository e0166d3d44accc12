import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one service instance (GET /metrics). */
export class LedgerMetrics {
  readonly registry = new Registry();
  readonly commands = new Counter({
    name: 'ledger_commands_total',
    help: 'Commands by type and outcome (ok or the error code)',
    labelNames: ['type', 'outcome'],
    registers: [this.registry],
  });
  readonly commandSeconds = new Histogram({
    name: 'ledger_command_duration_seconds',
    help: 'Command latency',
    labelNames: ['type'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly eventsAppended = new Counter({
    name: 'ledger_events_appended_total',
    help: 'Events appended to the event store by this instance',
    registers: [this.registry],
  });
  readonly projectionLag = new Gauge({
    name: 'ledger_projection_lag_seconds',
    help: 'Age of the oldest event not yet applied to the read models, 0 when caught up (sampled at scrape)',
    registers: [this.registry],
  });

  readonly projectionBehind = new Gauge({
    name: 'ledger_projection_checkpoint_lag_seconds',
    help: 'Per projection: age of the oldest event it has not applied yet, 0 when caught up (sampled at scrape)',
    labelNames: ['projection'],
    registers: [this.registry],
  });
  readonly projectionSequence = new Gauge({
    name: 'ledger_projection_checkpoint_sequence',
    help: 'Per projection: the second part of its checkpoint position (the log sequence on SQL stores)',
    labelNames: ['projection'],
    registers: [this.registry],
  });
  readonly projectionFailing = new Gauge({
    name: 'ledger_projection_failing',
    help: 'Per projection: 1 when it stopped at an event it cannot apply (GET /ready names it), else 0',
    labelNames: ['projection'],
    registers: [this.registry],
  });

  /** Samples one projection's status (at scrape). */
  projection(name: string, position: string, lagSeconds: number, failing: boolean): void {
    this.projectionBehind.set({ projection: name }, lagSeconds);
    this.projectionSequence.set({ projection: name }, Number(position.split(':')[1] ?? 0));
    this.projectionFailing.set({ projection: name }, failing ? 1 : 0);
  }

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
