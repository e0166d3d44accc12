import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AuditRunner } from './audit-runner';

/** Resumes audits left unfinished by a previous run; lets running ones reach a chunk boundary on shutdown. */
@Injectable()
export class AuditLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(private readonly audits: AuditRunner) {}

  onApplicationBootstrap(): void {
    void this.audits.resumeUnfinished().catch(() => undefined);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.audits.stop();
  }
}
