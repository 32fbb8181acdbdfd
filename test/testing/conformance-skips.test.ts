/**
 * The conformance suite reports the tests of optional methods a store lacks as skipped,
 * never as passed. It runs in a child Vitest over a fixture, and this test reads the
 * child's JSON report: what a user's reporter would show.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

/** The tests of optional methods, by title; all the others need only get, set and del. */
const optionalMethodTests = [
  'has() follows expiry',
  'reports existence with has()',
  'getHead() returns the start of a live payload only',
  'getHead() follows expiry',
  'setIfHead() writes only over a live payload starting with the head',
  'setIfHead() lets exactly one of many concurrent writers replace a payload',
  'setIfAbsent writes only when no live entry exists',
  'setIfAbsent lets exactly one of many concurrent callers win',
  'delIfEquals deletes only a live entry holding exactly the payload',
  'delIfEquals removes a payload once among concurrent callers',
  'removes exactly the matching keys and counts them',
  'removes many keys and counts each once',
  'deletes by pattern inside its keyPrefix only',
  'getMany() answers aligned with the keys, missing keys undefined',
  'getMany() reads keys spread over many hash slots, past per-call limits',
  'getMany() follows expiry',
  'setMany() stores every entry with its own TTL, binary-safe',
  'setMany() replaces existing entries',
  'delMany() removes the keys and counts the entries that existed',
].sort();

interface JsonReport {
  success: boolean;
  testResults: Array<{
    assertionResults: Array<{ ancestorTitles: string[]; title: string; status: string }>;
  }>;
}

describe('runStoreConformance', () => {
  let dir: string;
  let report: JsonReport;
  /** The titles of the tests of suite `name` that ended in `status`. */
  const titles = (name: string, status: string) =>
    report.testResults
      .flatMap((file) => file.assertionResults)
      .filter((test) => test.ancestorTitles[0] === `${name}: store conformance`)
      .filter((test) => test.status === status)
      .map((test) => test.title)
      .sort();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'glasswork-conformance-'));
    const outputFile = join(dir, 'report.json');
    await run(
      process.execPath,
      [
        'node_modules/vitest/vitest.mjs',
        'run',
        '--config',
        'test/fixtures/conformance-skips/vitest.config.ts',
        '--reporter=json',
        `--outputFile=${outputFile}`,
      ],
      { cwd: root, timeout: 60_000 },
    );
    report = JSON.parse(await readFile(outputFile, 'utf8')) as JsonReport;
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reports the tests of optional methods a store lacks as skipped', () => {
    expect(report.success).toBe(true);
    expect(titles('minimal', 'skipped')).toEqual(optionalMethodTests);
    expect(titles('minimal', 'failed')).toEqual([]);
  });

  it('runs and passes the tests of the required methods on such a store', () => {
    const passed = titles('minimal', 'passed');
    expect(passed).toContain('round-trips payloads exactly, binary-safe');
    expect(passed).toContain('expires entries after ttlMs, not before');
    expect(passed).toContain('stays inside its keyPrefix');
    expect(passed).toEqual(
      titles('memory', 'passed').filter((t) => !optionalMethodTests.includes(t)),
    );
  });

  it('skips nothing on a store with every optional method', () => {
    expect(titles('memory', 'skipped')).toEqual([]);
    expect(titles('memory', 'failed')).toEqual([]);
    expect(titles('memory', 'passed')).toEqual(expect.arrayContaining(optionalMethodTests));
  });
});
