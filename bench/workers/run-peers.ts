import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkerReport } from '../../test/fixtures/stampede-worker.js';
import { ROOT } from '../harness/context.js';
import type { PeerJob } from './peer-worker.js';

const WORKER = fileURLToPath(new URL('./peer-worker.ts', import.meta.url));

function next(child: ChildProcess, what: 'ready' | 'report'): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`peer worker exited with ${code} before ${what}`));
    child.once('exit', onExit);
    child.on('message', function onMessage(message) {
      if (typeof message !== 'object' || message === null || !(what in message)) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve((message as Record<string, unknown>)[what]);
    });
  });
}

/**
 * Runs `processes` peer workers (tsx child processes with an IPC channel) on one job and
 * releases them together once all are connected. All are killed after `timeoutMs`.
 */
export async function runPeerWorkers(
  processes: number,
  job: PeerJob,
  timeoutMs = 30_000,
): Promise<WorkerReport[]> {
  const children = Array.from({ length: processes }, () =>
    fork(WORKER, [JSON.stringify(job)], {
      execPath: join(ROOT, 'node_modules/.bin/tsx'),
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    }),
  );
  const timer = setTimeout(() => {
    for (const child of children) child.kill('SIGKILL');
  }, timeoutMs);
  try {
    await Promise.all(children.map((child) => next(child, 'ready')));
    const reports = children.map((child) => next(child, 'report'));
    for (const child of children) child.send('go');
    const exited = children.map((child) => new Promise((resolve) => child.once('exit', resolve)));
    const results = (await Promise.all(reports)) as WorkerReport[];
    await Promise.all(exited);
    return results;
  } finally {
    clearTimeout(timer);
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  }
}
