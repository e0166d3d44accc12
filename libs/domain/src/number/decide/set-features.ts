import { authorize, isAdmin } from '../../authorization';
import { LedgerError } from '../../errors';
import { availableFeatures, featureAppliesIn, isFeature } from '../../features';
import type { DecisionContext, Feature, FeatureLists, NumberEvent, NumberRecord, SetFeatures } from '../../types';
import { instant, requireLive } from './common';

function checkList(list: unknown, field: string): Feature[] | null {
  if (list === null || list === undefined) return null;
  if (!Array.isArray(list) || !list.every(isFeature)) {
    throw new LedgerError('validation_failed', `${field} must be a list of features`, { field });
  }
  return [...new Set(list)];
}

/**
 * SetFeatures (SPEC 5): authorize against the holder (no holder: admins);
 * unknown feature names are `validation_failed`; setting a feature that is not
 * available (allowed - denied) is `unauthorized`; setting a feature that does
 * not apply in the number's state is `validation_failed`; `null` removes one.
 * `featureLists` (the number's own allow/deny lists) may be changed by admins
 * and by resellers above the holder; availability is then computed with the
 * new lists. No change: no events.
 */
export function decideSetFeatures(e164: string, cmd: SetFeatures, record: NumberRecord, ctx: DecisionContext): NumberEvent[] {
  requireLive(e164, record);
  authorize(ctx, record.assignedTo, null, `change the features of ${e164}`);

  let featureLists: FeatureLists | undefined;
  if (cmd.featureLists !== undefined) {
    const me = ctx.accounts.get(ctx.requester.accountId);
    const resellerAbove = me?.reseller === true && record.assignedTo !== null && ctx.accounts.isAncestor(me.id, record.assignedTo);
    if (!isAdmin(ctx) && !resellerAbove) {
      throw new LedgerError('unauthorized', 'only admins and resellers may set a number\'s feature lists', { number: e164 });
    }
    featureLists = {
      allow: checkList(cmd.featureLists?.allow, 'featureLists.allow'),
      deny: checkList(cmd.featureLists?.deny, 'featureLists.deny'),
    };
  }

  const changes = cmd.changes ?? {};
  if (typeof changes !== 'object' || Array.isArray(changes)) {
    throw new LedgerError('validation_failed', 'changes must be an object of features', { field: 'changes' });
  }
  const subject: NumberRecord = featureLists ? { ...record, featureLists } : record;
  const available = availableFeatures(subject, ctx);
  const features = { ...record.features };
  for (const [name, value] of Object.entries(changes)) {
    if (!isFeature(name)) throw new LedgerError('validation_failed', `unknown feature: ${name}`, { field: `changes.${name}` });
    if (value === null || value === undefined) {
      delete features[name];
      continue;
    }
    if (!available.includes(name)) {
      throw new LedgerError('unauthorized', `feature ${name} is not available on ${e164}`, { number: e164, feature: name, available });
    }
    if (!featureAppliesIn(name, record.state)) {
      throw new LedgerError('validation_failed', `feature ${name} does not apply to a ${record.state} number`, {
        number: e164, feature: name, state: record.state,
      });
    }
    features[name] = value;
  }

  const sameFeatures = JSON.stringify(sortKeys(features)) === JSON.stringify(sortKeys(record.features));
  const sameLists = featureLists === undefined || JSON.stringify(featureLists) === JSON.stringify({
    allow: record.featureLists.allow ?? null, deny: record.featureLists.deny ?? null,
  });
  if (sameFeatures && sameLists) return [];
  return [{
    type: 'NumberFeaturesSet.v1',
    at: instant(ctx),
    features,
    ...(featureLists !== undefined && !sameLists ? { featureLists } : {}),
  }];
}

/** Keys sorted at every depth: a feature read back from the log (jsonb reorders keys) equals the one set. */
function sortKeys(o: unknown): unknown {
  if (Array.isArray(o)) return o.map(sortKeys);
  if (o === null || typeof o !== 'object') return o;
  return Object.entries(o).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sortKeys(v)]);
}
