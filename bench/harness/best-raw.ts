import type { Interleaved } from './interleave.js';
import type { Check, Table } from './result.js';
import { median, percentile, times } from './stats.js';

/** A target held against the best raw client of a run, e.g. glasswork ≤ 1.05× its latency. */
export interface BestRawTarget {
  name: string;
  value: number;
}

/**
 * Holds contestants against the best raw client of an interleaved run rather than its
 * baseline: the raw client with the best median ratio, and per round each contestant's ratio
 * ÷ that client's ratio (both were measured against the same baseline batches, so this is
 * their ratio in that round). The table gives the median and interquartile range of those.
 */
export function bestRawSummary(
  result: Interleaved,
  baseline: string,
  raws: readonly string[],
  spec: {
    title: string;
    lowerIsBetter: boolean;
    compared: readonly string[];
    targets: readonly BestRawTarget[];
  },
): { best: string; table: Table; checks: Check[] } {
  const rounds = result.rounds;
  const ratiosOf = (name: string) =>
    name === baseline ? Array<number>(rounds).fill(1) : result.ratios[name]!.slice(0, rounds);
  const better = (a: number, b: number) => (spec.lowerIsBetter ? a < b : a > b);
  let best = baseline;
  for (const raw of raws) {
    if (better(median(ratiosOf(raw)), median(ratiosOf(best)))) best = raw;
  }
  const bestRatios = ratiosOf(best);
  const op = spec.lowerIsBetter ? '≤' : '≥';
  const rows: string[][] = [];
  const checks: Check[] = [];
  for (const name of spec.compared) {
    const perRound = ratiosOf(name).map((ratio, round) => ratio / bestRatios[round]!);
    const ratio = median(perRound);
    const target = spec.targets.find((candidate) => candidate.name === name)?.value;
    const pass = target !== undefined && (spec.lowerIsBetter ? ratio <= target : ratio >= target);
    rows.push([
      name,
      times(ratio, 3),
      `${times(percentile(perRound, 25))}–${times(percentile(perRound, 75))}`,
      target === undefined ? '' : `${op} ${target.toFixed(2)}×`,
      target === undefined ? '' : pass ? 'pass' : 'FAIL',
    ]);
    if (target !== undefined) {
      checks.push({
        name: `${spec.title}: ${name} ÷ best raw client (${best})`,
        measured: times(ratio, 3),
        target: `${op} ${target.toFixed(2)}×`,
        pass,
      });
    }
  }
  return {
    best,
    table: {
      caption: `${spec.title}, ÷ the best raw client of the run (${best})`,
      columns: [
        'variant',
        '÷ best raw (median of rounds)',
        'interquartile range',
        'target',
        'result',
      ],
      rows,
    },
    checks,
  };
}
