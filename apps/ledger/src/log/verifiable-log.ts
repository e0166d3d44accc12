import { hostname } from 'node:os';
import { verifierKey } from '@ledger/log-tree';
import { SqlExecutor } from '@ledger/sql/sql-client';
import { LedgerSettings } from '../core/ledger-settings';
import { CheckpointSigner } from './checkpoint-signer';
import { loadLogSigningKey } from './log-signing-key';
import { HistoryEntryLike, withInclusionProofs } from './log-proofs';
import { LogTreeStore } from './log-tree.store';

/** The verifiable history: the tree's reads, the checkpoint signer and the verifier key (the tree's projection runs in the core's projector). */
export class VerifiableLog {
  readonly store: LogTreeStore;
  readonly signer: CheckpointSigner;
  /** C2SP verifier key `<origin>+<key id>+<base64(0x01 || key)>`. */
  readonly verifierKey: string;
  /** The same public key as PEM SubjectPublicKeyInfo. */
  readonly publicKeyPem: string;

  constructor(sql: SqlExecutor, private readonly settings: LedgerSettings, log: (msg: string) => void) {
    const key = loadLogSigningKey(settings.logSigningKey, settings.dataDir, log);
    const origin = settings.logOrigin ?? defaultOrigin();
    this.store = new LogTreeStore(sql, settings.readModelSchema);
    this.signer = new CheckpointSigner(this.store, key, origin, log);
    this.verifierKey = verifierKey(origin, key.publicKey);
    this.publicKeyPem = key.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  }

  /** A page of a number's history, each event with its leaf index and inclusion proof at `treeSize` (`?proofs=`). */
  withInclusionProofs<E extends HistoryEntryLike>(history: { data: E[] }, treeSize: number) {
    return withInclusionProofs(this.store, history, treeSize);
  }

  start(): void {
    this.signer.start(this.settings.checkpointIntervalMs);
  }

  stop(): Promise<void> {
    return this.signer.stop();
  }
}

/** `<host>/numbers-ledger`: set LEDGER_LOG_ORIGIN when several instances share one log. */
export function defaultOrigin(): string {
  return `${hostname().replace(/[^A-Za-z0-9.-]/g, '-') || 'localhost'}/numbers-ledger`;
}
