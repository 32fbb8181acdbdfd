import type { WorkerReport } from '../../test/fixtures/stampede-worker.js';
import { fmt, percentile } from './stats.js';

/** Loader calls and caller latencies of one multi-caller run, from the worker reports. */
export interface CallerFigures {
  loaderCalls: number;
  /** Loader calls per process, e.g. `1+1+1+1`. */
  perProcess: string;
  p50Ms: number;
  p99Ms: number;
  /** How many distinct values the callers received. */
  distinctValues: number;
}

export function callerFigures(reports: readonly WorkerReport[]): CallerFigures {
  const latencies = reports.flatMap((report) => report.latenciesMs);
  const values = new Set(reports.flatMap((report) => report.results.map((v) => JSON.stringify(v))));
  return {
    loaderCalls: reports.reduce((sum, report) => sum + report.loaderCalls, 0),
    perProcess: reports.map((report) => report.loaderCalls).join('+'),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    distinctValues: values.size,
  };
}

/** Cells: loader calls, per process, p50 ms, p99 ms, distinct values. */
export const callerCells = (f: CallerFigures) => [
  String(f.loaderCalls),
  f.perProcess,
  fmt(f.p50Ms, 1),
  fmt(f.p99Ms, 1),
  String(f.distinctValues),
];

export const CALLER_COLUMNS = [
  'loader calls',
  'per process',
  'p50 ms',
  'p99 ms',
  'distinct values returned',
];
