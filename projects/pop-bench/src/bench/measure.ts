/**
 * Measurement and reporting for the benchmark pages. Results are printed as `BENCH {json}`
 * console lines that scripts/bench-browser.mjs collects. Report ratios against a baseline
 * measured in the same run: absolute timings on shared machines are noisy.
 */
export interface BenchResult {
  name: string;
  /** Operations per second. */
  opsPerSec: number;
  /** Mean microseconds per operation. */
  usPerOp: number;
  samples: number;
}

/**
 * Runs `fn` repeatedly for about `ms` milliseconds after a short warm-up and returns its
 * throughput. `fn` may be async; calls are sequential.
 */
export async function measure(name: string, fn: () => unknown, ms = 700): Promise<BenchResult> {
  const warmUpEnd = performance.now() + ms / 4;
  while (performance.now() < warmUpEnd) await fn();
  let samples = 0;
  const start = performance.now();
  const end = start + ms;
  let now = start;
  while (now < end) {
    // Batches keep the clock reads out of the measurement for fast operations.
    for (let i = 0; i < 16; i++) await fn();
    samples += 16;
    now = performance.now();
  }
  const elapsedMs = now - start;
  return { name, opsPerSec: (samples * 1000) / elapsedMs, usPerOp: (elapsedMs * 1000) / samples, samples };
}

/** One line of the benchmark report: a group of results, the first being the baseline. */
export function report(group: string, results: BenchResult[], extra: Record<string, unknown> = {}): void {
  const baseline = results[0];
  const rows = results.map((r) => ({
    ...r,
    ratioToBaseline: baseline ? r.usPerOp / baseline.usPerOp : 1,
  }));
  console.log('BENCH ' + JSON.stringify({ group, baseline: baseline?.name, rows, ...extra }));
}

/** `a / b` rounded for the report. */
export function ratio(a: number, b: number): number {
  return Number((a / b).toFixed(2));
}
