import { LedgerError } from '../../../../libs/domain/src/errors';
import { ServiceType, UsageRef } from '../../../../libs/domain/src/types';
import { LogPosition } from '../../../../libs/event-store/src/port';
import { Projector } from '../../../../libs/projections/src/projector';
import { SqlExecutor } from '../../../../libs/sql/src/sql-client';
import { CommandMeta } from '../numbers/command-runner/command-meta';
import { NumberCommandRunner } from '../numbers/command-runner/number-command-runner';

/** Every registered service that references each number (any account), from `service_numbers`. */
export async function usersOf(sql: SqlExecutor, schema: string, numbers: string[]): Promise<Map<string, UsageRef[]>> {
  const users = new Map<string, UsageRef[]>(numbers.map((n) => [n, []]));
  if (numbers.length === 0) return users;
  const r = await sql.query<{ number: string; account_id: string; type: ServiceType; service_id: string }>(
    `SELECT number, account_id, type, service_id FROM ${schema}.service_numbers WHERE number = ANY($1::text[])`,
    [numbers],
  );
  for (const row of r.rows) users.get(row.number)?.push({ type: row.type, id: row.service_id, accountId: row.account_id });
  return users;
}

/**
 * Keeps `usedBy` on numbers in line with the registry after a service change:
 * once the registry has applied the change, each affected number that exists
 * gets a SetUsage with exactly its users. Missing numbers are left to the audit.
 */
export class UsageSync {
  constructor(private readonly sql: SqlExecutor, private readonly projector: Projector, private readonly runner: NumberCommandRunner) {}

  async afterChange(position: LogPosition, numbers: string[], meta: CommandMeta): Promise<LogPosition | null> {
    await this.settle(position);
    const users = await usersOf(this.sql, this.projector.schema, numbers);
    let last: LogPosition | null = null;
    for (const [number, usedBy] of users) {
      try {
        const outcome = await this.runner.run(number, { type: 'SetUsage', usedBy }, meta);
        last = outcome.position ?? last;
      } catch (err) {
        if (!(err instanceof LedgerError && err.code === 'not_found')) throw err;
      }
    }
    return last;
  }

  private settle(position: LogPosition): Promise<void> {
    return this.projector.settle(position, undefined, ['usage']);
  }
}
