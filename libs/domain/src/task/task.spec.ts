/** SPEC 11: bulk operator tasks on their stream `task-<id>`. */
import { deciderTable } from '@ledger/domain/test/decider-table';
import { finalStatus, TaskEvent, TaskSubmitted } from './events';
import { taskDecider } from './decider';

const at = '2024-06-01T00:00:00.000Z';
const submittedData: TaskSubmitted = { action: 'import', requester: { accountId: 'system', isSystem: true }, dryRun: false, total: 10, columns: ['e164'], at };
const submitted: TaskEvent = { type: 'TaskSubmitted.v1', data: submittedData };
const startedBy = (worker: string, rowsDone = 0): TaskEvent => ({ type: 'TaskStarted.v1', data: { worker, rowsDone, at } });
const progress = { rowsDone: 4, succeeded: 3, failed: 1, outputBytes: 120, at };
const progressed: TaskEvent = { type: 'TaskProgressed.v1', data: progress };
const finished: TaskEvent = { type: 'TaskFinished.v1', data: { status: 'partial', total: 10, succeeded: 9, failed: 1, outputBytes: 300, at } };
const decider = taskDecider('t1');

describe('SPEC 11 - a task is submitted once and runs while open', () => {
  deciderTable(decider, [
    { rule: 'a submitted task is pending with its input counted', when: { type: 'SubmitTask', submitted: submittedData }, then: [{ type: 'TaskSubmitted.v1' }], state: { id: 't1', status: 'pending', total: 10, rowsDone: 0, revision: 0 } },
    { rule: 'a task is not submitted twice', given: [submitted], when: { type: 'SubmitTask', submitted: submittedData }, error: 'invalid_state_transition' },
    { rule: 'a task that does not exist is not started', when: { type: 'StartTask', worker: 'w1', at }, error: 'not_found' },
    { rule: 'a pending task is started by a worker', given: [submitted], when: { type: 'StartTask', worker: 'w1', at }, then: [{ data: { worker: 'w1', rowsDone: 0 } }], state: { status: 'executing', revision: 1 } },
    { rule: 'a resumed task starts again from its checkpoint', given: [submitted, startedBy('w1'), progressed], when: { type: 'StartTask', worker: 'w2', at }, then: [{ data: { worker: 'w2', rowsDone: 4 } }] },
    { rule: 'a finished task is never run again', given: [submitted, startedBy('w1'), finished], when: { type: 'StartTask', worker: 'w2', at }, error: 'invalid_state_transition', message: 'partial' },
  ]);
});

describe('SPEC 11 - checkpoints and the end of a task', () => {
  deciderTable(decider, [
    { rule: 'progress needs a started task', given: [submitted], when: { type: 'RecordTaskProgress', progress }, error: 'invalid_state_transition' },
    { rule: 'a checkpoint records rows done and the output so far', given: [submitted, startedBy('w1')], when: { type: 'RecordTaskProgress', progress }, then: [{ data: progress }], state: { rowsDone: 4, succeeded: 3, failed: 1, outputBytes: 120 } },
    {
      rule: 'a task ends success, partial or failure, every row counted done',
      given: [submitted, startedBy('w1'), progressed],
      when: { type: 'FinishTask', finished: { status: 'partial', total: 10, succeeded: 9, failed: 1, outputBytes: 300, at } },
      then: [{ type: 'TaskFinished.v1' }], state: { status: 'partial', rowsDone: 10, succeeded: 9, error: null, revision: 3 },
    },
    { rule: 'a finished task takes no more checkpoints', given: [submitted, startedBy('w1'), finished], when: { type: 'RecordTaskProgress', progress }, error: 'invalid_state_transition' },
  ]);

  it.each([
    ['no row failed: success', 5, 0, 'success'],
    ['every row failed: failure', 0, 5, 'failure'],
    ['some did: partial', 3, 2, 'partial'],
  ] as const)('%s', (_rule, succeeded, failed, status) => expect(finalStatus(succeeded, failed)).toBe(status));
});
