import { checkpointText, signNote, verifyConsistency } from '@ledger/log-tree';
import { LogSigningKey } from './log-signing-key';
import { KeptCheckpoint, LogTreeStore } from './log-tree.store';

/** The tree no longer extends the last signed checkpoint: nothing is signed until an operator looks. */
export class LogDivergedError extends Error {}

/**
 * Signs the current tree head as a C2SP checkpoint and keeps it, but only a head that
 * extends the last kept checkpoint (checked with a consistency proof): a rewritten history,
 * or a tree still being rebuilt, is never signed.
 */
export class CheckpointSigner {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: LogTreeStore,
    private readonly key: LogSigningKey,
    readonly origin: string,
    private readonly log: (msg: string) => void = () => undefined,
  ) {}

  /** Signs the head now (or returns the kept checkpoint when the tree has not grown). */
  async signNow(): Promise<KeptCheckpoint> {
    const head = await this.store.head();
    const latest = await this.store.latestCheckpoint();
    if (latest) {
      if (head.size < latest.treeSize) {
        throw new LogDivergedError(`the tree has ${head.size} leaves, fewer than the last checkpoint (${latest.treeSize}): it is being rebuilt or lost events`);
      }
      const extends_ = head.size === latest.treeSize
        ? head.rootHash.equals(latest.rootHash)
        : verifyConsistency(latest.treeSize, head.size, latest.rootHash, head.rootHash, await this.store.consistencyProof(latest.treeSize, head.size));
      if (!extends_) throw new LogDivergedError(`the tree of ${head.size} does not extend the checkpoint of ${latest.treeSize}: the history was changed`);
      if (head.size === latest.treeSize) return latest;
    }
    const note = signNote(checkpointText({ origin: this.origin, size: head.size, rootHash: head.rootHash }), this.origin, this.key.privateKey, this.key.publicKey);
    await this.store.keep({ treeSize: head.size, rootHash: head.rootHash, origin: this.origin, note });
    return (await this.store.checkpointAt(head.size))!;
  }

  /** Signs every `intervalMs` when the tree has grown (0: only on demand). */
  start(intervalMs: number): void {
    if (intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      this.running = this.signNow().catch((err) => this.log(`log checkpoint not signed: ${(err as Error).message}`));
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
