/** SPEC 12: a refusal says what was refused (the number, the action), not the state of a number the requester may not read. */
import { given, table } from '@ledger/domain/test/fixture';

describe('SPEC 12 - refusals on a number the requester may not read', () => {
  table([
    { rule: 'acquiring a number reserved for another tenant names only the number and the action', given: given('reserved', 'sibling'), as: 'child', when: { type: 'AcquireNumber' }, error: 'unauthorized', message: 'you may not acquire +1' },
    { rule: 'reserving a number another tenant holds does not say it is in service', given: given('in_service', 'other'), as: 'child', when: { type: 'ReserveNumber' }, error: 'unauthorized', message: 'you may not reserve +1' },
    { rule: 'a managed number of another account\'s pool is not said to be one', given: given('available', null, 'knm_managed', { poolAccountId: 'other' }), as: 'child', when: { type: 'AcquireNumber' }, error: 'unauthorized', message: 'you may not acquire +1' },
    { rule: 'a requester who may read the number still hears why', given: given('port_in', 'child'), as: 'child', when: { type: 'ReserveNumber' }, error: 'invalid_state_transition', message: 'port_in' },
  ]);
});
