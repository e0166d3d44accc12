import { configAt, ConfigSpan, periodsByConfig } from './billing-config-history';

describe('billing configuration history', () => {
  const t = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));
  const history: ConfigSpan[] = [
    { from: null, config: { billInventoryNumbers: false } },
    { from: t(10), config: { billInventoryNumbers: true } },
    { from: t(20), config: { billInventoryNumbers: true } }, // another setting changed
    { from: t(30), config: { billInventoryNumbers: false } },
  ];

  it('takes the configuration recorded last at or before the instant', () => {
    expect(configAt(history, t(5))).toEqual({ billInventoryNumbers: false });
    expect(configAt(history, t(10))).toEqual({ billInventoryNumbers: true });
    expect(configAt(history, t(29))).toEqual({ billInventoryNumbers: true });
    expect(configAt(history, t(30))).toEqual({ billInventoryNumbers: false });
  });

  it('cuts a period only where billInventoryNumbers changed', () => {
    expect(periodsByConfig(history, t(0), t(60))).toEqual([
      { from: t(0), to: t(10), config: { billInventoryNumbers: false } },
      { from: t(10), to: t(30), config: { billInventoryNumbers: true } },
      { from: t(30), to: t(60), config: { billInventoryNumbers: false } },
    ]);
    expect(periodsByConfig(history, t(12), t(25))).toEqual([{ from: t(12), to: t(25), config: { billInventoryNumbers: true } }]);
  });
});
