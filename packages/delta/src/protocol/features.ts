import type { Metadata, Protocol } from '../actions/index.ts';
import { DeltaError } from '../errors.ts';
import type { StructType } from '../schema/index.ts';
import { someField } from '../schema/index.ts';

/** Reader features this implementation reads correctly. */
export const SUPPORTED_READER_FEATURES = new Set([
  'columnMapping',
  'deletionVectors',
  'timestampNtz',
  'v2Checkpoint',
  'vacuumProtocolCheck',
]);

/** Writer features this implementation honours when writing. */
export const SUPPORTED_WRITER_FEATURES = new Set([
  'appendOnly',
  'invariants',
  'checkConstraints',
  'columnMapping',
  'deletionVectors',
  'timestampNtz',
  'v2Checkpoint',
  'vacuumProtocolCheck',
]);

const MAX_READER_VERSION = 3;
const MAX_WRITER_VERSION = 7;

function validate(protocol: Protocol | undefined, where: string): Protocol {
  if (!protocol) throw new DeltaError('DELTA_STATE_RECONSTRUCTION', `${where}: the table has no protocol action`);
  const { minReaderVersion: r, minWriterVersion: w } = protocol;
  if (!Number.isInteger(r) || r < 1 || !Number.isInteger(w) || w < 1) {
    throw new DeltaError('DELTA_INVALID_PROTOCOL', `${where}: invalid protocol versions reader=${r} writer=${w}`);
  }
  return protocol;
}

/** Fails unless this implementation can read a table with this protocol; names any unsupported feature. */
export function assertReadable(protocol: Protocol | undefined, where: string): void {
  const p = validate(protocol, where);
  if (p.minReaderVersion > MAX_READER_VERSION) {
    throw new DeltaError(
      'DELTA_INVALID_PROTOCOL',
      `${where}: table requires reader version ${p.minReaderVersion}; this reader supports up to ${MAX_READER_VERSION}`,
    );
  }
  if (p.minReaderVersion === 3) {
    for (const f of p.readerFeatures ?? []) {
      if (!SUPPORTED_READER_FEATURES.has(f)) {
        throw new DeltaError('DELTA_UNSUPPORTED_FEATURE', `${where}: unsupported reader feature "${f}"`);
      }
    }
  }
}

/**
 * Fails unless this implementation can write to a table with this protocol and metadata. Legacy
 * writer versions imply features; a feature counts only when the metadata makes it active.
 */
export function assertWritable(protocol: Protocol, metadata: Metadata, schema: StructType, where: string): void {
  assertReadable(protocol, where);
  const w = protocol.minWriterVersion;
  if (w > MAX_WRITER_VERSION) {
    throw new DeltaError(
      'DELTA_INVALID_PROTOCOL',
      `${where}: table requires writer version ${w}; this writer supports up to ${MAX_WRITER_VERSION}`,
    );
  }
  if (w === 7) {
    for (const f of protocol.writerFeatures ?? []) {
      if (!SUPPORTED_WRITER_FEATURES.has(f)) {
        throw new DeltaError('DELTA_UNSUPPORTED_FEATURE', `${where}: unsupported writer feature "${f}"`);
      }
    }
    return;
  }
  const unsupported: string[] = [];
  if (w >= 4 && metadata.configuration['delta.enableChangeDataFeed'] === 'true') unsupported.push('changeDataFeed');
  if (w >= 4 && someField(schema, (f) => 'delta.generationExpression' in f.metadata)) unsupported.push('generatedColumns');
  if (w >= 6 && someField(schema, (f) => 'delta.identity.start' in f.metadata)) unsupported.push('identityColumns');
  if (unsupported.length > 0) {
    throw new DeltaError('DELTA_UNSUPPORTED_FEATURE', `${where}: unsupported writer feature "${unsupported[0]}"`);
  }
}

/** True when a table feature is enabled by the protocol, by feature list or by legacy version. */
export function hasFeature(protocol: Protocol, feature: string): boolean {
  if (protocol.writerFeatures?.includes(feature) || protocol.readerFeatures?.includes(feature)) return true;
  const legacy: Record<string, number> = { appendOnly: 2, invariants: 2, checkConstraints: 3, columnMapping: 5 };
  const min = legacy[feature];
  return min !== undefined && protocol.minWriterVersion < 7 && protocol.minWriterVersion >= min;
}

/** The smallest protocol that a new table with this schema and configuration needs. */
export function protocolForNewTable(schema: StructType, configuration: Readonly<Record<string, string>>): Protocol {
  // Also inside arrays and maps, whose element types are not fields.
  const ntz = someField(schema, (f) => JSON.stringify(f.type).includes('"timestamp_ntz"'));
  const mapping = (configuration['delta.columnMapping.mode'] ?? 'none') !== 'none';
  const constraints = Object.keys(configuration).some((k) => k.startsWith('delta.constraints.'));
  const invariants = someField(schema, (f) => 'delta.invariants' in f.metadata);
  if (ntz) {
    const readerFeatures = ['timestampNtz', ...(mapping ? ['columnMapping'] : [])];
    const writerFeatures = [
      ...readerFeatures,
      ...(invariants ? ['invariants'] : []),
      ...(constraints ? ['checkConstraints'] : []),
      ...(configuration['delta.appendOnly'] === 'true' ? ['appendOnly'] : []),
    ];
    return { minReaderVersion: 3, minWriterVersion: 7, readerFeatures, writerFeatures };
  }
  if (mapping) return { minReaderVersion: 2, minWriterVersion: 5 };
  if (constraints) return { minReaderVersion: 1, minWriterVersion: 3 };
  return { minReaderVersion: 1, minWriterVersion: 2 };
}
