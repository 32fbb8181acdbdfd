/**
 * One process of a multi-process benchmark for a peer library (glasswork's own runs use
 * test/fixtures/stampede-worker.ts). Reads a JSON job from argv, connects, sends `ready`
 * over IPC, waits for `go` (so every process starts together), runs `callers` concurrent
 * calls, and sends a report in the fixture's shape: loader calls made here and latencies.
 */
import type { WorkerReport } from '../../test/fixtures/stampede-worker.js';
import { type Backend, openContender } from '../contenders/index.js';
import { sleep } from '../harness/stats.js';

export interface PeerJob {
  library: 'bentocache' | 'cache-manager';
  backend: Backend;
  /** `wrap`: cold-key stampede; `swr`: fresh 1 s, served stale until 60 s. */
  mode: 'wrap' | 'swr';
  key: string;
  prefix: string;
  callers: number;
  loaderMs: number;
}

const job = JSON.parse(process.argv[2]!) as PeerJob;
const send = (message: unknown) => new Promise((resolve) => process.send!(message, resolve));
const contender = openContender(job.library, job.backend, job.prefix);
let loaderCalls = 0;
const loader = async () => {
  loaderCalls++;
  await sleep(job.loaderMs);
  return { by: process.pid, at: Date.now() };
};
const call = () =>
  job.mode === 'wrap' ? contender.wrap(job.key, 60, loader) : contender.swr(job.key, 1, 60, loader);

try {
  await contender.get(`${job.key}:warm-up`); // connect before the start signal
  const go = new Promise((resolve) => process.once('message', resolve));
  await send({ ready: true });
  await go;
  const latenciesMs: number[] = [];
  const results = await Promise.all(
    Array.from({ length: job.callers }, async () => {
      const begin = performance.now();
      const value = await call();
      latenciesMs.push(performance.now() - begin);
      return value;
    }),
  );
  await sleep(job.loaderMs + 200); // let a background refresh finish writing
  const report: WorkerReport = { pid: process.pid, loaderCalls, results, latenciesMs };
  await send({ report });
} finally {
  await contender.close();
  process.disconnect();
}
