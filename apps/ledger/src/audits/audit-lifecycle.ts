import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Projector } from '@ledger/projections/projector';
import { resumeWhenCaughtUp } from '../core/position';
import { AuditRunner } from './audit-runner';

/** Resumes audits left unfinished by a previous run; lets running ones reach a chunk boundary on shutdown. */
@Injectable()
export class AuditLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(private readonly audits: AuditRunner, private readonly projector: Projector) {}

  /** Once the audits read model holds the whole log: the last instance may have stopped before applying its audits' last events. */
  onApplicationBootstrap(): void {
    void resumeWhenCaughtUp(this.projector, 'audits', () => this.audits.resumeUnfinished()).catch(() => undefined);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.audits.stop();
  }
}
