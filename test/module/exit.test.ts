import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = fileURLToPath(new URL('../fixtures/module-exit.mjs', import.meta.url));
const children: ChildProcess[] = [];

/** Starts the fixture (against the built package) and resolves once its app is ready. */
async function startFixture(mode: 'stop' | 'keep') {
  const child = spawn(process.execPath, [fixture, mode], { cwd: root, stdio: 'pipe' });
  children.push(child);
  let output = '';
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const exited = once(child, 'exit').then(([code]) => ({ code, output }));
  const [line] = await Promise.race([
    once(child.stdout, 'data'),
    exited.then((result) => {
      throw new Error(`fixture exited early: ${JSON.stringify(result)}`);
    }),
  ]);
  expect(JSON.parse(String(line))).toEqual({ ready: true, value: { ok: true } });
  return { child, exited };
}

afterEach(() => {
  for (const child of children.splice(0)) child.kill();
});

describe('stop() releases what keeps a process alive', () => {
  it('a process with an open Redis connection stays alive without stop()', async () => {
    const { child, exited } = await startFixture('keep');
    const outcome = await Promise.race([
      exited,
      new Promise((resolve) => setTimeout(resolve, 1000, 'still running')),
    ]);
    expect(outcome).toBe('still running');
    expect(child.exitCode).toBeNull();
  });

  it('exits on its own within a few seconds after stop()', async () => {
    const started = Date.now();
    const { exited } = await startFixture('stop');
    const result = await Promise.race([
      exited,
      new Promise((resolve) => setTimeout(resolve, 5000, 'timed out')),
    ]);
    expect(result).toEqual({ code: 0, output: '' });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
