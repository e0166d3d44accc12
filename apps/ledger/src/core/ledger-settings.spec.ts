import { settingsFromEnv } from './ledger-settings';

describe('settingsFromEnv', () => {
  it('takes the defaults and whole numbers from the environment', () => {
    expect(settingsFromEnv({})).toMatchObject({ port: 3000, grpcPort: 50051, sweepIntervalMs: 60_000, appendsInFlight: 2, projectionCoalesceMs: 20 });
    expect(settingsFromEnv({ PORT: '0', LEDGER_SWEEP_INTERVAL_MS: '0', LEDGER_APPENDS_IN_FLIGHT: '4' })).toMatchObject({
      port: 0, sweepIntervalMs: 0, appendsInFlight: 4,
    });
  });

  it.each([
    ['LEDGER_APPENDS_IN_FLIGHT', 'two'],
    ['LEDGER_APPENDS_IN_FLIGHT', '0'],
    ['PORT', '80.5'],
    ['GRPC_PORT', 'fifty'],
    ['LEDGER_SWEEP_INTERVAL_MS', '-1'],
    ['LEDGER_BODY_LIMIT_BYTES', '1mb'],
    ['LEDGER_IDEMPOTENCY_LEASE_MS', '50'],
  ])('refuses %s=%s with the variable named', (name, value) => {
    expect(() => settingsFromEnv({ [name]: value })).toThrow(name);
  });
});
