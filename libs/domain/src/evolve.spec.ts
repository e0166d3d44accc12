/** evolve / foldNumber: the record each event produces. */
import { decide } from './number/decide';
import { evolve, foldNumber, initialNumberRecord } from './number/evolve';
import type { NumberEvent } from './types';
import { E, N, NOW, makeCtx } from '@ledger/domain/test/fixture';

const at = (i: number): string => `2024-01-0${i}T00:00:00.000Z`;

describe('evolve', () => {
  it('initialNumberRecord: the stream does not exist', () => {
    expect(initialNumberRecord(N)).toMatchObject({
      number: N, exists: false, state: 'available', assignedTo: null, reserveHistory: [], features: {}, usedBy: [],
      version: 0, createdAt: null, updatedAt: null,
    });
  });

  it('counts versions; createdAt on the first event, updatedAt on the last', () => {
    const r = foldNumber(N, [E.added({ at: at(1) }), E.reserved('child', { at: at(2) }), E.acquired('child', { at: at(3), from: 'reserved' })]);
    expect(r).toMatchObject({ exists: true, version: 3, createdAt: at(1), updatedAt: at(3), state: 'in_service', assignedTo: 'child', reserveHistory: ['child'] });
  });

  it('foldNumber is a left fold of evolve', () => {
    const events: NumberEvent[] = [E.added(), E.acquired('child'), E.released()];
    expect(foldNumber(N, events)).toEqual(events.reduce(evolve, initialNumberRecord(N)));
  });

  it.each<[string, NumberEvent, object]>([
    ['acquired by another account: prevAssignedTo set, usage cleared', E.acquired('sibling', { from: 'in_service', prevAssignedTo: 'child' }), { assignedTo: 'sibling', prevAssignedTo: 'child', usedBy: [] }],
    ['reserved for another account: usage cleared', E.reserved('sibling', { from: 'in_service', prevAssignedTo: 'child', reserveHistory: ['sibling'] }), { state: 'reserved', usedBy: [] }],
    ['reserved for the same account: usage kept', E.reserved('child', { from: 'in_service' }), { usedBy: [{ type: 'device', id: 'd', accountId: 'child' }] }],
    ['usage set', E.usageSet([]), { usedBy: [] }],
    ['deleted: unassigned, features/usage/history cleared', E.deleted({ from: 'in_service' }), { state: 'deleted', assignedTo: null, prevAssignedTo: 'child', usedBy: [], features: {}, reserveHistory: [] }],
    ['released to aging', E.released({ prevAssignedTo: 'child' }), { state: 'aging', assignedTo: null, agingUntil: '2024-03-31T00:00:00.000Z', usedBy: [] }],
    ['aged', E.aged(), { state: 'available', agingUntil: null }],
  ])('%s', (_rule, event, expected) => {
    const base = foldNumber(N, [E.added({ state: 'in_service', assignedTo: 'child' }), E.usageSet([{ type: 'device', id: 'd', accountId: 'child' }]), E.featuresSet({ cnam: 1 })]);
    expect(evolve(base, event)).toMatchObject(expected);
  });

  it('taking an unassigned number keeps usage recorded on it (audit: available but used)', () => {
    const used = [{ type: 'device' as const, id: 'd', accountId: 'child' }];
    const r = foldNumber(N, [E.added({ state: 'available' }), E.usageSet(used), E.acquired('child')]);
    expect(r).toMatchObject({ state: 'in_service', assignedTo: 'child', usedBy: used, prevAssignedTo: null });
  });

  it('re-adding a deleted number starts a fresh record on the same stream', () => {
    const r = foldNumber(N, [
      E.added({ state: 'in_service', assignedTo: 'child' }),
      E.featuresSet({ cnam: 1 }, { featureLists: { deny: ['sms'] } }),
      E.deleted({ from: 'in_service' }),
      E.added({ state: 'available', at: at(5) }),
    ]);
    expect(r).toMatchObject({ state: 'available', version: 4, features: {}, featureLists: {}, prevAssignedTo: null, updatedAt: at(5) });
  });

  it('an unknown event type still counts as a revision', () => {
    const r = evolve(initialNumberRecord(N), { type: 'NumberSomethingElse.v9', at: at(1) } as unknown as NumberEvent);
    expect(r.version).toBe(1);
  });

  it('the record a command reaches is the fold of its events (read-your-writes)', () => {
    const ctx = makeCtx('child');
    const r0 = foldNumber(N, [E.added({ state: 'available' })]);
    const events = decide(N, { type: 'ReserveNumber', expiresAt: new Date(NOW.getTime() + 3600_000).toISOString() }, r0, ctx);
    const r1 = events.reduce(evolve, r0);
    expect(r1).toMatchObject({ state: 'reserved', assignedTo: 'child', reservationExpiresAt: '2024-06-01T01:00:00.000Z', version: 2, updatedAt: NOW.toISOString() });
  });
});
