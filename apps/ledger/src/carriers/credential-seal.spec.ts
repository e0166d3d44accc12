import { PgliteSqlClient } from '@ledger/sql';
import { operatorKeyFrom } from '../core/operator-key';
import { CredentialSeal } from './credential-seal';

const TOKEN = 'tok-Zebra-s3cr3t-42';

describe('CredentialSeal: envelope encryption of carrier credentials (on PGlite)', () => {
  let sql: PgliteSqlClient;
  const operator = operatorKeyFrom('operator key one');

  beforeAll(async () => {
    sql = await PgliteSqlClient.open();
    await sql.exec(new CredentialSeal(sql, 'public', operator).ddl());
  });
  afterAll(async () => sql.close());

  it('seals so that neither the sealed copy nor the stored data key shows the credential, and opens it again', async () => {
    const seal = new CredentialSeal(sql, 'public', operator);
    const sealed = await seal.seal('r1', 'knm_telnyx', { token: TOKEN });
    expect(JSON.stringify(sealed)).not.toContain(TOKEN);
    const rows = await sql.query<{ t: string }>(`SELECT c::text AS t FROM carrier_data_keys c`);
    expect(rows.rows.map((r) => r.t).join()).not.toContain(TOKEN);
    expect(await seal.open('r1', 'knm_telnyx', sealed)).toEqual({ token: TOKEN });
  });

  it('binds a sealed copy to its scope and module, and to the operator key', async () => {
    const seal = new CredentialSeal(sql, 'public', operator);
    const sealed = await seal.seal('r2', 'knm_telnyx', { token: TOKEN });
    expect(await seal.open('r2', 'knm_vitelity', sealed)).toBeNull();
    expect(await seal.open('r3', 'knm_telnyx', sealed)).toBeNull();
    expect(await new CredentialSeal(sql, 'public', operatorKeyFrom('another operator key')).open('r2', 'knm_telnyx', sealed)).toBeNull();
  });

  it('shredding a scope makes its sealed copies unreadable and leaves other scopes alone', async () => {
    const seal = new CredentialSeal(sql, 'public', operator);
    const gone = await seal.seal('r4', 'knm_telnyx', { token: TOKEN });
    const kept = await seal.seal('r5', 'knm_telnyx', { token: TOKEN });
    expect(await seal.shred('r4')).toBe(1);
    expect(await seal.open('r4', 'knm_telnyx', gone)).toBeNull();
    expect(await seal.open('r5', 'knm_telnyx', kept)).toEqual({ token: TOKEN });
    const fresh = await seal.seal('r4', 'knm_telnyx', { token: 'new' });
    expect(fresh.keyId).not.toBe(gone.keyId);
    expect(await seal.open('r4', 'knm_telnyx', gone)).toBeNull();
  });

  it('rotates the operator key: data keys sealed under the previous one are re-sealed, the credentials unchanged', async () => {
    const sealed = await new CredentialSeal(sql, 'public', operator).seal('r6', 'knm_telnyx', { token: TOKEN });
    const next = operatorKeyFrom('operator key two');
    const rotating = new CredentialSeal(sql, 'public', next, operator);
    expect(await rotating.resealAll()).toBeGreaterThan(0);
    expect(await new CredentialSeal(sql, 'public', next).open('r6', 'knm_telnyx', sealed)).toEqual({ token: TOKEN });
    expect(await new CredentialSeal(sql, 'public', operator).open('r6', 'knm_telnyx', sealed)).toBeNull();
  });
});
