import { LedgerError } from '@ledger/domain/errors';
import { checkedCorrelationId, MAX_CORRELATION_ID_LENGTH } from './request-context';

describe('checkedCorrelationId (x-request-id over HTTP and gRPC)', () => {
  it.each([
    ['a UUID', '0b8e6f0e-4c1f-4a5e-9d0c-2b1f3e7a9c11'],
    ['an AWS trace id', 'Root=1-5e1b4151-5ac6c58f5b5dbd6a1c8b5a2f;Parent=53995c3f42cd8ad8;Sampled=1'],
    ['a W3C traceparent', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['200 characters', 'r'.repeat(MAX_CORRELATION_ID_LENGTH)],
  ])('keeps %s', (_what, id) => {
    expect(checkedCorrelationId(id)).toBe(id);
  });

  it('treats absent and empty as none (the entry supplies its own id)', () => {
    expect(checkedCorrelationId(undefined)).toBeUndefined();
    expect(checkedCorrelationId('')).toBeUndefined();
  });

  it.each([
    ['201 characters', 'r'.repeat(201), 'x-request-id is longer than 200 characters'],
    ['5,000 characters', 'r'.repeat(5000), 'x-request-id is longer than 200 characters'],
    ['a tab', 'a\tb', 'x-request-id holds a control character'],
    ['a newline', 'a\nb', 'x-request-id holds a control character'],
    ['a NUL', 'a\u0000b', 'x-request-id holds a control character'],
    ['DEL', 'a\u007fb', 'x-request-id holds a control character'],
    ['a C1 control', 'a\u0085b', 'x-request-id holds a control character'],
  ])('refuses %s with validation_failed, without echoing it', (_what, id, detail) => {
    let err: unknown;
    try {
      checkedCorrelationId(id);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LedgerError);
    expect(err).toMatchObject({ code: 'validation_failed', detail });
  });
});
