import type { Add, DomainMetadata, Metadata, Protocol, Remove, Txn } from '../actions/index.ts';
import type { ColumnMappingMode, StructType } from '../schema/index.ts';
import { columnMappingMode, parseSchema } from '../schema/index.ts';
import type { TableState } from '../log-replay/replay.ts';
import type { LogSegment } from '../log-segment/log-segment.ts';

/** An immutable view of a table at one version. */
export class Snapshot {
  readonly schema: StructType;
  readonly columnMapping: ColumnMappingMode;
  readonly files: readonly Add[];
  private readonly state: TableState;

  constructor(
    /** Root URI of the table. */
    readonly tableRoot: string,
    readonly version: number,
    /** Commit timestamp (ms): in-commit timestamp when present, else the commit file's modification time. */
    readonly timestamp: number,
    state: TableState,
    readonly segment: LogSegment,
  ) {
    this.state = state;
    this.schema = parseSchema(this.metadata.schemaString);
    this.columnMapping = columnMappingMode(this.metadata);
    this.files = [...state.files.values()];
  }

  get protocol(): Protocol {
    return this.state.protocol as Protocol;
  }

  get metadata(): Metadata {
    return this.state.metadata as Metadata;
  }

  get partitionColumns(): readonly string[] {
    return this.metadata.partitionColumns;
  }

  get configuration(): Readonly<Record<string, string>> {
    return this.metadata.configuration;
  }

  get tombstones(): readonly Remove[] {
    return [...this.state.tombstones.values()];
  }

  /** The last version recorded for an application id by an idempotent write (`txn`), if any. */
  txnVersion(appId: string): number | undefined {
    return this.state.txns.get(appId)?.version;
  }

  get txns(): ReadonlyMap<string, Txn> {
    return this.state.txns;
  }

  get domains(): ReadonlyMap<string, DomainMetadata> {
    return this.state.domains;
  }

  /** Number of rows in the table, from file stats, minus deletion-vector cardinalities; undefined if a file has no stats. */
  get numRecords(): number | undefined {
    let n = 0;
    for (const f of this.files) {
      const records = recordCount(f);
      if (records === undefined) return undefined;
      n += records - (f.deletionVector?.cardinality ?? 0);
    }
    return n;
  }

  get sizeInBytes(): number {
    return this.files.reduce((s, f) => s + f.size, 0);
  }

  /** The replay state, for building the next snapshot from new commits. */
  internalState(): TableState {
    return this.state;
  }
}

function recordCount(add: Add): number | undefined {
  if (!add.stats) return undefined;
  try {
    const n = (JSON.parse(add.stats) as { numRecords?: unknown }).numRecords;
    return typeof n === 'number' ? n : undefined;
  } catch {
    return undefined;
  }
}
