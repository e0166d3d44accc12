import type { SqlExecutor } from '@ledger/sql';
import type { AppendResult, NewEvent } from '../port';
import type { StreamAppend } from '../port';
import { appendManyPositions } from '../sql-batch-append';

/** Writes one guarded append alone; undefined when its guard (or event-id uniqueness) refused it. */
export type WriteAlone = (streamId: string, events: NewEvent[], expected: 'no_stream' | number) => Promise<AppendResult | undefined>;

interface Waiting extends StreamAppend {
  resolve(result: AppendResult | undefined): void;
  reject(err: unknown): void;
}

export interface GroupCommitOptions {
  /** Statements in flight at once; appends arriving meanwhile wait and go together. */
  inFlight?: number;
  /** Most appends in one statement. */
  maxGroup?: number;
}

/**
 * Group commit for concurrent appends: while `inFlight` statements are running,
 * new appends queue, and the queue then goes as ONE statement and transaction
 * (each stream still checked against its own expected revision). Under load this
 * replaces a round trip and a WAL flush per command by one per group; a lone
 * append goes at once, alone, as before. A stream appears at most once per
 * group and never in two groups at a time, so each append's guard means what it
 * meant alone. When a group statement fails (an event id stored before, a
 * deadlock with another instance), its appends are written alone, one by one,
 * so each gets its own answer.
 */
export class GroupCommit {
  private readonly waiting: Waiting[] = [];
  private readonly busyStreams = new Set<string>();
  private running = 0;
  private readonly inFlight: number;
  private readonly maxGroup: number;

  constructor(private readonly sql: SqlExecutor, private readonly writeAlone: WriteAlone, options: GroupCommitOptions = {}) {
    this.inFlight = Math.max(1, options.inFlight ?? 2);
    this.maxGroup = Math.max(1, options.maxGroup ?? 100);
  }

  write(streamId: string, events: NewEvent[], expected: 'no_stream' | number): Promise<AppendResult | undefined> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ streamId, events, expected, resolve, reject });
      this.next();
    });
  }

  private next(): void {
    while (this.running < this.inFlight) {
      const group = this.takeGroup();
      if (group.length === 0) return;
      this.running++;
      void this.send(group).finally(() => {
        this.running--;
        for (const a of group) this.busyStreams.delete(a.streamId);
        this.next();
      });
    }
  }

  /** The oldest waiting appends, one per stream, skipping streams already being written. */
  private takeGroup(): Waiting[] {
    const group: Waiting[] = [];
    for (let i = 0; i < this.waiting.length && group.length < this.maxGroup; ) {
      const a = this.waiting[i];
      if (this.busyStreams.has(a.streamId)) {
        i++;
        continue;
      }
      this.busyStreams.add(a.streamId);
      group.push(a);
      this.waiting.splice(i, 1);
    }
    return group;
  }

  private async send(group: Waiting[]): Promise<void> {
    if (group.length === 1) return this.sendAlone(group);
    let positions: Map<string, string>;
    try {
      positions = await appendManyPositions(this.sql, group);
    } catch {
      return this.sendAlone(group);
    }
    for (const a of group) {
      const position = positions.get(a.streamId);
      const nextRevision = (a.expected === 'no_stream' ? -1 : a.expected) + a.events.length;
      a.resolve(position === undefined ? undefined : { nextRevision, position });
    }
  }

  private async sendAlone(appends: Waiting[]): Promise<void> {
    for (const a of appends) {
      await this.writeAlone(a.streamId, a.events, a.expected).then((r) => a.resolve(r), (err: unknown) => a.reject(err));
    }
  }
}
