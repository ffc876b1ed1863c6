import { parseArgs } from 'node:util';

export const BENCHMARKS = ['write-scan', 'snapshot-load', 'skipping', 'orchestration', 'csv-ingest', 'rest-ingest', 'quality-checks'] as const;
export type BenchmarkName = (typeof BENCHMARKS)[number];

/** Sizes and settings of one benchmark run; the defaults are the full-size run. */
export interface BenchConfig {
  readonly benchmarks: readonly BenchmarkName[];
  /** write-scan: total rows appended. */
  readonly rows: number;
  /** write-scan: number of commits (and baseline files) the rows are split into. */
  readonly batches: number;
  /** Repetitions of each timed measurement (the median is reported). */
  readonly repeats: number;
  /** snapshot-load: commits in the table. */
  readonly commits: number;
  /** snapshot-load: cold snapshot loads timed. */
  readonly loads: number;
  /** skipping: appends, one day each. */
  readonly days: number;
  /** skipping: rows per day. */
  readonly rowsPerDay: number;
  /** orchestration: no-op TypeScript assets materialized in one run. */
  readonly assets: number;
  /** orchestration: assets of the projects loaded and planned (SQL models, then TypeScript assets). */
  readonly planAssets: number;
  /** orchestration: rows of the bronze table the silver SQL model aggregates. */
  readonly aggRows: number;
  /** csv-ingest: rows of the CSV files, in all. */
  readonly csvRows: number;
  /** csv-ingest: CSV files the rows are split into. */
  readonly csvFiles: number;
  /** rest-ingest: scale of the simulated back office (1: about 400,000 bookings, customers and payments). */
  readonly apiScale: number;
  /** quality-checks: rows of the checked table. */
  readonly checkRows: number;
  readonly threads?: number;
  readonly memoryLimit?: string;
}

export const USAGE = `usage: npm run bench -- [benchmark] [options]

benchmarks: ${BENCHMARKS.join(', ')} (default: all)

options (defaults are the full-size run):
  --rows N           write-scan: rows appended in total      (10000000)
  --batches N        write-scan: commits / baseline files     (10)
  --repeats N        timed repetitions, median reported       (3; at least 3 is recommended)
  --commits N        snapshot-load: commits in the table      (1000)
  --loads N          snapshot-load: cold loads timed          (20)
  --days N           skipping: appends of one day each        (120)
  --rows-per-day N   skipping: rows per day                   (20000)
  --assets N         orchestration: no-op assets in one run   (500)
  --plan-assets N    orchestration: assets loaded and planned (2000)
  --agg-rows N       orchestration: rows aggregated by SQL    (5000000)
  --csv-rows N       csv-ingest: rows of the CSV files        (2000000)
  --csv-files N      csv-ingest: CSV files                    (10)
  --api-scale N      rest-ingest: simulator scale             (1)
  --check-rows N     quality-checks: rows checked             (10000000)
  --threads N        DuckDB threads (default: DuckDB's choice, the core count)
  --memory-limit S   DuckDB memory limit, e.g. 8GB (default: DuckDB's)
  -h, --help         this text

Numbers may be written 1_000_000 or 1e6.`;

/** Parses the command line; returns undefined when help was asked for. */
export function parseConfig(argv: readonly string[]): BenchConfig | undefined {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      rows: { type: 'string' },
      batches: { type: 'string' },
      repeats: { type: 'string' },
      commits: { type: 'string' },
      loads: { type: 'string' },
      days: { type: 'string' },
      'rows-per-day': { type: 'string' },
      assets: { type: 'string' },
      'plan-assets': { type: 'string' },
      'agg-rows': { type: 'string' },
      'csv-rows': { type: 'string' },
      'csv-files': { type: 'string' },
      'api-scale': { type: 'string' },
      'check-rows': { type: 'string' },
      threads: { type: 'string' },
      'memory-limit': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return undefined;
  const benchmarks = positionals.length === 0 ? [...BENCHMARKS] : positionals.map(benchmarkName);
  const config: BenchConfig = {
    benchmarks,
    rows: count('rows', values.rows, 10_000_000),
    batches: count('batches', values.batches, 10),
    repeats: count('repeats', values.repeats, 3),
    commits: count('commits', values.commits, 1000),
    loads: count('loads', values.loads, 20),
    days: count('days', values.days, 120),
    rowsPerDay: count('rows-per-day', values['rows-per-day'], 20_000),
    assets: count('assets', values.assets, 500),
    planAssets: count('plan-assets', values['plan-assets'], 2000),
    aggRows: count('agg-rows', values['agg-rows'], 5_000_000),
    csvRows: count('csv-rows', values['csv-rows'], 2_000_000),
    csvFiles: count('csv-files', values['csv-files'], 10),
    apiScale: Number(values['api-scale'] ?? 1),
    checkRows: count('check-rows', values['check-rows'], 10_000_000),
    threads: values.threads === undefined ? undefined : count('threads', values.threads, 0),
    memoryLimit: values['memory-limit'],
  };
  if (config.batches > config.rows) throw new Error(`--batches (${config.batches}) cannot exceed --rows (${config.rows})`);
  if (config.csvFiles > config.csvRows) throw new Error(`--csv-files (${config.csvFiles}) cannot exceed --csv-rows (${config.csvRows})`);
  return config;
}

function benchmarkName(name: string): BenchmarkName {
  const found = BENCHMARKS.find((b) => b === name);
  if (!found) throw new Error(`unknown benchmark "${name}"; choose from ${BENCHMARKS.join(', ')}`);
  return found;
}

function count(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw.replaceAll('_', ''));
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--${flag} must be a positive integer, got "${raw}"`);
  return n;
}
