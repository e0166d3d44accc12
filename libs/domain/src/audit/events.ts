import type { DomainEvent } from '../decider';
import { envelopeCodec } from '../events/stored-event';
import type { NumberState, UsageRef } from '../types';
import type { AuditLevel } from './audit-rules';

/**
 * Events of one inventory audit, stream `audit-<id>`. The audit plans each
 * chunk of numbers (its findings) before changing them and records when the
 * chunk is applied, so a restarted service resumes without applying anything twice.
 */
export const AUDIT_EVENT_TYPES = {
  AuditStarted: 'AuditStarted.v1',
  AuditScanned: 'AuditScanned.v1',
  AuditChunkPlanned: 'AuditChunkPlanned.v1',
  AuditChunkApplied: 'AuditChunkApplied.v1',
  /** A restarted service picked the audit up again after `cursor`. */
  AuditResumed: 'AuditResumed.v1',
  AuditCompleted: 'AuditCompleted.v1',
} as const;

export type FindingKind = 'added' | 'updated' | 'conflict' | 'unused';

/** One line of the report; also what the audit does to the number. */
export interface AuditFinding {
  kind: FindingKind;
  number: string;
  /** The account the number goes to (added/updated), or its holder (conflict/unused). */
  accountId: string | null;
  /** State before the audit; null when the number was missing. */
  from: NumberState | null;
  usedBy: UsageRef[];
  /** added: create in_service; move: to in_service; usage: only the usage; none: report only. */
  action: 'add' | 'move' | 'usage' | 'none';
  reason?: string;
}

export interface AuditStarted {
  id: string;
  accountId: string;
  level: AuditLevel;
  siteIds: string[];
  /** Accounts whose services and numbers are audited. */
  scope: string[];
  requestedBy: string;
  at: string;
}

export interface AuditScanned { total: number; at: string }

export interface AuditChunkPlanned {
  chunk: number;
  /** Last number of the chunk: the audit resumes after it. */
  cursor: string;
  /** Numbers examined so far, this chunk included. */
  processed: number;
  findings: AuditFinding[];
  at: string;
}

export interface AuditChunkApplied {
  chunk: number;
  /** Planned changes that could not be made (the number changed meanwhile): reported as conflicts. */
  failures: Array<{ number: string; code: string; detail: string }>;
  at: string;
}

export interface AuditResumed { cursor: string | null; at: string }

export interface AuditCompleted { at: string }

export type AuditEvent =
  | DomainEvent<typeof AUDIT_EVENT_TYPES.AuditStarted, AuditStarted>
  | DomainEvent<typeof AUDIT_EVENT_TYPES.AuditScanned, AuditScanned>
  | DomainEvent<typeof AUDIT_EVENT_TYPES.AuditChunkPlanned, AuditChunkPlanned>
  | DomainEvent<typeof AUDIT_EVENT_TYPES.AuditChunkApplied, AuditChunkApplied>
  | DomainEvent<typeof AUDIT_EVENT_TYPES.AuditResumed, AuditResumed>
  | DomainEvent<typeof AUDIT_EVENT_TYPES.AuditCompleted, AuditCompleted>;

export const auditEvents = envelopeCodec<AuditEvent>({
  [AUDIT_EVENT_TYPES.AuditStarted]: {
    id: 'string', accountId: 'string', level: 'string', siteIds: 'array', scope: 'array', requestedBy: 'string', at: 'string',
  },
  [AUDIT_EVENT_TYPES.AuditScanned]: { total: 'number', at: 'string' },
  [AUDIT_EVENT_TYPES.AuditChunkPlanned]: { chunk: 'number', cursor: 'string', processed: 'number', findings: 'array', at: 'string' },
  [AUDIT_EVENT_TYPES.AuditChunkApplied]: { chunk: 'number', failures: 'array', at: 'string' },
  [AUDIT_EVENT_TYPES.AuditResumed]: { cursor: 'string|null', at: 'string' },
  [AUDIT_EVENT_TYPES.AuditCompleted]: { at: 'string' },
});

export const AUDIT_STREAM_PREFIX = 'audit-';
export const auditStreamId = (id: string): string => `${AUDIT_STREAM_PREFIX}${id}`;
