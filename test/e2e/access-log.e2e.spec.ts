import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { INestApplication } from '@nestjs/common';
import { createHttpApp } from '../../apps/ledger/src/create-http-app';
import { settingsFromEnv } from '../../apps/ledger/src/core/ledger-settings';

/** Operators get one JSON line per request, and never the caller's key. */
describe('structured access log', () => {
  const lines: any[] = [];
  let app: INestApplication;
  let base: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-log-'));

  beforeAll(async () => {
    const sink = new Writable({ write: (chunk, _enc, done) => { lines.push(JSON.parse(chunk.toString())); done(); } });
    const settings = { ...settingsFromEnv({}), dataDir, systemKey: 'secret-system-key-123', sweepIntervalMs: 0 };
    app = await createHttpApp({ settings, log: () => undefined }, false, pino({ level: 'info' }, sink));
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${app.getHttpServer().address().port}`;
  });

  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('logs method, url, status and duration of each request', async () => {
    const headers = { authorization: 'Bearer secret-system-key-123', 'content-type': 'application/json' };
    await fetch(`${base}/v1/numbers`, { method: 'POST', headers, body: JSON.stringify({ number: '+14155550123', state: 'available', carrierModule: 'knm_inventory' }) });
    await fetch(`${base}/v1/numbers/+14155550123`, { headers: { authorization: 'Bearer wrong' } });
    await new Promise((r) => setTimeout(r, 50));
    expect(lines).toEqual(expect.arrayContaining([
      expect.objectContaining({ msg: 'request', method: 'POST', url: '/v1/numbers', status: 201, ms: expect.any(Number) }),
      expect.objectContaining({ msg: 'request', method: 'GET', url: '/v1/numbers/+14155550123', status: 401 }),
    ]));
    expect(JSON.stringify(lines)).not.toContain('secret-system-key-123');
  });
});
