/** The `npm start` demo runs to the end and shows each behaviour it promises. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

async function demo(...args: string[]): Promise<string> {
  const env = { ...process.env };
  for (const name of [
    'CACHE_TABLE',
    'AWS_ENDPOINT_URL_DYNAMODB',
    'AWS_ACCESS_KEY_ID',
    'AWS_PROFILE',
  ]) {
    delete env[name];
  }
  const { stdout } = await run(tsx, ['demo/main.ts', ...args], { cwd: root, env, timeout: 30_000 });
  return stdout;
}

function expectScenario(output: string) {
  expect(output).toMatch(/wrap user:42 \(cold\)\s+miss .*\b1\s+->/);
  expect(output).toMatch(/wrap user:42 \(warm\)\s+hit /);
  expect(output).toMatch(
    /100 concurrent wraps of cold user:7\s+miss .*\b1\s+-> 100 callers served/,
  );
  expect(output).toMatch(/stale, refresh starts\)\s+stale /);
  expect(output).toMatch(/drain\(\) \(the refresh finishes\)\s+refresh /);
  expect(output).toMatch(/"version":2/);
  expect(output).toMatch(/setTTL\(expiresIn − 60\)\)\s+miss /);
  expect(output).toMatch(/has token \(reads only the entry head\)\s+-.*-> true/);
  expect(output).toMatch(/fnHardTimeoutMs: 200\)\s+miss .*-> rejected: TimeoutError/);
  expect(output).toMatch(/delByPattern\('user:\*'\)\s+del .*-> 2 removed/);
  expect(output).toMatch(
    /wrap user:42 \(served from upstream\)\s+error, miss, error .*-> \{"id":"42"/,
  );
  expect(output).toMatch(/invalidateTags\(\['product:1'\]\)\s+del .*-> true/);
  expect(output).toMatch(/has product:1\s+-.*-> false/);
  expect(output).toMatch(/wrap product:2 \(other tag: still warm\)\s+hit /);
  expect(output).toMatch(/wrap product:2 \(reloaded\)\s+miss /);
  expect(output).toMatch(/clear\(\) \(one write.*-> true/);
  expect(output).toMatch(/wrap user:42 \(cleared: reloaded\)\s+miss /);
  expect(output).toMatch(/wrap user:42 \(warm\)\s+hit .*\n\nsummary: 31 steps/);
}

describe('npm start demo', () => {
  it('runs on the embedded DynamoDB-compatible server by default, with a real outage', async () => {
    const output = await demo();
    expect(output).toContain('embedded dynalite');
    expect(output).toContain('the server is stopped');
    expectScenario(output);
  }, 40_000);

  it('runs on Redis', async () => {
    const output = await demo('--store', 'redis');
    expect(output).toContain('Redis at');
    expectScenario(output);
  }, 40_000);

  it('runs on the memory store', async () => {
    const output = await demo('--store', 'memory');
    expect(output).toContain('MemoryCacheStore');
    expectScenario(output);
  }, 40_000);
});
