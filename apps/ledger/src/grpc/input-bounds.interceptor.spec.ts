import { boundedDetail, MAX_GRPC_DETAIL_LENGTH } from './grpc-status';
import { requestFault } from './input-bounds.interceptor';

describe('gRPC request string bounds', () => {
  it('bounds identifier fields as HTTP bounds a path segment (256)', () => {
    expect(requestFault({ id: 'x'.repeat(256) })).toBeNull();
    expect(requestFault({ id: 'x'.repeat(257) })).toBe('id is longer than 256 characters');
    expect(requestFault({ number: 'x'.repeat(100_000) })).toBe('number is longer than 256 characters');
    expect(requestFault({ accountId: 'x'.repeat(300) })).toBe('account_id is longer than 256 characters');
    expect(requestFault({ numbers: ['+14155550100', 'x'.repeat(300)] })).toBe('numbers.1 is longer than 256 characters');
  });

  it('bounds every other string at any depth at 4096, and leaves a task CSV to its own limits', () => {
    expect(requestFault({ cursor: 'x'.repeat(4096) })).toBeNull();
    expect(requestFault({ cursor: 'x'.repeat(4097) })).toBe('cursor is longer than 4096 characters');
    expect(requestFault({ minPosition: 'x'.repeat(4097) })).toBe('min_position is longer than 4096 characters');
    const struct = { fields: { e911: { structValue: { fields: { street: { stringValue: 'x'.repeat(5000) } } } } } };
    expect(requestFault({ number: '+14155550100', changes: struct })).toBe('changes.fields.e911.structValue.fields.street.stringValue is longer than 4096 characters');
    expect(requestFault({ changes: { fields: { ['k'.repeat(300)]: { stringValue: 'v' } } } })).toBe('changes.fields has a key longer than 256 characters');
    expect(requestFault({ action: 'import', csv: 'e164\n'.repeat(100_000) })).toBeNull();
  });

  it('never echoes the value, and names a long path only in part', () => {
    const fault = requestFault({ changes: { fields: { ['a'.repeat(250)]: { stringValue: 'secret'.repeat(1000) } } } })!;
    expect(fault).not.toContain('secret');
    expect(fault.length).toBeLessThan(200);
  });

  it('caps a status detail at MAX_GRPC_DETAIL_LENGTH', () => {
    expect(boundedDetail('short')).toBe('short');
    const capped = boundedDetail('x'.repeat(100_000));
    expect(capped.length).toBe(MAX_GRPC_DETAIL_LENGTH);
    expect(capped.endsWith('...')).toBe(true);
  });
});
