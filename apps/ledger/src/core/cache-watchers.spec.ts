import type { RecordedEvent } from '@ledger/event-store/port';
import { isWatched } from './cache-watchers';

const at = (streamId: string): RecordedEvent => ({
  streamId, revision: 0, position: '1:1', id: 'e', type: 'T.v1', data: {}, metadata: {}, recordedAt: new Date(0),
});

describe('what the projector thread relays to the caches of the service thread', () => {
  it('accounts and configuration (number manager, carrier settings), not numbers, services or tasks', () => {
    expect(['account-acme', 'config-number-manager', 'config-carriers-system', 'config-carriers-r1'].map((s) => isWatched(at(s)))).toEqual([true, true, true, true]);
    expect(['number-+14155550100', 'service-acme-device-d1', 'task-1', 'audit-1'].map((s) => isWatched(at(s)))).toEqual([false, false, false, false]);
  });
});
