import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
  const results: RunResult[] = [];
  try {
    for (const file of files) {
      const name = file.replace(/\.bench\.js$/, '');
      if (only.length && !only.includes(name)) continue;
      console.log(`\n# ${name}`);
      const bench = ((await import(join(__dirname, file))) as { default: Benchmark }).default;
      const result = await bench(ctx);
      for (const f of result.figures) console.log(`  ${formatFigure(f)}`);
      results.push({ ...result, file: name, ranAt: new Date().toISOString(), scale });
    }
  } finally {
    for (const name of created) await admin(databaseUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
  }
  // At full scale each benchmark's figures replace its own in latest.* (the others keep theirs and
  // their run time); a smaller scale is a smoke run and goes to partial.*.
  write(scale === 1 ? merged(results) : results, scale === 1 ? 'latest' : 'partial');
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
  // Small extras (ratios, µs) keep three decimals: 0.268 is not 0.3 beside a target of 0.3.
  const extra = f.extra ? ` | ${Object.entries(f.extra).map(([k, v]) => `${k} ${typeof v === 'number' ? round(v, Math.abs(v) < 10 ? 3 : 1) : v}`).join(', ')}` : '';
  return `${f.name}: ${round(f.value)} ${f.unit}${ref}${extra}${target}`;
}

const round = (v: number, digits = 1) => Number(v.toFixed(digits));

/** A benchmark's figures with when and at what scale they were measured. */
type RunResult = BenchResult & { file: string; ranAt: string; scale: number };

const resultsDir = join(__dirname, '..', '..', 'bench', 'results');

/** This run's results over the last full-scale ones: one entry per benchmark file, newest wins. */
function merged(fresh: RunResult[]): RunResult[] {
  const path = join(resultsDir, 'latest.json');
  const previous: RunResult[] = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { results: RunResult[] }).results : [];
  const byFile = new Map(previous.filter((r) => r.file).map((r) => [r.file, r]));
  for (const r of fresh) byFile.set(r.file, r);
  return [...byFile.values()].sort((a, b) => a.file.localeCompare(b.file));
}

function write(results: RunResult[], name: string): void {
  mkdirSync(resultsDir, { recursive: true });
  const meta = { writtenAt: new Date().toISOString(), node: process.version, cpus: cpus().length };
  writeFileSync(join(resultsDir, `${name}.json`), JSON.stringify({ ...meta, results }, null, 2));
  const lines = [`# Benchmark results`, '', `Node ${meta.node}, ${meta.cpus} CPUs. Each benchmark measures its raw reference in its own run.`, ''];
  for (const r of results) {
    lines.push(`## ${r.benchmark}`, '', `\`${r.file}\`, run at ${r.ranAt}, scale ${r.scale}.`, '');
    for (const f of r.figures) lines.push(`- ${formatFigure(f)}`);
    lines.push('');
  }
  writeFileSync(join(resultsDir, `${name}.md`), lines.join('\n'));
  console.log(`\nresults written to bench/results/${name}.{json,md}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
