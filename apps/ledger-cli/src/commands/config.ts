import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { NumberManagerConfig } from '@ledger/domain/types';
import { ConfigureNumberManagerCommand } from '../../../ledger/src/config/configure-number-manager/configure-number-manager.command';
import { ConfigureNumberManagerHandler } from '../../../ledger/src/config/configure-number-manager/configure-number-manager.handler';
import { GetNumberManagerConfigHandler } from '../../../ledger/src/config/get-number-manager-config/get-number-manager-config.handler';
import { GetNumberManagerConfigQuery } from '../../../ledger/src/config/get-number-manager-config/get-number-manager-config.query';
import { NumberManagerConfigDto } from '../../../ledger/src/config/number-manager-config.http';
import { CliIo } from '../cli-io';
import { CliError, LedgerSession } from '../ledger-session';

/** `config get [KEY]`: the number-manager configuration (SPEC defaults until changed). */
export async function configGet(session: LedgerSession, io: CliIo, key?: string): Promise<number> {
  const config = await current(session);
  if (key) knownSetting(config, key);
  io.out(JSON.stringify(key ? config[key as keyof NumberManagerConfig] : config, null, 2));
  return 0;
}

/**
 * `config set KEY VALUE` (VALUE as JSON, or a bare word): validated like
 * `PUT /v1/config/number-manager` and run by the same command handler.
 */
export async function configSet(session: LedgerSession, io: CliIo, key: string, raw: string): Promise<number> {
  knownSetting(await current(session), key);
  const value = parseValue(raw);
  const dto = plainToInstance(NumberManagerConfigDto, { [key]: value });
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw new CliError(errors.flatMap((e) => Object.values(e.constraints ?? { [e.property]: `${e.property} is invalid` })).join('; '));
  const configure = session.get(ConfigureNumberManagerHandler);
  const { config, position } = await configure.execute(new ConfigureNumberManagerCommand({ [key]: value }, { requester: session.requester() }));
  await session.settle(position);
  io.out(JSON.stringify({ [key]: config[key as keyof NumberManagerConfig] }));
  return 0;
}

function parseValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

const current = (session: LedgerSession) =>
  session.get(GetNumberManagerConfigHandler).execute(new GetNumberManagerConfigQuery(session.requester()));

/** One of the configuration's own settings (`__proto__`, `constructor` or `toString` are none). */
function knownSetting(config: NumberManagerConfig, key: string): void {
  if (!Object.hasOwn(config, key)) throw new CliError(`unknown setting ${JSON.stringify(key.slice(0, 64))}; one of ${Object.keys(config).join(', ')}`);
}
