import { parseCarrierModule } from '@ledger/domain/carrier-policy';
import { LedgerError } from '@ledger/domain/errors';
import { normalizeNumber } from '@ledger/domain/normalize';
import { FEATURES, NUMBER_STATES, NumberCommand, NumberState, SetFeatures } from '@ledger/domain/types';
import { checkNumberCommand } from '@ledger/domain/validation';
import { TaskAction } from '@ledger/domain/task';
import { SeenNumbers } from './seen-numbers';

/** A row of the input as read: its 1-based index among data rows and its cells. */
export interface InputRow {
  index: number;
  cells: string[];
}

/** A row ready to apply: its command (and features to set after it), or why it cannot be. */
export interface PlannedRow extends InputRow {
  e164?: string;
  command?: NumberCommand;
  features?: SetFeatures['changes'];
  error?: string;
}

export type RowResult = { result: 'success' | 'unchanged' | 'valid' } | { result: 'error'; error: string };

/**
 * Actions after which the number is held, so feature columns mean something. A release or
 * delete ends the number's features: those rows ignore feature columns, so that a `dump` or a
 * listing can be handed back as the list of numbers to release.
 */
const FEATURE_ACTIONS: readonly TaskAction[] = ['import', 'assign_to', 'reserve'];

/** SPEC 11 feature columns: `cnam.inbound`, `e911.street_address`, `failover.e164`, `force_outbound`, ... */
const FEATURE_COLUMN = /^(cnam|e911|prepend|ringback|failover)\.([a-z0-9_]+)$|^(force_outbound)$/;

/**
 * A column that looks meant for a feature but is none of FEATURE_COLUMN (`sms.enabled`,
 * `E911.locality`, `cnam`): refused on every row that fills it, never silently dropped.
 */
function looksLikeFeature(column: string): boolean {
  return column.includes('.') || (FEATURES as readonly string[]).includes(column.toLowerCase());
}

export function errorText(err: unknown): string {
  if (err instanceof LedgerError) return `${err.code}: ${err.detail}`;
  return err instanceof Error ? err.message : String(err);
}

/** Turns input rows into commands for one task action; each row on its own (SPEC 11). */
export class RowPlanner {
  private readonly at: (row: InputRow, column: string) => string;
  private readonly featureColumns: Array<{ index: number; feature: string; field?: string }>;
  private readonly unknownColumns: Array<{ index: number; column: string }>;
  private readonly seen = new SeenNumbers();

  constructor(private readonly action: TaskAction, columns: string[]) {
    const position = new Map(columns.map((c, i) => [c.trim(), i]));
    this.at = (row, column) => {
      const i = position.get(column);
      return i === undefined ? '' : (row.cells[i] ?? '').trim();
    };
    const takesFeatures = FEATURE_ACTIONS.includes(action);
    this.featureColumns = !takesFeatures ? [] : columns.flatMap((c, index) => {
      const m = FEATURE_COLUMN.exec(c.trim());
      if (!m) return [];
      return [m[3] ? { index, feature: m[3] } : { index, feature: m[1], field: m[2] }];
    });
    this.unknownColumns = !takesFeatures ? [] : columns.flatMap((c, index) => {
      const column = c.trim();
      return !FEATURE_COLUMN.test(column) && looksLikeFeature(column) ? [{ index, column }] : [];
    });
  }

  plan(row: InputRow): PlannedRow {
    const raw = this.at(row, 'e164');
    if (raw === '') return planned(row, { error: 'validation_failed: e164 is empty' });
    let e164: string;
    try {
      e164 = normalizeNumber(raw);
    } catch (err) {
      return planned(row, { error: errorText(err) });
    }
    if (!this.seen.add(e164)) return planned(row, { e164, error: `duplicate_row: ${e164} appears earlier in the file` });
    try {
      this.refuseUnknownColumns(row);
      const command = this.command(row);
      const features = this.features(row);
      // Both commands of the row are checked before either runs: a row applies whole or not at all.
      checkNumberCommand(command);
      if (features) checkNumberCommand({ type: 'SetFeatures', changes: features });
      return planned(row, { e164, command, features });
    } catch (err) {
      return planned(row, { e164, error: errorText(err) });
    }
  }

  private command(row: InputRow): NumberCommand {
    const accountId = this.at(row, 'account_id') || undefined;
    switch (this.action) {
      case 'import': return this.addNumber(row, accountId);
      case 'assign_to': return { type: 'AcquireNumber', accountId: required(accountId) };
      case 'reserve': return { type: 'ReserveNumber', accountId: required(accountId) };
      case 'release': return { type: 'ReleaseNumber', reason: 'requested' };
      case 'delete': return { type: 'DeleteNumber' };
      default: throw new LedgerError('validation_failed', `${this.action} takes no input rows`);
    }
  }

  /** Operator import: knm_inventory by default; `available` unless an account is named. */
  private addNumber(row: InputRow, accountId: string | undefined): NumberCommand {
    const module = this.at(row, 'carrier_module');
    const state = this.at(row, 'state') || (accountId ? 'in_service' : 'available');
    if (!(NUMBER_STATES as readonly string[]).includes(state)) {
      throw new LedgerError('validation_failed', `unknown state ${JSON.stringify(state)}`, { field: 'state' });
    }
    return {
      type: 'AddNumber',
      carrierModule: parseCarrierModule(module || 'knm_inventory'),
      state: state as NumberState,
      accountId,
    };
  }

  private refuseUnknownColumns(row: InputRow): void {
    for (const { index, column } of this.unknownColumns) {
      if ((row.cells[index] ?? '').trim() === '') continue;
      throw new LedgerError('validation_failed', `unknown column ${JSON.stringify(column.slice(0, 64))}; feature columns are cnam.*, e911.*, prepend.*, ringback.*, failover.* and force_outbound`, { field: column.slice(0, 64) });
    }
  }

  private features(row: InputRow): SetFeatures['changes'] | undefined {
    const changes: Record<string, unknown> = {};
    for (const { index, feature, field } of this.featureColumns) {
      const value = (row.cells[index] ?? '').trim();
      if (value === '') continue;
      if (!field) changes[feature] = parseFlag(value);
      else changes[feature] = { ...(changes[feature] as object | undefined), [field]: value };
    }
    return Object.keys(changes).length > 0 ? (changes) : undefined;
  }
}

/** The row with what planning found; a literal, not a spread: spreading cost more than planning itself. */
function planned(row: InputRow, found: Omit<PlannedRow, 'index' | 'cells'>): PlannedRow {
  return { index: row.index, cells: row.cells, e164: found.e164, command: found.command, features: found.features, error: found.error };
}

function required(accountId: string | undefined): string {
  if (!accountId) throw new LedgerError('assign_failure', 'account_id is required for this action', { field: 'account_id' });
  return accountId;
}

function parseFlag(value: string): boolean | string {
  if (/^(true|yes|1)$/i.test(value)) return true;
  if (/^(false|no|0)$/i.test(value)) return false;
  return value;
}
