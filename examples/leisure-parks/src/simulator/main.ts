/**
 * Runs the back-office simulator as a server until Ctrl-C:
 *   node --import tsx examples/leisure-parks/src/simulator/main.ts --port 4010 --seed 42 [--now …] [--scale …]
 */
import { parseArgs } from 'node:util';
import type { FaultPatch } from './faults.ts';
import { startSimulatorServer } from './server.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4010' },
    host: { type: 'string', default: '127.0.0.1' },
    seed: { type: 'string', default: '42' },
    start: { type: 'string' },
    now: { type: 'string' },
    scale: { type: 'string' },
    'api-key': { type: 'string' },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
    'token-ttl': { type: 'string' },
    faults: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(`usage: main.ts [--port 4010] [--host 127.0.0.1] [--seed 42] [--start 2022-01-01] [--now 2025-06-30T22:00:00Z]
               [--scale 1] [--api-key K] [--client-id ID] [--client-secret S] [--token-ttl SECONDS]
               [--faults '{"throttle":{"rate":0.05}}']`);
  process.exit(0);
}

function numberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || Number.isNaN(n)) throw new Error(`--${name} must be a number, got "${value}"`);
  return n;
}

function parseFaults(value: string | undefined): FaultPatch | undefined {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value) as FaultPatch;
  } catch (e) {
    throw new Error(`--faults must be JSON, e.g. '{"throttle":{"rate":0.05}}': ${(e as Error).message}`);
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  console.log('generating the back-office history…');
  const server = await startSimulatorServer({
    port: numberOption('port', values.port),
    host: values.host,
    seed: numberOption('seed', values.seed),
    start: values.start,
    now: values.now,
    scale: numberOption('scale', values.scale),
    apiKey: values['api-key'],
    clientId: values['client-id'],
    clientSecret: values['client-secret'],
    tokenTtlSeconds: numberOption('token-ttl', values['token-ttl']),
    faults: parseFaults(values.faults),
  });

  const counts = server.sim.counts();
  console.log(`leisure-parks back office simulator ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`  url            ${server.url}`);
  console.log(`  simulated now  ${server.sim.now}`);
  console.log(`  records        ${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(`  api key        ${server.apiKey}   (header X-API-Key or ?api_key=)`);
  console.log(`  oauth client   ${server.clientId} / ${server.clientSecret}   (POST ${server.url}/oauth/token)`);
  console.log(`  try            curl -H 'X-API-Key: ${server.apiKey}' '${server.url}/v1/bookings?limit=2'`);
  console.log('press Ctrl-C to stop');

  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
