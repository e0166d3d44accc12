import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { Client } from 'pg';
import { Benchmark, BenchContext, BenchResult } from './bench-kit';

/**
 * `npm run bench [name...]`: runs every bench/*.bench (or the named ones) against the
 * PostgreSQL server of BENCH_DATABASE_URL and writes bench/results/latest.{json,md}.
 */
async function main(): Promise<void> {
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
  const scale = Number(process.env.BENCH_SCALE ?? 1);
  const only = process.argv.slice(2);
  const created: string[] = [];
  const ctx: BenchContext = {
    databaseUrl,
    scale,
    log: (m) => console.log(`  ${m}`),
    async scratchDatabase(prefix) {
      const name = `bench_${prefix}_${Date.now().toString(36)}`;
      await admin(databaseUrl, `CREATE DATABASE ${name}`);
      created.push(name);
      const url = new URL(databaseUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
  };
  const files = readdirSync(__dirname).filter((f) => /\.bench\.js$/.test(f)).sort();
  const results: BenchResult[] = [];
  try {
    for (const file of files) {
      const name = file.replace(/\.bench\.js$/, '');
      if (only.length && !only.includes(name)) continue;
      console.log(`\n# ${name}`);
      const bench = ((await import(join(__dirname, file))) as { default: Benchmark }).default;
      const result = await bench(ctx);
      for (const f of result.figures) console.log(`  ${formatFigure(f)}`);
      results.push(result);
    }
  } finally {
    for (const name of created) await admin(databaseUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
  }
  // Only a full run at full scale replaces the results the README quotes.
  write(results, scale, only.length === 0 && scale === 1 ? 'latest' : 'partial');
}

async function admin(url: string, sql: string): Promise<void> {
  const c = new Client({ connectionString: url });
  await c.connect();
  await c.query(sql);
  await c.end();
}

function formatFigure(f: BenchResult['figures'][number]): string {
  const ref = f.reference ? ` | raw: ${f.reference.name} ${round(f.reference.value)} ${f.unit} | ratio ${round(f.ratio ?? 0, 3)}` : '';
  const target = f.target ? ` | target ${f.target}: ${f.met ? 'met' : 'NOT met'}` : '';
  const extra = f.extra ? ` | ${Object.entries(f.extra).map(([k, v]) => `${k} ${typeof v === 'number' ? round(v) : v}`).join(', ')}` : '';
  return `${f.name}: ${round(f.value)} ${f.unit}${ref}${extra}${target}`;
}

const round = (v: number, digits = 1) => Number(v.toFixed(digits));

function write(results: BenchResult[], scale: number, name: string): void {
  const dir = join(__dirname, '..', '..', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const meta = { ranAt: new Date().toISOString(), node: process.version, cpus: cpus().length, scale };
  writeFileSync(join(dir, `${name}.json`), JSON.stringify({ ...meta, results }, null, 2));
  const lines = [`# Benchmark results`, '', `Run at ${meta.ranAt}, Node ${meta.node}, ${meta.cpus} CPUs, scale ${scale}.`, ''];
  for (const r of results) {
    lines.push(`## ${r.benchmark}`, '');
    for (const f of r.figures) lines.push(`- ${formatFigure(f)}`);
    lines.push('');
  }
  writeFileSync(join(dir, `${name}.md`), lines.join('\n'));
  console.log(`\nresults written to bench/results/${name}.{json,md}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
