import { auditOptionsFromEnv } from './audit-runner';

describe('auditOptionsFromEnv', () => {
  it('takes the defaults and whole numbers from the environment', () => {
    expect(auditOptionsFromEnv({})).toMatchObject({ syncLimit: 1000, chunkSize: 500, concurrency: 8, pauseMs: 0 });
    expect(auditOptionsFromEnv({ LEDGER_AUDIT_CHUNK_SIZE: '2', LEDGER_AUDIT_PAUSE_MS: '100' })).toMatchObject({ chunkSize: 2, pauseMs: 100 });
  });

  it.each([
    ['LEDGER_AUDIT_SYNC_LIMIT', 'many'],
    ['LEDGER_AUDIT_CHUNK_SIZE', '0'],
    ['LEDGER_AUDIT_CONCURRENCY', '1.5'],
    ['LEDGER_AUDIT_PAUSE_MS', '-5'],
  ])('refuses %s=%s with the variable named', (name, value) => {
    expect(() => auditOptionsFromEnv({ [name]: value })).toThrow(name);
  });
});
