import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { DeltaTable, typeToString } from '@strata/delta';
import type { SnapshotOptions } from '@strata/delta';
import { CliError } from '../errors.ts';
import { inputQuery } from '../input.ts';

type Out = (line: string) => void;

function intArg(name: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a whole number ≥ 0`);
    return n;
  };
}

function numArg(name: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${name} must be a number ≥ 0`);
    return n;
  };
}

async function withTable<T>(location: string, fn: (t: DeltaTable) => Promise<T>): Promise<T> {
  const table = await DeltaTable.open(location);
  try {
    return await fn(table);
  } finally {
    await table.close();
  }
}

function versionOptions(o: { version?: number; timestamp?: string }): SnapshotOptions {
  if (o.version !== undefined && o.timestamp !== undefined) throw new CliError('CLI_USAGE', 'give --version or --timestamp, not both');
  if (o.timestamp !== undefined && Number.isNaN(Date.parse(o.timestamp))) {
    throw new CliError('CLI_USAGE', `--timestamp ${JSON.stringify(o.timestamp)} is not an ISO 8601 timestamp`);
  }
  return o.version !== undefined ? { version: o.version } : o.timestamp !== undefined ? { timestamp: o.timestamp } : {};
}

/** `strata table …`: Delta table commands on a local path or an s3:// URI. */
export function registerTableCommands(program: Command, out: Out): void {
  const table = program.command('table').description('Read, write and maintain Delta tables (a local path or s3://bucket/prefix)');

  table
    .command('export <table> <out>')
    .description('Write the rows of a version (latest by default) to one Parquet file, partition columns included')
    .option('--version <n>', 'table version', intArg('--version'))
    .option('--timestamp <iso>', 'latest version committed at or before this time')
    .action(async (location: string, file: string, o: { version?: number; timestamp?: string }) => {
      const r = await withTable(location, (t) => t.exportParquet(file, versionOptions(o)));
      out(`exported ${r.rows} rows of version ${r.version} to ${file}`);
    });

  table
    .command('write <table>')
    .description('Write rows from a Parquet, CSV or JSON file (append and overwrite create the table if needed)')
    .requiredOption('--input <file>', 'input file (.parquet, .csv, .json, .ndjson)')
    .option('--mode <mode>', 'append | overwrite | merge', 'append')
    .option('--key <cols>', 'merge key columns, comma-separated')
    .option('--partition-by <cols>', 'partition columns when creating the table, comma-separated')
    .option('--where <predicate>', 'with overwrite: replace only rows matching this SQL predicate')
    .option('--evolve-schema', 'add input columns missing from the table')
    .action(async (location: string, o: { input: string; mode: string; key?: string; partitionBy?: string; where?: string; evolveSchema?: boolean }) => {
      const source = inputQuery(o.input);
      const list = (s?: string) => s?.split(',').map((x) => x.trim()).filter(Boolean);
      await withTable(location, async (t) => {
        if (o.mode === 'merge') {
          const keys = list(o.key);
          if (!keys?.length) throw new CliError('CLI_USAGE', '--mode merge needs --key c1[,c2]');
          if (o.partitionBy || o.where) throw new CliError('CLI_USAGE', '--partition-by and --where do not apply to --mode merge');
          const r = await t.merge(source, { keys, evolveSchema: o.evolveSchema });
          out(`merged into version ${r.version}: ${r.rowsInserted} inserted, ${r.rowsUpdated} updated, ${r.rowsDeleted} deleted`);
          return;
        }
        if (o.mode !== 'append' && o.mode !== 'overwrite') throw new CliError('CLI_USAGE', `--mode must be append, overwrite or merge, not ${o.mode}`);
        if (o.key) throw new CliError('CLI_USAGE', '--key needs --mode merge');
        if (o.where && o.mode !== 'overwrite') throw new CliError('CLI_USAGE', '--where needs --mode overwrite');
        const r = await t.write(source, { mode: o.mode, partitionBy: list(o.partitionBy), replaceWhere: o.where, evolveSchema: o.evolveSchema });
        out(`wrote ${r.rowsWritten} rows in ${r.filesAdded} files as version ${r.version}`);
      });
    });

  table
    .command('delete <table>')
    .description('Delete the rows matching an SQL predicate')
    .requiredOption('--where <predicate>', 'SQL predicate, e.g. "id < 10"')
    .action(async (location: string, o: { where: string }) => {
      const r = await withTable(location, (t) => t.delete(o.where));
      out(r.committed ? `deleted ${r.rowsAffected} rows as version ${r.version}` : 'no row matched; nothing committed');
    });

  table
    .command('history <table>')
    .description('List the commits, newest first')
    .option('--json', 'print JSON')
    .option('--limit <n>', 'only the newest n commits', intArg('--limit'))
    .action(async (location: string, o: { json?: boolean; limit?: number }) => {
      const h = await withTable(location, (t) => t.history(o.limit));
      if (o.json) return out(JSON.stringify(h, null, 2));
      for (const e of h) {
        out(`${String(e.version).padStart(6)}  ${new Date(e.timestamp).toISOString()}  ${(e.operation ?? '').padEnd(24)} ${JSON.stringify(e.operationMetrics ?? {})}`);
      }
    });

  table
    .command('describe <table>')
    .description('Show version, schema, partitioning, protocol and size')
    .option('--json', 'print JSON')
    .option('--version <n>', 'table version', intArg('--version'))
    .action(async (location: string, o: { json?: boolean; version?: number }) => {
      const d = await withTable(location, (t) => t.describe(versionOptions(o)));
      if (o.json) return out(JSON.stringify(d, null, 2));
      out(`location:   ${d.location}`);
      out(`version:    ${d.version}`);
      out(`files:      ${d.numFiles} (${d.sizeInBytes} bytes)`);
      out(`rows:       ${d.numRecords ?? 'unknown'}`);
      out(`partitions: ${d.partitionColumns.join(', ') || '(none)'}`);
      out(`protocol:   reader ${d.protocol.minReaderVersion}, writer ${d.protocol.minWriterVersion}`);
      out('schema:');
      for (const f of d.schema.fields) out(`  ${f.name}: ${typeToString(f.type)}${f.nullable ? '' : ' NOT NULL'}`);
    });

  table
    .command('vacuum <table>')
    .description('Delete unreferenced files older than the retention period')
    .option('--retain-hours <h>', 'retention in hours (default: the table setting, 7 days)', numArg('--retain-hours'))
    .option('--dry-run', 'only list the files that would be deleted')
    .action(async (location: string, o: { retainHours?: number; dryRun?: boolean }) => {
      const r = await withTable(location, (t) => t.vacuum({ retentionHours: o.retainHours, dryRun: o.dryRun }));
      for (const f of r.files) out(f);
      out(`${r.dryRun ? 'would delete' : 'deleted'} ${r.files.length} files`);
    });

  table
    .command('optimize <table>')
    .description('Compact small files into larger ones (no data change)')
    .option('--target-size <bytes>', 'target file size in bytes', intArg('--target-size'))
    .action(async (location: string, o: { targetSize?: number }) => {
      const r = await withTable(location, (t) => t.optimize({ targetSize: o.targetSize }));
      out(r.committed ? `compacted ${r.filesRemoved} files into ${r.filesAdded} as version ${r.version}` : 'nothing to compact');
    });

  table
    .command('checkpoint <table>')
    .description('Write a checkpoint of the latest version')
    .action(async (location: string) => {
      const r = await withTable(location, (t) => t.checkpoint());
      out(`wrote checkpoint for version ${r.version}`);
    });
}
