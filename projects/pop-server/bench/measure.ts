/**
 * Benchmark helpers for the Node benchmarks in this folder, mirroring pop-lib's
 * `testing/bench.ts`: `npm run bench` runs each `*.bench.ts` with `node` and collects the
 * `BENCH {json}` lines. Report ratios against a baseline measured in the same run: absolute
 * timings on shared machines are noisy.
 */
export interface BenchResult {
  name: string;
  /** Operations per second. */
  opsPerSec: number;
  /** Mean microseconds per operation (wall clock divided by operations). */
  usPerOp: number;
  samples: number;
}

export interface MeasureOptions {
  /** Measured time after a warm-up of a quarter of it (default 700 ms). */
  ms?: number;
  /**
   * Most calls of `fn`, warm-up included: for operations that consume a pre-built pool of
   * inputs (single-use nonces). The measurement ends early, with fewer samples, if reached.
   */
  maxCalls?: number;
}

/** Runs `fn` sequentially for about `ms` milliseconds after a short warm-up and returns its throughput. */
export async function measure(name: string, fn: () => unknown, options: MeasureOptions = {}): Promise<BenchResult> {
  const ms = options.ms ?? 700;
  const maxCalls = options.maxCalls ?? Infinity;
  let calls = 0;
  // The warm-up may use at most a fifth of a bounded pool.
  const warmUpEnd = performance.now() + ms / 4;
  while (performance.now() < warmUpEnd && calls < maxCalls / 5) {
    await fn();
    calls++;
  }
  let samples = 0;
  const start = performance.now();
  const end = start + ms;
  let now = start;
  while (now < end && calls + 16 <= maxCalls) {
    // Batches keep the clock reads out of the measurement for fast operations.
    for (let i = 0; i < 16; i++) await fn();
    calls += 16;
    samples += 16;
    now = performance.now();
  }
  if (samples === 0) throw new Error(`${name}: no samples (pool of ${maxCalls} too small)`);
  return result(name, samples, now - start);
}

/**
 * Keeps `concurrency` calls of `fn` in flight for about `ms` milliseconds (after a warm-up) and
 * returns the total throughput: for I/O-bound operations such as a Redis round trip.
 */
export async function measureConcurrent(name: string, fn: () => Promise<unknown>, concurrency: number, ms = 700): Promise<BenchResult> {
  const run = async (until: number): Promise<number> => {
    let done = 0;
    const worker = async (): Promise<void> => {
      while (performance.now() < until) {
        await fn();
        done++;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return done;
  };
  await run(performance.now() + ms / 4);
  const start = performance.now();
  const samples = await run(start + ms);
  return result(`${name}`, samples, performance.now() - start);
}

export interface RoundRow {
  name: string;
  fn: () => unknown;
  /** Most calls of `fn` over all rounds (single-use inputs); the rows' pools must be sized for it. */
  maxCalls?: number;
}

/**
 * Measures `rows` in `rounds` short rounds, in turn, so that load from other jobs falls on all
 * rows alike, and reports each row's median time per call; each row's `ratioToBaseline` is the
 * median, over the rounds, of its ratio to the first row in the same round.
 */
export async function measureInRounds(rows: readonly RoundRow[], rounds = 7, msPerRound = 250): Promise<{ results: BenchResult[]; ratios: number[] }> {
  const perRow: BenchResult[][] = rows.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const [i, row] of rows.entries()) {
      const maxCalls = row.maxCalls === undefined ? Infinity : Math.floor(row.maxCalls / rounds);
      perRow[i]?.push(await measure(row.name, row.fn, { ms: msPerRound, maxCalls }));
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
  const results = perRow.map((runs, i) => {
    const usPerOp = median(runs.map((r) => r.usPerOp));
    return { name: rows[i]?.name ?? '', usPerOp, opsPerSec: 1_000_000 / usPerOp, samples: runs.reduce((sum, r) => sum + r.samples, 0) };
  });
  const ratios = perRow.map((runs) => median(runs.map((r, round) => r.usPerOp / (perRow[0]?.[round]?.usPerOp ?? Number.NaN))));
  return { results, ratios };
}

function result(name: string, samples: number, elapsedMs: number): BenchResult {
  return { name, opsPerSec: (samples * 1000) / elapsedMs, usPerOp: (elapsedMs * 1000) / samples, samples };
}

/**
 * One `BENCH` line: a group of results, the first being the baseline. `ratios` (from
 * `measureInRounds`) replace the plain ratios of the medians when given.
 */
export function report(group: string, results: BenchResult[], extra: Record<string, unknown> = {}, ratios?: readonly number[]): void {
  const baseline = results[0];
  const rows = results.map((r, i) => ({
    ...r,
    ratioToBaseline: ratios?.[i] ?? (baseline ? r.usPerOp / baseline.usPerOp : 1),
  }));
  console.log('BENCH ' + JSON.stringify({ group, baseline: baseline?.name, rows, ...extra }));
}
