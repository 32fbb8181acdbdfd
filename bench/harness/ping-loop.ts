/**
 * A PING loop in its own process (one PING about every millisecond), at a higher scheduling
 * priority where allowed, so it measures the server rather than this process's CPU use.
 */
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { setPriority } from 'node:os';

const PINGER = `
const Redis = require(process.argv[1]);
const client = new Redis(process.argv[2]);
let stopping = false;
process.on('message', () => { stopping = true; });
(async () => {
  await client.ping();
  process.send('ready');
  const samples = [];
  while (!stopping) {
    const begin = performance.now();
    await client.ping();
    samples.push(performance.now() - begin);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  client.disconnect();
  samples.sort((a, b) => a - b);
  const p99Ms = samples[Math.floor(samples.length * 0.99)] ?? 0;
  process.send({ worstMs: samples.at(-1) ?? 0, p99Ms, count: samples.length }, () => process.exit(0));
})();
`;

export interface PingStats {
  worstMs: number;
  p99Ms: number;
  count: number;
}

export async function startPingLoop(url: string): Promise<{ stop(): Promise<PingStats> }> {
  const ioredis = createRequire(import.meta.url).resolve('ioredis');
  const child = fork('-e', [], {
    execArgv: ['-e', PINGER, ioredis, url],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    setPriority(child.pid!, -15);
  } catch {}
  const next = () =>
    new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error('the PING loop did not answer within 30 s'));
      }, 30_000);
      child.once('message', (message) => {
        clearTimeout(timer);
        resolve(message);
      });
    });
  await next();
  return {
    async stop(): Promise<PingStats> {
      const result = next();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send('stop');
      const stats = (await result) as PingStats;
      await exited;
      return stats;
    },
  };
}
