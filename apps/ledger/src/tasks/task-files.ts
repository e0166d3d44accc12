import { createWriteStream, mkdirSync } from 'node:fs';
import { open, rm, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse/sync';
import { LedgerError } from '../../../../libs/domain/src/errors';

/** Where a task's input and output CSV live: `<dataDir>/tasks/<id>/`. */
export class TaskFiles {
  constructor(readonly root: string) {}

  input(id: string): string {
    return join(this.root, id, 'input.csv');
  }

  output(id: string): string {
    return join(this.root, id, 'output.csv');
  }

  /**
   * Streams an upload to disk (never whole in memory), reading its header and counting its rows
   * on the way. Refuses (400) a file without an `e164` column.
   */
  async saveInput(id: string, source: Readable): Promise<{ columns: string[]; total: number }> {
    mkdirSync(join(this.root, id), { recursive: true });
    const scan = new InputScan();
    await pipeline(source, async function* (chunks: AsyncIterable<Buffer | string>) {
      for await (const chunk of chunks) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        scan.push(bytes);
        yield bytes;
      }
    }, createWriteStream(this.input(id)));
    const columns = scan.columns();
    if (!columns.includes('e164')) {
      await this.remove(id);
      throw new LedgerError('validation_failed', 'the CSV header must have an e164 column', { field: 'e164' });
    }
    return { columns, total: scan.rows() };
  }

  /** Opens the output for appending after `bytes` (what the last checkpoint recorded). */
  async openOutput(id: string, bytes: number) {
    mkdirSync(join(this.root, id), { recursive: true });
    const handle = await open(this.output(id), 'a+');
    await truncate(this.output(id), bytes);
    return handle;
  }

  async remove(id: string): Promise<void> {
    await rm(join(this.root, id), { recursive: true, force: true });
  }
}

/** Header and row count of a CSV arriving in chunks (rows = non-empty lines after the header). */
class InputScan {
  private head = '';
  private headerDone = false;
  private lines = 0;
  private lineHasText = false;

  push(chunk: Buffer): void {
    if (!this.headerDone) {
      const text = chunk.toString('utf8');
      const nl = text.indexOf('\n');
      this.head += nl < 0 ? text : text.slice(0, nl);
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

  columns(): string[] {
    const header = this.head.replace(/^\uFEFF/, '').trim();
    if (header === '') return [];
    const [cells] = parse(header) as string[][];
    return (cells ?? []).map((c) => c.trim());
  }

  rows(): number {
    return this.lines + (this.lineHasText ? 1 : 0);
  }
}
