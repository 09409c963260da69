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
  bareHttp: 3211,
  limiterHttp: 3212,
  bareGrpc: 50162,
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
