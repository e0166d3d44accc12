import { createReadStream, existsSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { LedgerError } from '@ledger/domain/errors';
import { CliIo, consoleIo } from './cli-io';
import { CliError, LedgerSession } from './ledger-session';
import { audit } from './commands/audit';
import { configGet, configSet } from './commands/config';
import { generateNumbers } from './commands/generate-numbers';
import { history, purgeDeleted, purgeDiscovery, rebuildProjections } from './commands/maintenance';
import { followTask, runTask, TaskRunOptions } from './commands/run-task';
import { verify } from './commands/verify';
import { reconcileCarriers } from './commands/reconcile-carriers';
import { settingsFromEnv } from '../../ledger/src/core/ledger-settings';
import { DataDirLockedError } from '../../ledger/src/core/data-dir-lock';
import { ServiceApi } from './service-api';
import { listKeys, revokeKey } from './commands/keys';
import { sealCredentials } from './commands/seal-credentials';
import { checkpoint, prove, verifyBundleFile, verifyLog } from './commands/verifiable-log';

/**
 * A command's work on commander's arguments (its strings, then its options object). Commander
 * does not type them: `never` lets each action name the types it declared to commander.
 */
type Action = (session: LedgerSession, ...args: never[]) => Promise<number>;
/** What a command does instead when a running service holds the embedded store (read or submit only). */
type BesideService = (api: ServiceApi, ...args: never[]) => Promise<number>;

const FILE_TASKS: Array<[string, string, string]> = [
  ['import', 'import', 'add numbers (default knm_inventory, available; in_service when account_id is set)'],
  ['assign-to', 'assign_to', 'assign each number to the row\'s account_id (in_service)'],
  ['reserve', 'reserve', 'reserve each number for the row\'s account_id'],
  ['release', 'release', 'release each number'],
  ['delete', 'delete', 'delete each number (admins)'],
];

/**
 * The operator CLI. Every command opens the stores the service uses, with the same
 * environment (DATABASE_URL, EVENTSTORE_URL, LEDGER_DATA_DIR, ...), and never starts the HTTP server.
 * Resolves to the process exit code.
 */
export async function runCli(argv: string[], io: CliIo = consoleIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let exitCode = 0;
  const program = new Command('ledger')
    .description('numbers-ledger operator commands')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });

  const act = (action: Action, besideService?: BesideService) => async (...given: unknown[]) => {
    const args = given.slice(0, -1) as never[]; // commander passes the Command last
    let session: LedgerSession;
    try {
      session = await LedgerSession.open(env, (m) => io.err(m));
    } catch (err) {
      if (!(err instanceof DataDirLockedError)) throw err;
      // One writer per embedded store (SPEC 12): refused, unless the holder's API can do it.
      if (!besideService) throw new CliError(err.message, err.exitCode);
      exitCode = await besideService(ServiceApi.of(err, settingsFromEnv(env)), ...args);
      return;
    }
    try {
      exitCode = await action(session, ...args);
    } finally {
      await session.close();
    }
  };
  const taskOptions = (c: Command) =>
    c.option('--as <account>', 'act with this account\'s rights (default: the system)')
      .option('--dry-run', 'validate every row, change nothing')
      .option('-o, --output <file>', 'copy the result CSV (input + result + error) here');

  taskOptions(program.command('generate-numbers <kind> <account> <start> <count>')
    .description('create COUNT consecutive numbers from START for ACCOUNT (kind: managed or inum)'))
    .action(act((s, kind, account, start, count, o: TaskRunOptions) => generateNumbers(s, io, kind, account, start, count, o)));

  for (const [name, action, description] of FILE_TASKS) {
    taskOptions(program.command(`${name} <file>`).description(`CSV task: ${description}`))
      .action(act((s, file: string, o: TaskRunOptions) => {
        if (!existsSync(file)) throw new CliError(`no such file: ${file}`);
        return runTask(s, io, action, createReadStream(file), o);
      }));
  }
  for (const action of ['list', 'dump']) {
    program.command(action).description(`CSV task: the current inventory${action === 'dump' ? ', every column' : ''} (of --as ACCOUNT's subtree)`)
      .option('--as <account>', 'only this account\'s subtree')
      .option('-o, --output <file>', 'write the CSV here instead of stdout (the summary then goes to stdout)')
      .action(act((s, o: TaskRunOptions) => runTask(s, io, action, null, o), (api, o: TaskRunOptions) => {
        if (o.as) throw new CliError(`${api.refusal} (with ${o.as}'s key: --as needs the store itself)`);
        return api.runTask(io, action, o.output);
      }));
  }
  program.command('resume <taskId>').description('finish a task that was interrupted')
    .option('-o, --output <file>', 'copy the result CSV here')
    .action(act((s, id: string, o: TaskRunOptions) => followTask(s, io, id, o.output)));

  program.command('audit <account>').description('audit the inventory of a customer (SPEC 7) and print the report')
    .option('--level <level>', 'customer or site', 'customer')
    .option('--sites <ids>', 'comma-separated site ids (site level)')
    .option('--limit <n>', 'report lines per kind', '100')
    .action(act((s, account: string, o) => audit(s, io, account, o)));
  program.command('reconcile-carriers [module]').description('compare each carrier\'s own list of numbers with the ledger and print the report (docs/carriers.md)')
    .option('--fix <fixes>', 'comma-separated listed fixes to carry out (disconnect_released_upstream); none by default')
    .option('--account <reseller>', 'a reseller\'s own carrier accounts (default: the system\'s)')
    .option('--as <account>', 'act with this account\'s rights (default: the system)')
    .action(act((s, module: string | undefined, o) => reconcileCarriers(s, io, module, o)));
  program.command('rebuild-projections').description('drop every read model and replay the whole log (stop the service first)')
    .action(act((s) => rebuildProjections(s, io)));
  program.command('verify').description('replay the log into shadow tables and compare them with the live read models (exit 1 when they differ)')
    .action(act((s) => verify(s, io)));
  program.command('history <number>').description('every event of a number, oldest first')
    .action(act((s, n: string) => history(s, io, n)));
  program.command('purge-discovery').description('expire every discovery entry now')
    .action(act((s) => purgeDiscovery(s, io)));
  program.command('purge-deleted').description('remove deleted numbers from the inventory read model (history stays)')
    .action(act((s) => purgeDeleted(s, io)));
  const keys = program.command('keys').description('API keys of an account');
  keys.command('list <account>').description('the account\'s keys: id, name, when issued (never the key)')
    .action(act((s, account: string) => listKeys(s, io, account)));
  keys.command('revoke <account> <keyId>').description('revoke a key: refused by every instance from now on')
    .action(act((s, account: string, keyId: string) => revokeKey(s, io, account, keyId)));
  program.command('seal-credentials').description('seal carrier credentials recorded in clear by versions before sealing (docs/secrets.md)')
    .action(act((s) => sealCredentials(s, io)));
  program.command('checkpoint').description('sign the log tree head now and print the checkpoint (C2SP signed note)')
    .action(act((s) => checkpoint(s, io)));
  program.command('prove <number>').description('the number\'s events with inclusion proofs and a signed checkpoint, as a bundle')
    .option('-o, --output <file>', 'write the bundle here (default: stdout)')
    .action(act((s, n: string, o: { output?: string }) => prove(s, io, n, o)));
  program.command('verify-bundle <file>').description('verify a bundle offline with the log\'s public key (exit 1 when it does not verify)')
    .requiredOption('--key <key>', 'verifier key <name>+<id>+<base64> or PEM public key, or a file holding one')
    .action((file: string, o: { key: string }) => { exitCode = verifyBundleFile(io, file, o.key); });
  program.command('verify-log').description('recompute every leaf from the stored events and check every kept checkpoint (exit 1 on tampering)')
    .action(act((s) => verifyLog(s, io)));
  const config = program.command('config').description('the number-manager configuration');
  config.command('get [key]').action(act((s, key?: string) => configGet(s, io, key), (api, key?: string) => api.configGet(io, key)));
  config.command('set <key> <value>').description('VALUE as JSON (true, 90, ["knm_local"]) or a bare word')
    .action(act((s, key: string, value: string) => configSet(s, io, key, value)));

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof LedgerError) {
      io.err(`ledger: ${err.code}: ${err.detail}`);
      return 2;
    }
    if (err instanceof CliError) {
      io.err(`ledger: ${err.message}`);
      return err.exitCode;
    }
    io.err(`ledger: ${(err as Error).stack ?? String(err)}`);
    return 1;
  }
}
