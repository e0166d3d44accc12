/** The number decider is `decide` and `evolve` of one number, its command decided against its context. */
import { deciderTable } from '@ledger/domain/test/decider-table';
import { E, N, makeCtx } from '@ledger/domain/test/fixture';
import { numberDecider } from './decider';

describe('SPEC 2/3 - the number aggregate as a decider', () => {
  deciderTable(numberDecider(N), [
    {
      rule: 'a number whose stream does not exist may be added (SPEC 3)',
      when: { command: { type: 'AddNumber', state: 'available', carrierModule: 'knm_inventory' }, ctx: makeCtx('system') },
      then: [{ type: 'NumberAdded.v1', number: N, state: 'available' }], state: { exists: true, state: 'available', version: 1 },
    },
    {
      rule: 'commands other than creations need a live number (SPEC 2)',
      when: { command: { type: 'ReleaseNumber' }, ctx: makeCtx('system') }, error: 'not_found',
    },
    {
      rule: 'the requester comes from the context: an unrelated account may not release (SPEC 2)',
      given: [E.added({ number: N, state: 'in_service', carrierModule: 'knm_inventory', assignedTo: 'child', reserveHistory: [], agingUntil: null })],
      when: { command: { type: 'ReleaseNumber' }, ctx: makeCtx('other') }, error: 'unauthorized',
    },
  ]);
});
