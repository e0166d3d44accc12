import type { Decider } from '../decider';
import { LedgerError } from '../errors';
import {
  AUDIT_EVENT_TYPES, type AuditChunkApplied, type AuditChunkPlanned, type AuditEvent, type AuditStarted,
} from './events';

type Payload<T> = Omit<T, 'at'>;

/** The audit runner's steps; each records one event on the audit's stream, at `at`. */
export type AuditCommand =
  | { type: 'StartAudit'; started: Payload<AuditStarted>; at: string }
  | { type: 'RecordScan'; total: number; at: string }
  | { type: 'PlanChunk'; planned: Payload<AuditChunkPlanned>; at: string }
  | { type: 'RecordChunkApplied'; applied: Payload<AuditChunkApplied>; at: string }
  | { type: 'ResumeAudit'; cursor: string | null; at: string }
  | { type: 'CompleteAudit'; at: string };

/** Where an audit stands, folded from its stream. */
export interface AuditState {
  started: AuditStarted | null;
  total: number | null;
  lastPlanned: AuditChunkPlanned | null;
  lastAppliedChunk: number;
  completed: boolean;
}

export const initialAuditState = (): AuditState => ({ started: null, total: null, lastPlanned: null, lastAppliedChunk: -1, completed: false });

/**
 * SPEC 7 (the audit records every change it makes and resumes without applying
 * anything twice), in order:
 * 1. an audit starts once, on a new stream;
 * 2. every later step needs a started audit that has not completed;
 * 3. chunks are planned in order (0, 1, ...), each only once the one before is applied;
 * 4. a chunk is recorded applied only as the last one planned, and only once.
 */
export function decideAudit(command: AuditCommand, state: AuditState): AuditEvent[] {
  if (command.type === 'StartAudit') {
    if (state.started) throw refused(`audit ${state.started.id} started already`);
    return [{ type: AUDIT_EVENT_TYPES.AuditStarted, data: { ...command.started, at: command.at } }];
  }
  if (!state.started) throw refused('the audit has not started');
  if (state.completed) throw refused(`audit ${state.started.id} is completed`);
  const at = command.at;
  switch (command.type) {
    case 'RecordScan': return [{ type: AUDIT_EVENT_TYPES.AuditScanned, data: { total: command.total, at } }];
    case 'PlanChunk': return [{ type: AUDIT_EVENT_TYPES.AuditChunkPlanned, data: { ...planned(command.planned, state), at } }];
    case 'RecordChunkApplied': return [{ type: AUDIT_EVENT_TYPES.AuditChunkApplied, data: { ...applied(command.applied, state), at } }];
    case 'ResumeAudit': return [{ type: AUDIT_EVENT_TYPES.AuditResumed, data: { cursor: command.cursor, at } }];
    case 'CompleteAudit': return [{ type: AUDIT_EVENT_TYPES.AuditCompleted, data: { at } }];
  }
}

function planned(p: Payload<AuditChunkPlanned>, state: AuditState): Payload<AuditChunkPlanned> {
  const next = state.lastPlanned ? state.lastPlanned.chunk + 1 : 0;
  if (p.chunk !== next) throw refused(`chunk ${p.chunk} planned out of order (next is ${next})`);
  if (state.lastPlanned && state.lastAppliedChunk < state.lastPlanned.chunk) throw refused(`chunk ${state.lastPlanned.chunk} is not applied yet`);
  return p;
}

function applied(a: Payload<AuditChunkApplied>, state: AuditState): Payload<AuditChunkApplied> {
  if (!state.lastPlanned || a.chunk !== state.lastPlanned.chunk) throw refused(`chunk ${a.chunk} is not the last one planned`);
  if (state.lastAppliedChunk >= a.chunk) throw refused(`chunk ${a.chunk} is applied already`);
  return a;
}

function refused(why: string): LedgerError {
  return new LedgerError('invalid_state_transition', why);
}

export function evolveAudit(state: AuditState, event: AuditEvent): AuditState {
  switch (event.type) {
    case AUDIT_EVENT_TYPES.AuditStarted: return { ...state, started: event.data };
    case AUDIT_EVENT_TYPES.AuditScanned: return { ...state, total: Number(event.data.total) };
    case AUDIT_EVENT_TYPES.AuditChunkPlanned: return { ...state, lastPlanned: event.data };
    case AUDIT_EVENT_TYPES.AuditChunkApplied: return { ...state, lastAppliedChunk: event.data.chunk };
    case AUDIT_EVENT_TYPES.AuditResumed: return state;
    case AUDIT_EVENT_TYPES.AuditCompleted: return { ...state, completed: true };
  }
}

export const auditDecider: Decider<AuditCommand, AuditEvent, AuditState> = {
  decide: decideAudit,
  evolve: evolveAudit,
  initialState: initialAuditState,
};
