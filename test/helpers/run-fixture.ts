import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Runs `test/fixtures/<name>` with node from the package root (so `glasswork` resolves to
 * the build), and resolves the JSON its last output line holds and how long it ran.
 */
export async function runFixture(
  name: string,
  args: string[] = [],
  timeoutMs = 15_000,
): Promise<{ result: Record<string, unknown>; elapsedMs: number }> {
  const fixture = fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
  const started = performance.now();
  const { stdout } = await run(process.execPath, [fixture, ...args], {
    cwd: root,
    timeout: timeoutMs,
  });
  const elapsedMs = performance.now() - started;
  return { result: JSON.parse(stdout.trim().split('\n').at(-1)!), elapsedMs };
}
