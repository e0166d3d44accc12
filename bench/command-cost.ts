import { cpus } from 'node:os';
import type { RawInsertRate } from './raw-insert-rate';
import type { MeasuredCpu } from './service-cpu';

const CORES = cpus().length;
const round = (v: number) => Math.round(v);

/**
 * What a command costs in CPU and the rates that bounds, beside raw INSERTs'.
 * Service, PostgreSQL and load generator share this machine's cores, so at best
 * commands/s = cores / (service + PostgreSQL + load CPU per command); and the service's
 * one event loop caps it at 1 s / service CPU per command.
 */
export function commandCost(run: MeasuredCpu<{ latencies: number[] }>, raw: RawInsertRate): Record<string, number | string> {
  const commands = run.result.latencies.length;
  const us = (seconds: number) => (seconds * 1e6) / commands;
  const service = us(run.cpuSeconds);
  const load = us(run.loadCpuSeconds);
  const fields: Record<string, number | string> = {
    service_cpu_us_per_command: round(service),
    load_cpu_us_per_command: round(load),
    one_event_loop_bound_per_s: round(1e6 / service),
  };
  if (run.postgresCpuSeconds === null || raw.postgresCpuUsPerInsert === null) return { ...fields, postgres_cpu: 'not on this machine' };
  const postgres = us(run.postgresCpuSeconds);
  const machineBound = (CORES * 1e6) / (service + postgres + load);
  const rawBound = (CORES * 1e6) / (raw.postgresCpuUsPerInsert + raw.clientCpuUsPerInsert);
  return {
    ...fields,
    postgres_cpu_us_per_command: round(postgres),
    raw_postgres_cpu_us_per_insert: round(raw.postgresCpuUsPerInsert),
    raw_load_cpu_us_per_insert: round(raw.clientCpuUsPerInsert),
    [`${CORES}_core_bound_per_s`]: round(machineBound),
    [`raw_${CORES}_core_bound_per_s`]: round(rawBound),
    best_ratio_on_this_machine: Number((Math.min(machineBound, 1e6 / service) / raw.perSecond).toFixed(3)),
  };
}
