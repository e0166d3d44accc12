/** SPEC 7: the audit's own stream records its progress, so a restarted service resumes without applying anything twice. */
import { deciderTable } from '@ledger/domain/test/decider-table';
import { auditDecider } from './decider';
import type { AuditEvent } from './events';

const at = '2024-06-01T00:00:00.000Z';
const startedData = { id: 'a1', accountId: 'acme', level: 'customer' as const, siteIds: [], scope: ['acme'], requestedBy: 'system' };
const started: AuditEvent = { type: 'AuditStarted.v1', data: { ...startedData, at } };
const planned = (chunk: number): AuditEvent => ({ type: 'AuditChunkPlanned.v1', data: { chunk, cursor: `+1${chunk}`, processed: chunk + 1, findings: [], at } });
const applied = (chunk: number): AuditEvent => ({ type: 'AuditChunkApplied.v1', data: { chunk, failures: [], at } });
const plan = (chunk: number) => ({ type: 'PlanChunk' as const, planned: { chunk, cursor: `+1${chunk}`, processed: chunk + 1, findings: [] }, at });
const apply = (chunk: number) => ({ type: 'RecordChunkApplied' as const, applied: { chunk, failures: [] }, at });

describe('SPEC 7 - an audit starts once and ends once', () => {
  deciderTable(auditDecider, [
    { rule: 'an audit starts on a new stream', when: { type: 'StartAudit', started: startedData, at }, then: [{ type: 'AuditStarted.v1', data: startedData }], state: { started: startedData } },
    { rule: 'an audit does not start twice', given: [started], when: { type: 'StartAudit', started: startedData, at }, error: 'invalid_state_transition' },
    { rule: 'no step before the start', when: { type: 'RecordScan', total: 3, at }, error: 'invalid_state_transition' },
    { rule: 'the scan records how many numbers there are to look at', given: [started], when: { type: 'RecordScan', total: 3, at }, then: [{ data: { total: 3 } }], state: { total: 3 } },
    { rule: 'a completed audit takes no more steps', given: [started, { type: 'AuditCompleted.v1', data: { at } }], when: { type: 'ResumeAudit', cursor: null, at }, error: 'invalid_state_transition' },
    { rule: 'completing records the end', given: [started], when: { type: 'CompleteAudit', at }, then: [{ type: 'AuditCompleted.v1' }], state: { completed: true } },
  ]);
});

describe('SPEC 7 - chunks are planned before they are applied, in order, each once', () => {
  deciderTable(auditDecider, [
    { rule: 'the first chunk is chunk 0', given: [started], when: plan(0), then: [{ type: 'AuditChunkPlanned.v1', data: { chunk: 0 } }] },
    { rule: 'chunks are planned in order', given: [started], when: plan(1), error: 'invalid_state_transition', message: 'out of order' },
    { rule: 'the next chunk is planned only once the last one is applied', given: [started, planned(0)], when: plan(1), error: 'invalid_state_transition', message: 'not applied' },
    { rule: 'a planned chunk is recorded applied', given: [started, planned(0)], when: apply(0), then: [{ type: 'AuditChunkApplied.v1', data: { chunk: 0 } }], state: { lastAppliedChunk: 0 } },
    { rule: 'a chunk not planned is never recorded applied', given: [started], when: apply(0), error: 'invalid_state_transition' },
    { rule: 'a chunk is recorded applied only once (a resume re-applies only an unapplied chunk)', given: [started, planned(0), applied(0)], when: apply(0), error: 'invalid_state_transition', message: 'applied already' },
    { rule: 'after chunk 0 is applied, chunk 1 follows', given: [started, planned(0), applied(0)], when: plan(1), then: [{ data: { chunk: 1 } }] },
    { rule: 'a resume records the cursor it goes on after', given: [started, planned(0)], when: { type: 'ResumeAudit', cursor: '+10', at }, then: [{ type: 'AuditResumed.v1', data: { cursor: '+10' } }] },
  ]);
});
