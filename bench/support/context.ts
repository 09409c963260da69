import { AppRegistry } from './processes';

/** What every scenario shares in one run of the bench. */
export interface BenchContext {
  runId: string;
  databaseUrl: string;
  apps: AppRegistry;
  /** Partitions of every topic of the run: the apps' default, the same for figure and baseline. */
  partitions: number;
  /** Length of one measured load; each scenario measures its figure and its baseline this long. */
  seconds: number;
  /** How many times each decision scenario repeats its measurements (BENCH_REPEAT); medians are reported. */
  repeat: number;
  /** Topic names are unique per run, so runs never read each other's events. */
  topic(name: string): string;
  /** Environment shared by the apps of this run (brokers, database, partitions, topics). */
  appEnv(overrides: Record<string, string>): Record<string, string>;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Ports away from the apps' defaults, so the bench does not collide with a stack running beside it. */
export const ports = {
  ingest: 3201,
  projector: 3204,
  decision: 3202,
  decisionGrpc: 50161,
  /** The second replica of the replicas scenario. */
  decisionB: 3205,
  decisionBGrpc: 50163,
  bareHttp: 3211,
  limiterHttp: 3212,
  bareGrpc: 50162,
  bareGrpcReady: 3213,
} as const;

/** Baselines and figures alternate for this many rounds; each keeps its best round. */
export const ROUNDS = 2;

/**
 * Runs the measurements in turn, ROUNDS times, and keeps the highest rate of each. On a shared machine
 * a neighbour's burst slows whichever load runs at that moment; alternating and keeping the best
 * round compares the two loads at their least disturbed.
 */
export async function bestOfAlternating<K extends string, T>(
  loads: Record<K, () => Promise<T>>,
  rateOf: (result: T) => number,
): Promise<Record<K, T>> {
  const best = {} as Record<K, T>;
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const key of Object.keys(loads) as K[]) {
      const result = await loads[key]();
      if (best[key] === undefined || rateOf(result) > rateOf(best[key])) best[key] = result;
    }
  }
  return best;
}

/**
 * Runs the loads in turn (figure and baselines back to back) `times` times and returns every round's
 * results. A ratio is taken within one round, where figure and baseline met the same neighbours.
 */
export async function alternatingRounds<K extends string, T>(
  times: number,
  loads: Record<K, () => Promise<T>>,
): Promise<Record<K, T>[]> {
  const rounds: Record<K, T>[] = [];
  for (let round = 0; round < times; round += 1) {
    const results = {} as Record<K, T>;
    for (const key of Object.keys(loads) as K[]) results[key] = await loads[key]();
    rounds.push(results);
  }
  return rounds;
}

/** The median (the mean of the two middle values for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
