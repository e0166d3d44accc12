import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Projector } from '@ledger/projections/projector';
import { resumeWhenCaughtUp } from '../core/position';
import { AuditRunner } from './audit-runner';

/** Resumes audits left unfinished by a previous run; lets running ones reach a chunk boundary on shutdown. */
@Injectable()
export class AuditLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('audits');

  constructor(private readonly audits: AuditRunner, private readonly projector: Projector) {}

  /** Once the audits read model holds the whole log: the last instance may have stopped before applying its audits' last events. */
  onApplicationBootstrap(): void {
    // Also what an audit's resume reads (it waits for those with a bound of its own).
    void resumeWhenCaughtUp(this.projector, ['audits', 'inventory', 'accounts'], () => this.audits.resumeUnfinished())
      .catch((err: Error) => this.log.error(`audits not resumed: ${err.message}`));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.audits.stop();
  }
}
