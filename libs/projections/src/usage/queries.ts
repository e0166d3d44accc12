import { ServiceType } from '@ledger/domain/types';
import { SqlExecutor } from '@ledger/sql/sql-client';
import { Where } from '../where';

export interface ServiceRow {
  account_id: string;
  type: string;
  service_id: string;
  name: string | null;
  numbers: string[];
  updated_at: Date;
}

export interface ServiceNumberRow {
  number: string;
  account_id: string;
  type: ServiceType;
  service_id: string;
}

/** Read side of the `usage` read model: the service registry and who uses which number. */
export class UsageQueries {
  constructor(private readonly sql: SqlExecutor, private readonly schema: string) {}

  /**
   * One page of an account's services ordered by type then id (`limit + 1` rows: the extra
   * one says there is more); `after` is the `type service_id` the previous page ended with.
   */
  async services(accountId: string, f: { type?: string; after?: string }, limit: number): Promise<ServiceRow[]> {
    const where = new Where().add((p) => `account_id = ${p(accountId)}`);
    if (f.type) where.add((p) => `type = ${p(f.type)}`);
    if (f.after !== undefined) where.add((p) => `(type || ' ' || service_id) > ${p(f.after)}`);
    const r = await this.sql.query<ServiceRow>(
      `SELECT * FROM ${this.schema}.services ${where.toString()} ORDER BY type || ' ' || service_id LIMIT ${limit + 1}`,
      where.params,
    );
    return r.rows;
  }

  /** The registry's services of each of these numbers. */
  async servicesOf(numbers: string[]): Promise<ServiceNumberRow[]> {
    const r = await this.sql.query<ServiceNumberRow>(
      `SELECT number, account_id, type, service_id FROM ${this.schema}.service_numbers WHERE number = ANY($1::text[])`,
      [numbers],
    );
    return r.rows;
  }
}
