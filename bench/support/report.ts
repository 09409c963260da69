import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { median } from './context';

export interface Row {
  measure: string;
  figure: string;
  baseline?: string;
  /** Figure over baseline (rates, or latencies), shown with two decimals. */
  ratio?: number;
  target?: string;
  met?: boolean;
}

export interface ScenarioResult {
  title: string;
  /** What was run, so a reader can judge the figures without reading the code. */
  method: string;
  rows: Row[];
  notes: string[];
}

export const rate = (perSecond: number, unit: string) =>
  `${Math.round(perSecond).toLocaleString('en-US')} ${unit}/s`;
export const ms = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
export const mib = (value: number) => `${Math.round(value)} MiB`;

/** The p-th percentile (nearest rank) of values sorted ascending. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function sh(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8' }).trim();
}

function machine(): string[] {
  const model =
    /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model;
  const memory = sh('free', ['-h'])
    .split('\n')
    .find((line) => line.startsWith('Mem:'))
    ?.split(/\s+/)[1];
  return [
    `- Machine: ${sh('nproc', [])} cores (${model ?? 'unknown CPU'}), ${memory ?? '?'} RAM, shared with other work`,
    `- Node ${process.version}, PostgreSQL and Kafka (single KRaft node) on 127.0.0.1`,
  ];
}

export function renderReport(
  results: ScenarioResult[],
  startedAt: Date,
  elapsedSeconds: number,
  loadAtStart: number[],
  command: string,
): string {
  const commit = sh('git', ['rev-parse', '--short', 'HEAD']);
  const dirty =
    sh('git', ['status', '--porcelain', '--', 'apps', 'libs']) !== ''
      ? ' (apps/libs with uncommitted changes)'
      : '';
  const lines = [
    '# Benchmark results',
    '',
    'Produced by `npm run bench` (bench/run.sh); every figure is measured back to back with its baseline in',
    'the same run, because the machine is shared and noisy: the ratios are the figures to compare between',
    'runs, not the absolute rates.',
    '',
    `- Date: ${startedAt.toISOString()}`,
    `- Commit: ${commit}${dirty}`,
    `- Command: \`${command}\``,
    ...machine(),
    `- Whole run: ${Math.round(elapsedSeconds)} s; 1-minute load average ${loadAtStart[0].toFixed(1)} at ` +
      `the start, ${loadavg()[0].toFixed(1)} at the end (on ${cpus().length} cores; the bench alone keeps ` +
      `about 2 busy)`,
    '',
  ];
  const summary: string[] = [
    '## Targets',
    '',
    '| scenario | measure | figure | baseline | ratio | target | met |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const result of results) {
    for (const row of result.rows.filter((r) => r.target !== undefined)) {
      summary.push(
        `| ${result.title} | ${row.measure} | ${row.figure} | ${row.baseline ?? ''} | ${ratioText(row)} | ` +
          `${row.target} | ${verdict(row.met)} |`,
      );
    }
  }
  lines.push(...summary, '');
  for (const result of results) {
    lines.push(`## ${result.title}`, '', result.method, '');
    lines.push('| measure | figure | baseline | ratio | target | met |', '|---|---|---|---|---|---|');
    for (const row of result.rows) {
      lines.push(
        `| ${row.measure} | ${row.figure} | ${row.baseline ?? ''} | ${ratioText(row)} | ${row.target ?? ''} | ` +
          `${row.target === undefined ? '' : verdict(row.met)} |`,
      );
    }
    if (result.notes.length > 0) lines.push('', ...result.notes.map((note) => `- ${note}`));
    lines.push('');
  }
  return lines.join('\n');
}

const ratioText = (row: Row) => (row.ratio === undefined ? '' : row.ratio.toFixed(2));

function verdict(met: boolean | undefined): string {
  return met === undefined ? 'n/a' : met ? 'yes' : '**no**';
}

/** A figure and its baseline over the rounds of one scenario: medians, and the ratio of each round. */
export interface Compared {
  figure: number;
  baseline: number;
  /** Median of the per-round ratios (figure over baseline of the same round). */
  ratio: number;
  ratios: number[];
}

export function compare(rounds: { figure: number; baseline: number }[]): Compared {
  const ratios = rounds.map((r) => r.figure / r.baseline);
  return {
    figure: median(rounds.map((r) => r.figure)),
    baseline: median(rounds.map((r) => r.baseline)),
    ratio: median(ratios),
    ratios,
  };
}

/** The per-round ratios, for a note under a table of medians. */
export const roundsNote = (label: string, compared: Compared) =>
  `${label}, ratio per round: ${compared.ratios.map((r) => r.toFixed(2)).join(', ')}.`;
