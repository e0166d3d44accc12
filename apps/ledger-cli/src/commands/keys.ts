import { AccountWriter } from '../../../ledger/src/accounts/account-writer';
import { AccountTree } from '../../../ledger/src/accounts/account-tree';
import { KeyRing } from '../../../ledger/src/accounts/key-ring';
import { RequestContext } from '../../../ledger/src/core/request-context';
import { CliIo } from '../cli-io';
import { CliError, LedgerSession } from '../ledger-session';

/** The operator at the console, as every entry hands a use case its caller (the correlation id names the command). */
const OPERATOR: RequestContext = { requester: { accountId: 'system', isSystem: true }, correlationId: 'cli-keys-revoke' };

function accountOf(session: LedgerSession, accountId: string): void {
  if (!session.get(AccountTree).get(accountId)) throw new CliError(`unknown account ${accountId}`);
}

/** `keys list ACCOUNT`: one JSON line per key that is not revoked (id, name, issued; never the key). */
export async function listKeys(session: LedgerSession, io: CliIo, accountId: string): Promise<number> {
  accountOf(session, accountId);
  for (const k of await session.get(KeyRing).list(accountId)) io.out(JSON.stringify(k));
  return 0;
}

/** `keys revoke ACCOUNT KEY_ID`: records the revocation; every instance refuses the key from then on. */
export async function revokeKey(session: LedgerSession, io: CliIo, accountId: string, keyId: string): Promise<number> {
  accountOf(session, accountId);
  if (!(await session.get(KeyRing).list(accountId)).some((k) => k.keyId === keyId)) throw new CliError(`account ${accountId} has no key ${keyId}`);
  const writer = session.get(AccountWriter);
  const position = await writer.revokeKey(accountId, keyId, OPERATOR);
  await session.settle(position);
  io.out(JSON.stringify({ accountId, keyId, revoked: true, position }));
  return 0;
}
