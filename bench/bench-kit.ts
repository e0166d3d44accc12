/**
 * What every benchmark shares. A benchmark is a file `bench/<name>.bench.ts`
 * whose default export takes a BenchContext and returns a BenchResult; `npm run bench`
 * runs them all and writes bench/results/latest.json and latest.md.
 */
export interface BenchContext {
  /** PostgreSQL server for the run (BENCH_DATABASE_URL, default postgres://root@127.0.0.1:5432/test). */
  databaseUrl: string;
  /** Creates a fresh database for one benchmark and returns its URL; dropped at the end of the run. */
  scratchDatabase(prefix: string): Promise<string>;
  /** Scale factor 0..1 (BENCH_SCALE, default 1): quick runs use smaller sizes. */
  scale: number;
  log(message: string): void;
}

export interface BenchFigure {
  /** e.g. "acquire+release over HTTP, 32 clients" */
  name: string;
  value: number;
  unit: string;
  /** The machine's raw limit measured in the same run, same unit, when the figure is a rate or time to compare. */
  reference?: { name: string; value: number };
  /** value / reference.value */
  ratio?: number;
  /** The target as text, and whether it was met. */
  target?: string;
  met?: boolean;
  extra?: Record<string, number | string>;
}

export interface BenchResult {
  benchmark: string;
  figures: BenchFigure[];
}

export type Benchmark = (ctx: BenchContext) => Promise<BenchResult>;

/** Percentile of sorted or unsorted samples (milliseconds). */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Runs `worker` on `clients` concurrent loops until `durationMs` has passed; returns per-op latencies. */
export async function closedLoop(clients: number, durationMs: number, worker: (client: number, i: number) => Promise<void>): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let i = 0; performance.now() < deadline; i++) {
        const t = performance.now();
        await worker(client, i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000 };
}
