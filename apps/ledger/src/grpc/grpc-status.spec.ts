import { status } from '@grpc/grpc-js';
import { ERROR_STATUS } from '@ledger/domain/errors';
import { grpcErrorOf, grpcStatusOf } from './grpc-status';

describe('gRPC status of each SPEC error code', () => {
  it.each<[string, status]>([
    ['number_exists', status.ALREADY_EXISTS],
    ['not_found', status.NOT_FOUND],
    ['not_reconcilable', status.INVALID_ARGUMENT],
    ['unauthorized', status.PERMISSION_DENIED],
    ['invalid_state_transition', status.FAILED_PRECONDITION],
    ['no_change_required', status.FAILED_PRECONDITION],
    ['assign_failure', status.INVALID_ARGUMENT],
    ['number_is_porting', status.FAILED_PRECONDITION],
    ['service_restriction', status.FAILED_PRECONDITION],
    ['concurrency_conflict', status.ABORTED],
    ['carrier_fault', status.UNAVAILABLE],
    ['validation_failed', status.INVALID_ARGUMENT],
  ])('%s -> %s', (code, expected) => {
    expect(grpcStatusOf({ code, status: ERROR_STATUS[code as keyof typeof ERROR_STATUS] })).toBe(expected);
  });

  it('has a row above for every code of the domain (a new code needs a deliberate mapping)', () => {
    const mapped = ['number_exists', 'not_found', 'not_reconcilable', 'unauthorized', 'invalid_state_transition', 'no_change_required',
      'assign_failure', 'number_is_porting', 'service_restriction', 'concurrency_conflict', 'carrier_fault', 'validation_failed'];
    expect(Object.keys(ERROR_STATUS).sort()).toEqual(mapped.sort());
  });

  it('falls back on the HTTP status for codes it does not know', () => {
    expect(grpcStatusOf({ code: 'some_new_conflict', status: 409 })).toBe(status.FAILED_PRECONDITION);
    expect(grpcStatusOf({ code: 'boom', status: 500 })).toBe(status.INTERNAL);
  });

  it('puts the SPEC code in the ledger-error-code trailer', () => {
    const err = grpcErrorOf({ type: 't', title: 't', status: 409, code: 'no_change_required', detail: 'already yours' });
    expect(err).toMatchObject({ code: status.FAILED_PRECONDITION, details: 'already yours' });
    expect((err.metadata).get('ledger-error-code')).toEqual(['no_change_required']);
  });
});
