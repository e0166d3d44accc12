import { randomUUID } from 'node:crypto';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { changedConfig } from '@ledger/domain';
import { ACCOUNT_EVENT_TYPES, CONFIG_STREAM_ID } from '@ledger/domain/account-events';
import { NumberManagerConfig } from '@ledger/domain/types';
import { NumberManagerConfigDto } from '../../../ledger/src/config/number-manager-config.http';
import { NumberManagerConfigStore } from '../../../ledger/src/config/number-manager-config.store';
import { CliIo } from '../cli-io';
import { CliError, LedgerSession } from '../ledger-session';

/** `config get [KEY]`: the number-manager configuration (SPEC defaults until changed). */
export async function configGet(session: LedgerSession, io: CliIo, key?: string): Promise<number> {
  const config = await session.get(NumberManagerConfigStore).config();
  if (key && !(key in config)) throw new CliError(`unknown setting ${key}; one of ${Object.keys(config).join(', ')}`);
  io.out(JSON.stringify(key ? config[key as keyof NumberManagerConfig] : config, null, 2));
  return 0;
}

/**
 * `config set KEY VALUE` (VALUE as JSON, or a bare word): validated like
 * `PUT /v1/config/number-manager` and recorded as the same event.
 */
export async function configSet(session: LedgerSession, io: CliIo, key: string, raw: string): Promise<number> {
  const value = parseValue(raw);
  const dto = plainToInstance(NumberManagerConfigDto, { [key]: value });
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw new CliError(errors.flatMap((e) => Object.values(e.constraints ?? { [e.property]: `${e.property} is invalid` })).join('; '));
  const { config: current, revision } = await session.get(NumberManagerConfigStore).current();
  const next: NumberManagerConfig = changedConfig(current, { [key]: value });
  const r = await session.stores.events.append(
    CONFIG_STREAM_ID,
    [{ id: randomUUID(), type: ACCOUNT_EVENT_TYPES.NumberManagerConfigured, data: { config: next, at: new Date().toISOString() }, metadata: { actor: 'system', command: 'ConfigureNumberManager' } }],
    revision < 0 ? 'no_stream' : revision,
  );
  session.get(NumberManagerConfigStore).invalidate();
  await session.settle(r.position);
  io.out(JSON.stringify({ [key]: next[key as keyof NumberManagerConfig] }));
  return 0;
}

function parseValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
