import { randomUUID } from 'node:crypto';
import { EventStore, LogPosition, RecordedEvent } from '@ledger/event-store/port';
import {
  AUDIT_EVENT_TYPES, AuditChunkApplied, AuditChunkPlanned, AuditStarted, auditStreamId,
} from '@ledger/projections/audits/audit-events';

/** Where an audit stands, folded from its stream. */
export interface AuditProgress {
  started: AuditStarted | null;
  total: number | null;
  lastPlanned: AuditChunkPlanned | null;
  lastAppliedChunk: number;
  completed: boolean;
  revision: number | 'no_stream';
  lastPosition: LogPosition | null;
}

export function foldAudit(events: RecordedEvent[]): AuditProgress {
  const p: AuditProgress = { started: null, total: null, lastPlanned: null, lastAppliedChunk: -1, completed: false, revision: 'no_stream', lastPosition: null };
  for (const e of events) {
    p.revision = e.revision;
    p.lastPosition = e.position;
    if (e.type === AUDIT_EVENT_TYPES.AuditStarted) p.started = e.data as unknown as AuditStarted;
    if (e.type === AUDIT_EVENT_TYPES.AuditScanned) p.total = Number(e.data.total);
    if (e.type === AUDIT_EVENT_TYPES.AuditChunkPlanned) p.lastPlanned = e.data as unknown as AuditChunkPlanned;
    if (e.type === AUDIT_EVENT_TYPES.AuditChunkApplied) p.lastAppliedChunk = (e.data as unknown as AuditChunkApplied).chunk;
    if (e.type === AUDIT_EVENT_TYPES.AuditCompleted) p.completed = true;
  }
  return p;
}

/**
 * The audit's own stream, appended with the expected revision: if two
 * instances try to run the same audit, the second one's append fails and it stops.
 */
export class AuditLog {
  private revision: number | 'no_stream';
  /** Position of the audit's last event: read models that reached it include every change made before. */
  lastPosition: LogPosition | null;

  constructor(private readonly events: EventStore, readonly id: string, progress?: AuditProgress) {
    this.revision = progress?.revision ?? 'no_stream';
    this.lastPosition = progress?.lastPosition ?? null;
  }

  static async open(events: EventStore, id: string): Promise<{ log: AuditLog; progress: AuditProgress }> {
    const progress = foldAudit(await events.readStream(auditStreamId(id)));
    return { log: new AuditLog(events, id, progress), progress };
  }

  async append(type: string, data: object, actor: string): Promise<LogPosition> {
    const r = await this.events.append(
      auditStreamId(this.id),
      [{ id: randomUUID(), type, data: { ...data, at: new Date().toISOString() }, metadata: { actor, command: 'Audit', auditId: this.id } }],
      this.revision,
    );
    this.revision = r.nextRevision;
    this.lastPosition = r.position;
    return r.position;
  }
}

export { AUDIT_EVENT_TYPES };
