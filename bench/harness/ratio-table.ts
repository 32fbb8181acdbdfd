import type { Interleaved } from './interleave.js';
import { type ChartPanel, type Check, type Table, verdict } from './result.js';
import { fmt, median, percentile, times } from './stats.js';

export interface RatioSpec {
  /** What the scenario measures, e.g. `Redis hit, sequential`. */
  title: string;
  /** Column heading of the absolute figure, e.g. `µs per call`. */
  unit: string;
  digits: number;
  /** Whether a ratio under 1 is better (latency) or over 1 (throughput). */
  lowerIsBetter: boolean;
  /** A target on one contestant's ratio. */
  target?: { name: string; value: number };
}

/**
 * The table, check and chart panel of an interleaved run: each contestant's median figure
 * and the median (and interquartile range) of its per-round ratios to the baseline.
 */
export function ratioSummary(
  result: Interleaved,
  baseline: string,
  spec: RatioSpec,
): { table: Table; checks: Check[]; panel: ChartPanel } {
  const op = spec.lowerIsBetter ? '≤' : '≥';
  const meets = (ratio: number, target: number) =>
    spec.lowerIsBetter ? ratio <= target : ratio >= target;
  const rows: string[][] = [
    [baseline, fmt(median(result.samples[baseline]!), spec.digits), '1.00× (baseline)', '', '', ''],
  ];
  const checks: Check[] = [];
  const bars = [];
  for (const [name, ratios] of Object.entries(result.ratios)) {
    const ratio = median(ratios);
    const spread = `${times(percentile(ratios, 25))}–${times(percentile(ratios, 75))}`;
    const target = spec.target?.name === name ? spec.target.value : undefined;
    const pass = target !== undefined && meets(ratio, target);
    rows.push([
      name,
      fmt(median(result.samples[name]!), spec.digits),
      times(ratio, 3),
      spread,
      target === undefined ? '' : `${op} ${target.toFixed(2)}×`,
      target === undefined ? '' : verdict(pass),
    ]);
    if (target !== undefined) {
      checks.push({
        name: `${spec.title}: ${name} ÷ ${baseline}`,
        measured: times(ratio, 3),
        target: `${op} ${target.toFixed(2)}×`,
        pass,
      });
    }
    bars.push({
      label: name,
      value: ratio,
      text: times(ratio),
      highlight: name.startsWith('glasswork'),
    });
  }
  return {
    table: {
      caption: `${spec.title} (${result.rounds} rounds)`,
      columns: [
        'variant',
        spec.unit,
        `÷ baseline (median of rounds)`,
        'interquartile range',
        'target',
        'result',
      ],
      rows,
    },
    checks,
    panel: {
      title: `${spec.title}: ÷ ${baseline} (${spec.lowerIsBetter ? 'lower' : 'higher'} is better)`,
      bars,
      reference: { value: 1, label: 'baseline' },
      ...(spec.target
        ? { target: { value: spec.target.value, label: `target ${op} ${spec.target.value}` } }
        : {}),
    },
  };
}
