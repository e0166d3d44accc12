import { HttpException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ACCOUNT_EVENT_TYPES, accountStreamId, AccountCreated, AccountKeyIssued, AccountKeyRevoked, SYSTEM_ACCOUNT_ID } from '@ledger/domain/account-events';
import { checkKeyName, checkNewAccount } from '@ledger/domain/validation';
import { EventStore, LogPosition, WrongExpectedRevisionError } from '@ledger/event-store/port';
import { Projector } from '@ledger/projections/projector';
import { eventMetadata, RequestContext as CommandMeta } from '../core/request-context';
import { eventIdsFor } from '../core/event-ids';
import { AccountTree } from './account-tree';
import { hashKey, newAccountKey } from './key-ring';

/**
 * Writes the account aggregate. Account changes are rare and everything else
 * depends on them, so each write waits until the registry has applied it.
 */
export class AccountWriter {
  constructor(private readonly events: EventStore, private readonly projector: Projector, private readonly tree: AccountTree) {}

  async create(account: Omit<AccountCreated, 'at'>, meta: CommandMeta): Promise<LogPosition> {
    checkNewAccount(account);
    const streamId = accountStreamId(account.id);
    try {
      const [id] = eventIdsFor(1, streamId, meta.idempotencyKey ? { accountId: meta.requester.accountId, key: meta.idempotencyKey } : undefined);
      const r = await this.events.append(
        streamId,
        [{ id, type: ACCOUNT_EVENT_TYPES.AccountCreated, data: { ...account, at: new Date().toISOString() }, metadata: eventMetadata(meta, 'CreateAccount') }],
        'no_stream',
      );
      await this.settle(r.position);
      return r.position;
    } catch (err) {
      if (err instanceof WrongExpectedRevisionError) throw new HttpException({ code: 'account_exists', detail: `account ${account.id} exists` }, 409);
      throw err;
    }
  }

  async issueKey(accountId: string, name: string | null, meta: CommandMeta): Promise<{ key: string; keyId: string; position: LogPosition }> {
    checkKeyName(name);
    const key = newAccountKey();
    const issued: AccountKeyIssued = { keyId: randomUUID(), name, keyHash: hashKey(key), at: new Date().toISOString() };
    const r = await this.events.append(
      accountStreamId(accountId),
      [{ id: randomUUID(), type: ACCOUNT_EVENT_TYPES.AccountKeyIssued, data: { ...issued }, metadata: eventMetadata(meta, 'IssueKey') }],
      'any',
    );
    await this.settle(r.position);
    return { key, keyId: issued.keyId, position: r.position };
  }

  async revokeKey(accountId: string, keyId: string, meta: CommandMeta): Promise<LogPosition> {
    const revoked: AccountKeyRevoked = { keyId, at: new Date().toISOString() };
    const r = await this.events.append(
      accountStreamId(accountId),
      [{ id: randomUUID(), type: ACCOUNT_EVENT_TYPES.AccountKeyRevoked, data: { ...revoked }, metadata: eventMetadata(meta, 'RevokeKey') }],
      'any',
    );
    await this.settle(r.position);
    return r.position;
  }

  /** The system account is the root of the tree; created on first start. */
  async ensureSystemAccount(): Promise<void> {
    if (this.tree.pathOf(SYSTEM_ACCOUNT_ID).length > 0) return;
    const system: AccountCreated = {
      id: SYSTEM_ACCOUNT_ID, name: 'System', parentId: null, reseller: true, superAdmin: true,
      allowNumberAdditions: true, at: new Date().toISOString(),
    };
    try {
      const r = await this.events.append(
        accountStreamId(SYSTEM_ACCOUNT_ID),
        [{ id: randomUUID(), type: ACCOUNT_EVENT_TYPES.AccountCreated, data: { ...system }, metadata: { actor: SYSTEM_ACCOUNT_ID, command: 'Bootstrap' } }],
        'no_stream',
      );
      await this.settle(r.position);
    } catch (err) {
      if (!(err instanceof WrongExpectedRevisionError)) throw err; // another instance created it
      if (!this.projector.isFollowing) await this.projector.catchUp();
      await this.tree.reload();
    }
  }

  private async settle(position: LogPosition): Promise<void> {
    await this.projector.settle(position, undefined, ['accounts']);
    await this.tree.reload();
  }
}
