import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { LedgerError } from '@ledger/domain/errors';
import { SqlClient } from '@ledger/sql/sql-client';

/** Bytes per stored piece of an input: what one query carries in or out. */
export const INPUT_CHUNK_BYTES = 256 * 1024;

/** An upload went over the task upload limit; nothing of it is kept. */
export class UploadTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`the CSV is larger than the task upload limit of ${limitBytes} bytes`);
    this.name = 'UploadTooLargeError';
  }
}

type Part = 'input' | 'output';

const MAX_HEADER_CHARS = 64 * 1024;

/**
 * A task's input and output CSV, in the database (`task_files`) in pieces: any instance
 * sharing the database can resume a task or serve its output, and neither file is ever
 * whole in memory. The input is keyed by piece number, the output by the byte offset its
 * piece starts at, so cutting the output back to a checkpoint is one delete.
 */
export class TaskStorage {
  constructor(private readonly sql: SqlClient, private readonly schema: string) {}

  ddl(): string {
    return `CREATE TABLE IF NOT EXISTS ${this.schema}.task_files (
      task_id text NOT NULL, part text NOT NULL, seq bigint NOT NULL, data bytea NOT NULL,
      PRIMARY KEY (task_id, part, seq))`;
  }

  /**
   * Stores an upload piece by piece, reading its header and counting its rows on the way.
   * Refuses a file over `limitBytes` as soon as it gets there (413) and one without an
   * `e164` column (400); a refused upload leaves nothing behind.
   */
  async saveInput(id: string, source: Readable, limitBytes: number | null): Promise<{ columns: string[]; total: number }> {
    const scan = new InputScan();
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let seq = 0;
    let size = 0;
    const store = async () => {
      if (pendingBytes === 0) return;
      await this.put(id, 'input', seq++, Buffer.concat(pending, pendingBytes));
      pending = [];
      pendingBytes = 0;
    };
    try {
      // Not destroyed on an early stop: the HTTP layer still has to answer on that request.
      for await (const chunk of source.iterator({ destroyOnReturn: false })) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer);
        size += bytes.length;
        if (limitBytes !== null && size > limitBytes) throw new UploadTooLargeError(limitBytes);
        scan.push(bytes);
        pending.push(bytes);
        pendingBytes += bytes.length;
        if (pendingBytes >= INPUT_CHUNK_BYTES) await store();
      }
      await store();
      scan.finish();
      const columns = scan.columns();
      if (!columns.includes('e164')) throw new LedgerError('validation_failed', 'the CSV header must have an e164 column', { field: 'e164' });
      refuseRepeatedColumns(columns);
      return { columns, total: scan.rows() };
    } catch (err) {
      await this.remove(id);
      throw err;
    }
  }

  async hasInput(id: string): Promise<boolean> {
    const r = await this.sql.query(`SELECT 1 FROM ${this.schema}.task_files WHERE task_id = $1 AND part = 'input' LIMIT 1`, [id]);
    return r.rows.length > 0;
  }

  /** The input as it was uploaded, one piece per query. */
  input(id: string): Readable {
    return Readable.from(this.pieces(id, 'input', Infinity));
  }

  /** The first `bytes` bytes of the output (what the last checkpoint recorded), one piece per query. */
  output(id: string, bytes: number): Readable {
    return Readable.from(this.pieces(id, 'output', bytes));
  }

  /** Cuts the output back to `bytes` and appends after it. */
  async openOutput(id: string, bytes: number): Promise<TaskOutput> {
    await this.sql.query(`DELETE FROM ${this.schema}.task_files WHERE task_id = $1 AND part = 'output' AND seq >= $2`, [id, bytes]);
    await this.sql.query(
      `UPDATE ${this.schema}.task_files SET data = substring(data FROM 1 FOR ($2::bigint - seq)::int)
       WHERE task_id = $1 AND part = 'output' AND seq < $2 AND seq + length(data) > $2`,
      [id, bytes],
    );
    return new TaskOutput(bytes, (offset, data) => this.put(id, 'output', offset, data));
  }

  async remove(id: string): Promise<void> {
    await this.sql.query(`DELETE FROM ${this.schema}.task_files WHERE task_id = $1`, [id]);
  }

  private async put(id: string, part: Part, seq: number, data: Buffer): Promise<void> {
    // A piece written again after a crash (same offset) replaces the first attempt.
    await this.sql.query(
      `INSERT INTO ${this.schema}.task_files (task_id, part, seq, data) VALUES ($1, $2, $3, $4)
       ON CONFLICT (task_id, part, seq) DO UPDATE SET data = EXCLUDED.data`,
      [id, part, seq, data],
    );
  }

  private async *pieces(id: string, part: Part, limit: number): AsyncGenerator<Buffer> {
    let after = -1;
    for (;;) {
      const { rows } = await this.sql.query<{ seq: string | number; data: Uint8Array }>(
        `SELECT seq, data FROM ${this.schema}.task_files WHERE task_id = $1 AND part = $2 AND seq > $3 ORDER BY seq LIMIT 1`,
        [id, part, after],
      );
      if (rows.length === 0) return;
      const seq = Number(rows[0].seq);
      if (seq >= limit) return;
      const data = Buffer.from(rows[0].data);
      yield seq + data.length > limit ? data.subarray(0, limit - seq) : data;
      after = seq;
    }
  }
}

/** Where a run appends its output: one stored piece per write, keyed by its offset. */
export class TaskOutput {
  constructor(private offset: number, private readonly store: (offset: number, data: Buffer) => Promise<void>) {}

  /** Appends `text`; answers its length in bytes. */
  async write(text: string): Promise<number> {
    const data = Buffer.from(text, 'utf8');
    if (data.length === 0) return 0;
    await this.store(this.offset, data);
    this.offset += data.length;
    return data.length;
  }
}

/** Header and row count of a CSV arriving in chunks (rows = non-empty lines after the header). */
class InputScan {
  private head = '';
  private headerDone = false;
  private lines = 0;
  private lineHasText = false;
  /** Checks the bytes are UTF-8 as they arrive (a sequence may straddle two chunks). */
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true });

  push(chunk: Buffer): void {
    const text = this.checkUtf8(() => this.utf8.decode(chunk, { stream: true }));
    if (!this.headerDone) {
      const nl = text.indexOf('\n');
      this.head += nl < 0 ? text : text.slice(0, nl);
      if (this.head.length > MAX_HEADER_CHARS) throw new LedgerError('validation_failed', `the CSV header line is longer than ${MAX_HEADER_CHARS} characters`);
      if (nl < 0) return;
      this.headerDone = true;
      this.count(chunk.subarray(Buffer.byteLength(text.slice(0, nl + 1))));
      return;
    }
    this.count(chunk);
  }

  private count(buf: Buffer): void {
    for (let i = 0; i < buf.length; i++) {
      const c = buf[i];
      if (c === 10) {
        if (this.lineHasText) this.lines++;
        this.lineHasText = false;
      } else if (c !== 13 && c !== 32) {
        this.lineHasText = true;
      }
    }
  }

  /** The upload ended: a UTF-8 sequence left open is no text either. */
  finish(): void {
    this.checkUtf8(() => this.utf8.decode());
  }

  /**
   * Text the decoder cannot read would reach the log as U+FFFD (a Latin-1 "Café" as "Caf\uFFFD"):
   * refused. So is U+FFFD itself: over gRPC the CSV arrives as a string already decoded, where
   * the bytes that were not UTF-8 show only as U+FFFD.
   */
  private checkUtf8(decode: () => string): string {
    let text: string;
    try {
      text = decode();
    } catch {
      throw new LedgerError('validation_failed', 'the CSV is not UTF-8 text: save it as UTF-8 and upload it again');
    }
    if (text.includes('\uFFFD')) throw new LedgerError('validation_failed', 'the CSV holds U+FFFD, the mark of bytes that were not UTF-8 text: save it as UTF-8 and upload it again');
    return text;
  }

  columns(): string[] {
    const header = this.head.replace(/^\uFEFF/, '').trim();
    if (header === '') return [];
    try {
      const [cells] = parse(header);
      return (cells ?? []).map((c) => c.trim());
    } catch (err) {
      throw new LedgerError('validation_failed', `the CSV header cannot be read: ${(err as Error).message}`, { field: 'e164' });
    }
  }

  rows(): number {
    return this.lines + (this.lineHasText ? 1 : 0);
  }
}

/** A column named twice (`columns` as `InputScan` trims them): which cell a row means is a guess (the last one won), so the file is refused. */
function refuseRepeatedColumns(columns: string[]): void {
  const seen = new Set<string>();
  for (const column of columns.filter((c) => c !== '')) {
    if (seen.has(column)) throw new LedgerError('validation_failed', `the CSV header names column ${JSON.stringify(column.slice(0, 64))} more than once`, { field: column.slice(0, 64) });
    seen.add(column);
  }
}
