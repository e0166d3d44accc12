import { HttpException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  accountDecider, AccountCommand, AccountCreated, AccountEvent, accountEvents, AccountExistsError, AccountState, accountStreamId, SYSTEM_ACCOUNT_ID,
} from '@ledger/domain/account';
import { CommandHandler } from '@ledger/event-store/command-handler';
import { EventMetadata, EventStore, LogPosition } from '@ledger/event-store/port';
import { Projector } from '@ledger/projections/projector';
import { eventMetadata, RequestContext } from '../core/request-context';
import { eventIdsFor } from '../core/event-ids';
import { AccountTree } from './account-tree';
import { hashKey, newAccountKey } from './key-ring';

/**
 * Writes the account aggregate (its decider, `@ledger/domain/account`). Account changes
 * are rare and everything else depends on them, so each write waits until the registry has applied it.
 */
export class AccountWriter {
  private readonly handler: CommandHandler<AccountCommand, AccountEvent, AccountState>;

  constructor(private readonly events: EventStore, private readonly projector: Projector, private readonly tree: AccountTree) {
    this.handler = new CommandHandler(events, () => accountDecider, { codec: accountEvents });
  }

  async create(account: Omit<AccountCreated, 'at'>, meta: RequestContext): Promise<LogPosition> {
    const streamId = accountStreamId(account.id);
    const idempotency = meta.idempotencyKey ? { accountId: meta.requester.accountId, key: meta.idempotencyKey } : undefined;
    const ids = (n: number) => eventIdsFor(n, streamId, idempotency);
    try {
      return await this.run(streamId, { type: 'CreateAccount', account: { ...account, at: now() } }, eventMetadata(meta, 'CreateAccount'), ids);
    } catch (err) {
      if (!(err instanceof AccountExistsError)) throw err;
      const resumed = idempotency ? await this.createdBefore(streamId, ids(1)[0]) : null;
      if (resumed) return resumed;
      throw new HttpException({ code: 'account_exists', detail: `account ${account.id} exists` }, 409);
    }
  }

  /** The same key's creation is already the stream's first event (its process died before answering). */
  private async createdBefore(streamId: string, eventId: string): Promise<LogPosition | null> {
    const [first] = await this.events.readStream(streamId, { maxCount: 1 });
    if (first?.id !== eventId) return null;
    await this.settle(first.position);
    return first.position;
  }

  async issueKey(accountId: string, name: string | null, meta: RequestContext): Promise<{ key: string; keyId: string; position: LogPosition }> {
    const key = newAccountKey();
    const issued = { keyId: randomUUID(), name, keyHash: hashKey(key), at: now() };
    const position = await this.run(accountStreamId(accountId), { type: 'IssueKey', key: issued }, eventMetadata(meta, 'IssueKey'));
    return { key, keyId: issued.keyId, position };
  }

  async revokeKey(accountId: string, keyId: string, meta: RequestContext): Promise<LogPosition> {
    return this.run(accountStreamId(accountId), { type: 'RevokeKey', revoked: { keyId, at: now() } }, eventMetadata(meta, 'RevokeKey'));
  }

  /** The system account is the root of the tree; created on first start. */
  async ensureSystemAccount(): Promise<void> {
    if (this.tree.pathOf(SYSTEM_ACCOUNT_ID).length > 0) return;
    const system: AccountCreated = {
      id: SYSTEM_ACCOUNT_ID, name: 'System', parentId: null, reseller: true, superAdmin: true, allowNumberAdditions: true, at: now(),
    };
    try {
      await this.run(accountStreamId(SYSTEM_ACCOUNT_ID), { type: 'CreateAccount', account: system }, { actor: SYSTEM_ACCOUNT_ID, command: 'Bootstrap' });
    } catch (err) {
      if (!(err instanceof AccountExistsError)) throw err; // another instance created it
      if (!this.projector.isFollowing) await this.projector.catchUp();
      await this.tree.reload();
    }
  }

  private async run(streamId: string, command: AccountCommand, metadata: EventMetadata, eventIds?: (n: number) => string[]): Promise<LogPosition> {
    const { position } = await this.handler.handle(streamId, command, { metadata, eventIds });
    await this.settle(position!);
    return position!;
  }

  private async settle(position: LogPosition): Promise<void> {
    await this.projector.settle(position, undefined, ['accounts']);
    await this.tree.reload();
  }
}

const now = () => new Date().toISOString();
