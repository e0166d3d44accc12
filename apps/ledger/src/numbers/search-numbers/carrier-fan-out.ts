import { CarrierConfigError, isCarrierFault, type IntegrationModule, type SearchQuery, type UpstreamNumber } from '@ledger/carriers';
import { CarrierDirectory } from '../../carriers/carrier-directory';

export interface CarrierReport {
  module: string;
  status: 'ok' | 'timeout' | 'failed';
  error?: string;
  /** The error is the upstream's or the operator's configuration's (scrubbed): only admins read it (see `carrierReportFor`). */
  operatorOnly?: true;
}

/**
 * A report as the caller may read it. Upstream error text comes from the operator's carrier
 * account (its answers may echo the request, in forms no scrubber can foresee): an account
 * below the system hears only that the carrier failed or timed out (SPEC 12); admins read it whole.
 */
export function carrierReportFor({ operatorOnly, ...report }: CarrierReport, admin: boolean): CarrierReport {
  if (!operatorOnly || admin) return report;
  return { ...report, error: report.status === 'timeout' ? `${report.module} search: no answer in time` : `${report.module} search failed` };
}

export interface FanOutResult {
  found: UpstreamNumber[];
  carriers: CarrierReport[];
}

/** A client that ignores its abort signal still gets this much grace before it counts as timed out. */
const GRACE_MS = 100;

/**
 * Asks every enabled carrier in parallel, each bounded by its own `timeoutMs`.
 * A slow or failing carrier is reported, never thrown: the answer degrades.
 */
export async function searchCarriers(
  directory: CarrierDirectory, modules: IntegrationModule[], accountId: string, query: SearchQuery,
): Promise<FanOutResult> {
  const results = await Promise.all(modules.map((module) => searchOne(directory, module, accountId, query)));
  return { found: results.flatMap((r) => r.found), carriers: results.map((r) => r.report) };
}

async function searchOne(directory: CarrierDirectory, module: IntegrationModule, accountId: string, query: SearchQuery) {
  try {
    const { timeoutMs } = await directory.settingsFor(module, accountId);
    const client = await directory.clientFor(module, accountId);
    const found = await withDeadline(client.search(query, AbortSignal.timeout(timeoutMs)), timeoutMs + GRACE_MS);
    return { found, report: { module, status: 'ok' } as CarrierReport };
  } catch (err) {
    const timedOut = err === DEADLINE || (isCarrierFault(err) && (err.kind === 'timeout' || err.kind === 'aborted'));
    const error = describe(module, err);
    directory.logger.warn({ module, status: timedOut ? 'timeout' : 'failed' }, error);
    return { found: [], report: { module, status: timedOut ? 'timeout' : 'failed', error, operatorOnly: true } as CarrierReport };
  }
}

/** The one rejection of a search past its deadline (compared by identity). */
const DEADLINE = new Error('deadline');

/** Only texts known to be scrubbed (faults, configuration errors) are passed on. */
function describe(module: IntegrationModule, err: unknown): string {
  if (err === DEADLINE) return `${module} search: no answer in time`;
  if (isCarrierFault(err) || err instanceof CarrierConfigError) return err.message;
  return `${module} search failed unexpectedly`;
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(DEADLINE), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
