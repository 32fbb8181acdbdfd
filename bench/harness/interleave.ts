import { append, median, within } from './stats.js';

/** A named function whose calls are measured. */
export interface Contestant {
  name: string;
  call: () => Promise<unknown>;
}

/** Measures one batch of calls of `call` and returns one figure (µs per call, calls/s…). */
export type Batch = (call: () => Promise<unknown>) => Promise<number>;

export interface Interleaved {
  /** Every batch's figure, by contestant name (the baseline's included). */
  samples: Record<string, number[]>;
  /** Per round, each contestant's figure ÷ the mean of the two baseline batches around it. */
  ratios: Record<string, number[]>;
  rounds: number;
}

const BATCH_TIMEOUT_MS = 60_000;

/**
 * Alternates short batches on a noisy machine: baseline, A, baseline, B, baseline, C,
 * baseline, … with the contestants' order rotating each round, so every batch has a baseline
 * batch on each side. Stops after `rounds`, or after `budgetMs` once 3 rounds are done.
 */
export async function interleave(
  baseline: Contestant,
  others: readonly Contestant[],
  batch: Batch,
  options: { rounds: number; budgetMs: number; onRound?: (round: number) => void },
): Promise<Interleaved> {
  const measure = (contestant: Contestant) =>
    within(batch(contestant.call), BATCH_TIMEOUT_MS, `a batch of ${contestant.name}`);
  const samples: Record<string, number[]> = { [baseline.name]: [] };
  const ratios: Record<string, number[]> = {};
  for (const contestant of [baseline, ...others]) await measure(contestant); // warm-up
  const started = performance.now();
  let before = await measure(baseline);
  samples[baseline.name]!.push(before);
  let round = 0;
  while (round < options.rounds && (round < 3 || performance.now() - started < options.budgetMs)) {
    for (let i = 0; i < others.length; i++) {
      const contestant = others[(i + round) % others.length]!;
      const figure = await measure(contestant);
      const after = await measure(baseline);
      samples[baseline.name]!.push(after);
      append(samples, contestant.name, figure);
      append(ratios, contestant.name, figure / ((before + after) / 2));
      before = after;
    }
    round++;
    options.onRound?.(round);
  }
  return { samples, ratios, rounds: round };
}

/**
 * The median latency of `calls` sequential calls, each timed, in µs: robust to the pauses
 * (GC, scheduling) a shared machine throws into some calls and not others.
 */
export function sequentialBatch(calls: number): Batch {
  return async (call) => {
    const latencies = new Float64Array(calls);
    for (let i = 0; i < calls; i++) {
      const begin = performance.now();
      await call();
      latencies[i] = performance.now() - begin;
    }
    return median(Array.from(latencies)) * 1000;
  };
}

/**
 * Calls per second with `inFlight` calls running at any time, over `total` calls: the median
 * rate of 10 consecutive windows of `total / 10` completions, robust to a pause in one window.
 */
export function inFlightBatch(total: number, inFlight: number): Batch {
  const window = Math.max(1, Math.floor(total / 10));
  return async (call) => {
    const marks: number[] = [performance.now()];
    let started = 0;
    let done = 0;
    const worker = async () => {
      while (started < total) {
        started++;
        await call();
        if (++done % window === 0) marks.push(performance.now());
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
    const rates = marks.slice(1).map((mark, i) => (window * 1000) / (mark - marks[i]!));
    return median(rates);
  };
}

/** The mean time of `calls` sequential calls timed together, in ns: for calls of a microsecond or less. */
export function loopBatch(calls: number): Batch {
  return async (call) => {
    const begin = performance.now();
    for (let i = 0; i < calls; i++) await call();
    return ((performance.now() - begin) * 1e6) / calls;
  };
}
