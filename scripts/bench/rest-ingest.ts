import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadStream, restApiSource } from '@strata/connectors';
import { DeltaTable } from '@strata/delta';
import type { BenchContext } from './context.ts';
import type { BenchmarkResult } from './report.ts';
import { formatInt, formatMs } from './report.ts';
import { progress, sample, timed } from './timing.ts';

const SIMULATOR = fileURLToPath(new URL('../../examples/leisure-parks/src/simulator/main.ts', import.meta.url));
const STREAMS = ['bookings', 'customers', 'payments'] as const;

/** Starts the back-office simulator in its own process and returns its URL. */
async function startSimulator(scale: number): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SIMULATOR, '--port', '0', '--scale', String(scale)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /url\s+(http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1] as string);
    });
    child.on('exit', (code) => reject(new Error(`simulator exited (${code}) before it was ready: ${out}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

/**
 * REST API into bronze, end to end: the simulated back office (in its own process, no rate limit)
 * serves bookings, customers and payments, 1,000 records a page; Strata loads each stream into a
 * bronze Delta table (one commit per page, load columns, state). The baseline is the same paging
 * through the API without storing anything: how fast the simulator serves.
 */
export async function restIngest({ engine, config, dir }: BenchContext): Promise<BenchmarkResult> {
  const sim = await startSimulator(config.apiScale);
  try {
    const api = {
      base_url: `${sim.url}/v1`,
      auth: { type: 'api_key' as const, header: 'X-API-Key', value: 'lp_demo_key' },
      pagination: { type: 'cursor' as const, cursor_param: 'cursor', cursor_path: 'next_cursor', page_size: 1000, limit_param: 'limit' },
      streams: STREAMS.map((name) => ({ name, path: `/${name}`, records_path: 'data' })),
    };
    const fetchOnly = async () => {
      let n = 0;
      for (const stream of STREAMS) {
        let cursor: string | null = null;
        do {
          const url = `${sim.url}/v1/${stream}?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
          const body = (await (await fetch(url, { headers: { 'X-API-Key': 'lp_demo_key' } })).json()) as { data: unknown[]; next_cursor: string | null };
          n += body.data.length;
          cursor = body.next_cursor;
        } while (cursor);
      }
      return n;
    };
    let run = 0;
    const load = async () => {
      let n = 0;
      const at = join(dir, `bronze-${run++}`);
      for (const stream of STREAMS) {
        const table = await DeltaTable.open(join(at, stream), { engine });
        const quarantine = await DeltaTable.open(join(at, `${stream}__quarantine`), { engine });
        const r = await loadStream(restApiSource(api), stream, { engine, table: async () => table, quarantine: async () => quarantine }, { runId: `bench-${run}` });
        n += r.rowsWritten;
      }
      return n;
    };
    await fetchOnly();
    const runs = { strata: [] as number[], api: [] as number[] };
    let records = 0;
    let served = 0;
    for (let rep = 0; rep < config.repeats; rep++) {
      const s = await timed(load);
      records = s.value;
      runs.strata.push(s.ms);
      const a = await timed(fetchOnly);
      served = a.value;
      runs.api.push(a.ms);
      progress(`rest-ingest: ${formatInt(records)} records into bronze in ${formatMs(s.ms)}, API alone ${formatMs(a.ms)} (run ${rep + 1}/${config.repeats})`);
    }
    if (records !== served) throw new Error(`bronze holds ${records} records but the API served ${served}`);
    const strata = sample(runs.strata);
    const apiOnly = sample(runs.api);
    const rate = (ms: number) => Math.round((records / ms) * 1000);
    return {
      name: 'rest-ingest',
      parameters: { scale: config.apiScale, records },
      measurements: [
        {
          name: `REST API → bronze, ${formatInt(records)} records (3 streams)`,
          strata,
          value: `${formatInt(rate(strata.median))} records/s`,
          target: { text: '≥ 50,000 records/s', met: rate(strata.median) >= 50_000 },
        },
        { name: '  the simulator serving the same pages (no storage)', strata: apiOnly, value: `${formatInt(rate(apiOnly.median))} records/s` },
      ],
      notes: [
        `simulator at scale ${config.apiScale} in its own process, no rate limit, 1,000 records a page; Strata: loadStream(restApiSource) per stream into a local Delta table (pages committed 10 at a time, 10,000 records a commit with the state of the last page; load columns, schema inference, type-drift check); baseline: fetch + JSON.parse of the same pages; median of ${config.repeats} runs each`,
      ],
    };
  } finally {
    sim.stop();
  }
}
