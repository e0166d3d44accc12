import { NUMBER_STATES, SERVICE_TYPES, type NumberCommand } from '../types';
import { checkFeatureLists, checkFeatureSettings } from './feature-settings';
import { INPUT_LIMITS } from './input-limits';
import { checkInstant, checkOptionalText, checkText, invalid } from './text-checks';

type Fields = Record<string, unknown>;

/**
 * Checks every value a number command would record against what the domain and
 * every read model can hold (SPEC 12), before anything is decided: ids, enums,
 * instants, lists and feature settings. Throws `validation_failed` naming the field.
 * Every entry (HTTP, gRPC, CSV tasks, the CLI, the sweeper) reaches `decide`, which
 * calls this first, so the check is made once for all of them.
 */
export function checkNumberCommand(command: NumberCommand): void {
  if (!command || typeof command !== 'object') throw invalid('command', 'must be an object');
  const c = command as unknown as Fields;
  checkOptionalText(c.accountId, 'accountId', INPUT_LIMITS.idLength);
  checkOneOf(c.state, 'state', NUMBER_STATES);
  checkOptionalText(c.carrierModule, 'carrierModule', INPUT_LIMITS.idLength);
  if (c.expiresAt !== undefined && c.expiresAt !== null) checkInstant(c.expiresAt, 'expiresAt');
  switch (command.type) {
    case 'ReleaseNumber': return checkOneOf(command.reason, 'reason', ['requested', 'reservation_expired']);
    case 'SetFeatures': return checkFeatureChanges(command.changes, command.featureLists);
    case 'SetUsage': return checkUsage(command.usedBy);
    default:
  }
}

function checkOneOf(value: unknown, field: string, allowed: readonly string[], required = false): void {
  if (value === undefined && !required) return;
  if (typeof value !== 'string' || !allowed.includes(value)) throw invalid(field, `must be one of ${allowed.join(', ')}`);
}

function checkFeatureChanges(changes: unknown, featureLists: unknown): void {
  checkFeatureLists(featureLists, 'featureLists');
  if (changes === undefined) return;
  if (changes === null || typeof changes !== 'object' || Array.isArray(changes)) throw invalid('changes', 'must be an object of features');
  for (const [feature, value] of Object.entries(changes)) checkFeatureSettings(feature, value);
}

function checkUsage(usedBy: unknown): void {
  if (!Array.isArray(usedBy)) throw invalid('usedBy', 'must be a list');
  if (usedBy.length > INPUT_LIMITS.listLength) throw invalid('usedBy', `has more than ${INPUT_LIMITS.listLength} entries`);
  usedBy.forEach((u: Fields | null, i) => {
    if (!u || typeof u !== 'object') throw invalid(`usedBy.${i}`, 'must be a usage reference');
    checkOneOf(u.type, `usedBy.${i}.type`, SERVICE_TYPES, true);
    checkText(u.id, `usedBy.${i}.id`, INPUT_LIMITS.idLength);
    checkText(u.accountId, `usedBy.${i}.accountId`, INPUT_LIMITS.idLength);
  });
}
