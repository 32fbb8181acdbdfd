import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './context.js';

let built = false;

function newestMtimeMs(dir: string): number {
  return Math.max(
    0,
    ...readdirSync(dir, { withFileTypes: true }).map((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? newestMtimeMs(path) : statSync(path).mtimeMs;
    }),
  );
}

/** Runs `npm run build` unless dist/ is newer than every file in src/ (once per run). */
export function ensureBuilt(log: (message: string) => void): void {
  if (built) return;
  const dist = join(ROOT, 'dist', 'index.js');
  let distMs = 0;
  try {
    distMs = statSync(dist).mtimeMs;
  } catch {}
  if (distMs < newestMtimeMs(join(ROOT, 'src'))) {
    log('dist/ is missing or older than src/: npm run build');
    const build = spawnSync('npm', ['run', 'build'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 180_000,
    });
    if (build.status !== 0)
      throw new Error(`npm run build failed: ${build.stderr || build.stdout}`);
  }
  built = true;
}
