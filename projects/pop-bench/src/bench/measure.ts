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

/** One row of `measureInRounds`. */
export interface RoundRow {
  name: string;
  fn: () => unknown;
}

/** What `measureInRounds` found: each row's median time per call, and ratios taken round by round. */
export interface RoundResults<R extends readonly RoundRow[] = readonly RoundRow[]> {
  /** One result per row, in the rows' order. */
  results: { -readonly [K in keyof R]: BenchResult };
  /** `ratio(a, b)`: the median over the rounds of row a's time divided by row b's in the same round. */
  ratio(a: BenchResult, b: BenchResult): number;
}

/**
 * Measures `rows` in `rounds` short rounds, one row after the other within each round, so that
 * load from other processes on a shared machine falls on every row alike. Each row's time is
 * its median over the rounds; a ratio is the median of the per-round ratios (a burst of load
 * during one round moves one sample, not the result).
 */
export async function measureInRounds<const R extends readonly RoundRow[]>(rows: R, rounds = 9, msPerRound = 200): Promise<RoundResults<R>> {
  // One warm-up round: JIT, caches, and the first-use work of every row.
  for (const row of rows) await measure(row.name, row.fn, msPerRound / 2);
  const perRow: BenchResult[][] = rows.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const [i, row] of rows.entries()) perRow[i]?.push(await measure(row.name, row.fn, msPerRound));
  }
  const results: BenchResult[] = perRow.map((runs, i) => {
    const usPerOp = median(runs.map((r) => r.usPerOp));
    return { name: rows[i]?.name ?? '', usPerOp, opsPerSec: 1_000_000 / usPerOp, samples: runs.reduce((sum, r) => sum + r.samples, 0) };
  });
  const runsOf = (result: BenchResult): BenchResult[] => perRow[results.indexOf(result)] ?? [];
  return {
    results: results as RoundResults<R>['results'],
    ratio: (a, b) => {
      const [runsA, runsB] = [runsOf(a), runsOf(b)];
      return Number(median(runsA.map((run, round) => run.usPerOp / (runsB[round]?.usPerOp ?? Number.NaN))).toFixed(2));
    },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/**
 * One line of the benchmark report: a group of results, the first being the baseline. With
 * `ratioOf` (from `measureInRounds`) each row's ratio is the median of its per-round ratios.
 */
export function report(group: string, results: BenchResult[], extra: Record<string, unknown> = {}, ratioOf?: RoundResults['ratio']): void {
  const baseline = results[0];
  const rows = results.map((r) => ({
    ...r,
    ratioToBaseline: !baseline ? 1 : ratioOf ? ratioOf(r, baseline) : r.usPerOp / baseline.usPerOp,
  }));
  console.log('BENCH ' + JSON.stringify({ group, baseline: baseline?.name, rows, ...extra }));
}

/** `a / b` rounded for the report. */
export function ratio(a: number, b: number): number {
  return Number((a / b).toFixed(2));
}
