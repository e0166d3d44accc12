import { NumberManagerConfig } from '@ledger/domain/types';
import type { BillingWhen } from './billing-when';

/** What billing reads of the configuration. */
export type BillingConfig = Pick<NumberManagerConfig, 'billInventoryNumbers'>;

/** The configuration from an instant on (null: from the beginning, the SPEC defaults), oldest first. */
export interface ConfigSpan {
  from: Date | null;
  config: BillingConfig;
}

/** The configuration in force at `at`: the last one recorded at or before it (SPEC 6). */
export function configAt(history: ConfigSpan[], at: Date): BillingConfig {
  let inForce = history[0].config;
  for (const span of history) {
    if (span.from === null || span.from.getTime() <= at.getTime()) inForce = span.config;
  }
  return inForce;
}

/**
 * A period cut where what billing reads of the configuration changed, each part with the
 * configuration in force over it, so that number-days follow the past configuration.
 */
export function periodsByConfig(history: ConfigSpan[], from: Date, to: Date): Array<{ from: Date; to: Date; config: BillingConfig }> {
  const parts = [{ from, to, config: configAt(history, from) }];
  for (const span of history) {
    if (span.from === null || span.from.getTime() <= from.getTime() || span.from.getTime() >= to.getTime()) continue;
    const last = parts[parts.length - 1];
    if (last.config.billInventoryNumbers === span.config.billInventoryNumbers) continue;
    last.to = span.from;
    parts.push({ from: span.from, to, config: span.config });
  }
  return parts;
}

/** The configuration that decides `when`: the current one for now, the one in force for an instant. */
export function configFor(history: ConfigSpan[], when: Exclude<BillingWhen, { kind: 'period' }>): BillingConfig {
  return when.kind === 'now' ? history[history.length - 1].config : configAt(history, when.at);
}
