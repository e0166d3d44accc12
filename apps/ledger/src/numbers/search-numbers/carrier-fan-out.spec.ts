import { carrierReportFor, type CarrierReport } from './carrier-fan-out';

describe('carrierReportFor (SPEC 12: upstream error text is the operator\'s)', () => {
  const upstream: CarrierReport = { module: 'knm_other', status: 'failed', error: 'knm_other search: HTTP 401: denied token=***', operatorOnly: true };

  it('tells an account below the system only that the carrier failed or timed out', () => {
    expect(carrierReportFor(upstream, false)).toEqual({ module: 'knm_other', status: 'failed', error: 'knm_other search failed' });
    expect(carrierReportFor({ ...upstream, status: 'timeout' }, false)).toEqual({ module: 'knm_other', status: 'timeout', error: 'knm_other search: no answer in time' });
  });

  it('gives admins the (scrubbed) upstream text, and everyone the reports that are not the upstream\'s', () => {
    expect(carrierReportFor(upstream, true)).toEqual({ module: 'knm_other', status: 'failed', error: 'knm_other search: HTTP 401: denied token=***' });
    const ours: CarrierReport = { module: 'knm_vitelity', status: 'failed', error: 'knm_vitelity is not enabled by the operator' };
    expect(carrierReportFor(ours, false)).toEqual(ours);
    expect(carrierReportFor({ module: 'knm_telnyx', status: 'ok' }, false)).toEqual({ module: 'knm_telnyx', status: 'ok' });
  });
});
