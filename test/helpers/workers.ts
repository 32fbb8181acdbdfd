import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { L1Command, L1WorkerJob } from '../fixtures/l1-worker.js';
import type { WorkerJob, WorkerReport } from '../fixtures/stampede-worker.js';
import type { TagCommand, TagWorkerJob } from '../fixtures/tag-worker.js';

const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
const worker = fileURLToPath(new URL('../fixtures/stampede-worker.ts', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));

interface Running {
  ready: Promise<void>;
  report: Promise<WorkerReport>;
  go(): void;
  kill(): void;
}

function start(job: WorkerJob): Running {
  const child = spawn(tsx, [worker, JSON.stringify(job)], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk;
    if (stdout.startsWith('ready\n')) markReady();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk;
  });
  const report = new Promise<WorkerReport>((resolve, reject) => {
    child.once('exit', (code) => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as WorkerReport);
      else reject(new Error(`worker exited with ${code}: ${stderr.slice(-2000)}`));
    });
  });
  return {
    ready: Promise.race([ready, report.then(() => undefined)]),
    report,
    go: () => child.stdin.end('go\n'),
    kill: () => child.kill('SIGKILL'),
  };
}

/**
 * Runs `processes` workers on one job; once all are connected, releases them together.
 * Every worker is killed if the whole run takes longer than `timeoutMs`.
 */
export async function runWorkers(
  processes: number,
  job: WorkerJob,
  timeoutMs = 30_000,
): Promise<WorkerReport[]> {
  const workers = Array.from({ length: processes }, () => start(job));
  const timer = setTimeout(() => {
    for (const w of workers) w.kill();
  }, timeoutMs);
  try {
    await Promise.all(workers.map((w) => w.ready));
    for (const w of workers) w.go();
    return await Promise.all(workers.map((w) => w.report));
  } finally {
    clearTimeout(timer);
  }
}

/** The p-th percentile of `values`, in their unit. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const l1Worker = fileURLToPath(new URL('../fixtures/l1-worker.ts', import.meta.url));

/** A running two-tier cache instance (test/fixtures/l1-worker.ts), driven one command at a time. */
export interface L1Process {
  readonly pid: number;
  send<T = Record<string, unknown>>(command: L1Command): Promise<T>;
  kill(): void;
}

/** Starts a two-tier cache instance in a child process; resolves once it is ready. */
export function startL1Process(job: L1WorkerJob): Promise<L1Process> {
  return startLineProcess(l1Worker, job);
}

const tagWorker = fileURLToPath(new URL('../fixtures/tag-worker.ts', import.meta.url));

/** A cache instance of the tag tests (test/fixtures/tag-worker.ts): commands run concurrently. */
export interface TagProcess {
  send<T = Record<string, unknown>>(command: DistributiveOmit<TagCommand, 'id'>): Promise<T>;
  kill(): void;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Starts a tag-test cache instance in a child process; resolves once it is ready. */
export async function startTagProcess(job: TagWorkerJob): Promise<TagProcess> {
  const lines = await startLineProcess<{ id: number }>(tagWorker, job, true);
  let next = 0;
  return {
    send: <T>(command: DistributiveOmit<TagCommand, 'id'>) =>
      lines.send<T>({ ...command, id: ++next } as never),
    kill: () => lines.kill(),
  };
}

/**
 * A child process answering one JSON line per JSON command line. With `byId`, answers may
 * come in any order and are matched to commands by their `id`.
 */
function startLineProcess<C>(
  script: string,
  job: unknown,
  byId = false,
): Promise<{
  pid: number;
  send<T>(command: C): Promise<T>;
  kill(): void;
}> {
  const child = spawn(tsx, [script, JSON.stringify(job)], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let buffer = '';
  let stderr = '';
  const waiting: ((line: string) => void)[] = [];
  let failed: ((error: Error) => void)[] = [];
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk;
  });
  const byIdWaiting = new Map<number, (line: string) => void>();
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk;
    for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 1);
      const id =
        byId && line.startsWith('{') ? (JSON.parse(line) as { id?: number }).id : undefined;
      if (id !== undefined && byIdWaiting.has(id)) {
        byIdWaiting.get(id)!(line);
        byIdWaiting.delete(id);
      } else waiting.shift()?.(line);
    }
  });
  child.once('exit', (code) => {
    const error = new Error(`l1 worker exited with ${code}: ${stderr.slice(-2000)}`);
    for (const reject of failed) reject(error);
    failed = [];
  });
  const next = () =>
    new Promise<string>((resolve, reject) => {
      waiting.push(resolve);
      failed.push(reject);
    });
  const lineProcess = {
    pid: child.pid ?? 0,
    async send<T>(command: C) {
      const id = (command as { id?: number }).id;
      const answer =
        byId && id !== undefined
          ? new Promise<string>((resolve, reject) => {
              byIdWaiting.set(id, resolve);
              failed.push(reject);
            })
          : next();
      child.stdin.write(`${JSON.stringify(command)}\n`);
      return JSON.parse(await answer) as T;
    },
    kill: () => child.kill('SIGKILL'),
  };
  return next().then(() => lineProcess);
}

/**
 * Reads that returned a value older than `maxAgeMs` allows: the latest write that had
 * resolved `maxAgeMs` before the read is newer than what the read returned.
 */
export function staleReads(
  writes: [seq: number, resolvedAt: number][],
  reads: [at: number, seq: number][],
  maxAgeMs: number,
): number {
  let count = 0;
  let w = 0;
  let latest = 0;
  for (const [at, seq] of reads) {
    while (w < writes.length && writes[w]![1] < at - maxAgeMs) latest = writes[w++]![0];
    if (seq < latest) count++;
  }
  return count;
}
