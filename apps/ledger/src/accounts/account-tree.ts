import { InMemoryAccountDirectory } from '@ledger/domain';
import { AccountDirectory, AccountInfo } from '@ledger/domain/types';
import { AccountQueries, AccountRow } from '@ledger/projections/accounts/queries';
import { SqlClient } from '@ledger/sql/sql-client';

/**
 * The account tree as the decider sees it: an in-memory copy of the `accounts`
 * read model, reloaded whenever the projector applies account events.
 */
export class AccountTree implements AccountDirectory {
  private directory: InMemoryAccountDirectory = new InMemoryAccountDirectory([]);
  private paths = new Map<string, string[]>();

  private reloading: Promise<void> = Promise.resolve();

  constructor(private readonly sql: SqlClient, private readonly schema: string) {}

  /** Reloads after any reload in flight, so an older read never replaces a newer one. */
  reload(): Promise<void> {
    const next = this.reloading.catch(() => undefined).then(() => this.load());
    this.reloading = next;
    return next;
  }

  private async load(): Promise<void> {
    const rows = await new AccountQueries(this.sql, this.schema).all();
    this.directory = new InMemoryAccountDirectory(rows.map(toInfo));
    this.paths = new Map(rows.map((row) => [row.id, row.path]));
  }

  get(id: string): AccountInfo | undefined {
    return this.directory.get(id);
  }

  isAncestor(ancestorId: string, id: string): boolean {
    return this.directory.isAncestor(ancestorId, id);
  }

  resellerOf(id: string): AccountInfo | undefined {
    return this.directory.resellerOf(id);
  }

  /** Ids from the root down to `id` (inclusive). */
  pathOf(id: string): string[] {
    return this.paths.get(id) ?? [];
  }
}

function toInfo(row: AccountRow): AccountInfo {
  return {
    id: row.id,
    name: row.name,
    parentId: row.parent_id,
    reseller: row.reseller,
    superAdmin: row.super_admin,
    allowNumberAdditions: row.allow_number_additions,
    maxBillableNumbers: row.max_billable_numbers ?? null,
    features: row.features ?? {},
  };
}
