import { v5 as uuidv5 } from 'uuid';
import { eventIdsFor } from './event-ids';

describe('event ids of an idempotent append', () => {
  it('are the uuid v5 of account, key, stream and index, as before', () => {
    const ids = eventIdsFor(3, 'number-+12125550100', { accountId: 'acme', key: 'task:1:2 ünï' });
    expect(ids).toEqual([0, 1, 2].map((i) => uuidv5(`acme|task:1:2 ünï|number-+12125550100|${i}`, '6f1c1d9e-8a55-4c59-9a55-3f3c2b7e4d10')));
  });

  it('are random without a key', () => {
    const [a, b] = eventIdsFor(2, 'number-+12125550100');
    expect(a).not.toBe(b);
  });
});
