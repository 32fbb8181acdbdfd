/** Small statistics and formatting helpers shared by the scenarios. */

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** The p-th percentile (0–100) of `values`, interpolated between neighbours; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p / 100) * (sorted.length - 1);
  const low = Math.floor(at);
  const high = Math.min(sorted.length - 1, low + 1);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}

export function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** `value` with `digits` decimals and thousands separators. */
export function fmt(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** A ratio as `1.03×`. */
export function times(ratio: number, digits = 2): string {
  return Number.isFinite(ratio) ? `${ratio.toFixed(digits)}×` : 'n/a';
}

export const kib = (bytes: number, digits = 1) => `${fmt(bytes / 1024, digits)} KB`;
export const mib = (bytes: number, digits = 2) => `${fmt(bytes / 1024 / 1024, digits)} MB`;

/** Appends `value` to the list under `name`, creating it. */
export function append(series: Record<string, number[]>, name: string, value: number): void {
  const list = series[name];
  if (list === undefined) series[name] = [value];
  else list.push(value);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Rejects with a clear message when `promise` has not settled within `ms`. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
