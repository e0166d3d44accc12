import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LedgerSettings } from '../../ledger/src/core/ledger-settings';
import { DataDirLockedError } from '../../ledger/src/core/data-dir-lock';
import { CliIo } from './cli-io';
import { CliError } from './ledger-session';

const EXIT: Record<string, number> = { success: 0, partial: 3, failure: 1 };
const FINISHED = new Set(Object.keys(EXIT));
/** How long the CLI follows a task the service runs (a bound on the wait, not an expected duration). */
const FOLLOW_LIMIT_MS = 30 * 60_000;

/**
 * The running service's HTTP API, for the CLI commands that only read or submit a task
 * (`list`, `dump`, `config get`) while the service holds the embedded store: the service does the work
 * with its own single writer; the CLI asks, follows and downloads.
 */
export class ServiceApi {
  constructor(readonly url: string, private readonly key: string, /** Why the store could not be opened here. */ readonly refusal: string) {}

  /** The API of the process that holds the data directory, or the refusal when there is none to talk to. */
  static of(locked: DataDirLockedError, settings: LedgerSettings): ServiceApi {
    const key = settings.systemKey ?? systemKeyFile(settings.dataDir);
    if (!locked.holder?.url || !key) throw new CliError(locked.message, 2);
    return new ServiceApi(locked.holder.url, key, locked.message);
  }

  async runTask(io: CliIo, action: string, output?: string): Promise<number> {
    const submitted = await this.call('POST', `/v1/tasks?action=${encodeURIComponent(action)}`);
    const { id } = (await submitted.json()) as { id: string };
    io.err(`task ${id}: ${action}, run by the service at ${this.url} (it holds the data directory)`);
    const deadline = Date.now() + FOLLOW_LIMIT_MS;
    let task: { status: string; action: string; dryRun: boolean; total: number; succeeded: number; failed: number };
    for (;;) {
      task = (await (await this.call('GET', `/v1/tasks/${id}`)).json()) as typeof task;
      if (FINISHED.has(task.status)) break;
      if (Date.now() > deadline) throw new CliError(`task ${id} is still ${task.status}; follow it at ${this.url}/v1/tasks/${id}`, 1);
      await new Promise((r) => setTimeout(r, 100));
    }
    const csv = await (await this.call('GET', `/v1/tasks/${id}/output`)).text();
    if (output) await writeFile(output, csv);
    else io.out(csv.trimEnd());
    const summary = { id, action: task.action, status: task.status, dryRun: task.dryRun, total: task.total, succeeded: task.succeeded, failed: task.failed };
    if (output) io.out(JSON.stringify({ ...summary, output }));
    else io.err(JSON.stringify(summary));
    return EXIT[task.status] ?? 1;
  }

  /** `config get [KEY]` beside the service: the configuration it runs with. */
  async configGet(io: CliIo, key?: string): Promise<number> {
    const config = (await (await this.call('GET', '/v1/config/number-manager')).json()) as Record<string, unknown>;
    if (key && !(key in config)) throw new CliError(`unknown setting ${key}; one of ${Object.keys(config).join(', ')}`);
    io.out(JSON.stringify(key ? config[key] : config, null, 2));
    return 0;
  }

  private async call(method: string, path: string): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${this.url}${path}`, { method, headers: { authorization: `Bearer ${this.key}` } });
    } catch (err) {
      throw new CliError(`the service holding the data directory does not answer at ${this.url} (${(err as Error).message})`, 2);
    }
    if (!response.ok) throw new CliError(`the service at ${this.url} answered ${response.status} to ${method} ${path}: ${await response.text()}`, 1);
    return response;
  }
}

function systemKeyFile(dataDir: string): string | null {
  const file = join(dataDir, 'system-key');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() || null : null;
}
