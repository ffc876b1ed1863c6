import type { DeletionVectorDescriptor } from '../deletion-vectors/index.ts';

/** The Delta log actions, as they appear in commit JSON (field names follow the protocol). */
export interface Protocol {
  readonly minReaderVersion: number;
  readonly minWriterVersion: number;
  readonly readerFeatures?: readonly string[];
  readonly writerFeatures?: readonly string[];
}

export interface Format {
  readonly provider: string;
  readonly options?: Readonly<Record<string, string>>;
}

export interface Metadata {
  readonly id: string;
  readonly name?: string | null;
  readonly description?: string | null;
  readonly format: Format;
  readonly schemaString: string;
  readonly partitionColumns: readonly string[];
  readonly configuration: Readonly<Record<string, string>>;
  readonly createdTime?: number | null;
}

export type PartitionValues = Readonly<Record<string, string | null>>;

export interface Add {
  /** Relative (URI-encoded) path from the table root, or an absolute URI. */
  readonly path: string;
  readonly partitionValues: PartitionValues;
  readonly size: number;
  readonly modificationTime: number;
  readonly dataChange: boolean;
  readonly stats?: string | null;
  readonly tags?: Readonly<Record<string, string>> | null;
  readonly deletionVector?: DeletionVectorDescriptor | null;
  readonly baseRowId?: number | null;
  readonly defaultRowCommitVersion?: number | null;
  readonly clusteringProvider?: string | null;
}

export interface Remove {
  readonly path: string;
  readonly deletionTimestamp?: number | null;
  readonly dataChange: boolean;
  readonly extendedFileMetadata?: boolean | null;
  readonly partitionValues?: PartitionValues | null;
  readonly size?: number | null;
  readonly stats?: string | null;
  readonly tags?: Readonly<Record<string, string>> | null;
  readonly deletionVector?: DeletionVectorDescriptor | null;
  readonly baseRowId?: number | null;
  readonly defaultRowCommitVersion?: number | null;
}

export interface Txn {
  readonly appId: string;
  readonly version: number;
  readonly lastUpdated?: number | null;
}

export interface DomainMetadata {
  readonly domain: string;
  readonly configuration: string;
  readonly removed: boolean;
}

export interface CommitInfo {
  readonly timestamp?: number;
  readonly inCommitTimestamp?: number;
  readonly operation?: string;
  readonly operationParameters?: Readonly<Record<string, unknown>>;
  readonly readVersion?: number;
  readonly isolationLevel?: string;
  readonly isBlindAppend?: boolean;
  readonly operationMetrics?: Readonly<Record<string, string>>;
  readonly engineInfo?: string;
  readonly txnId?: string;
  readonly [key: string]: unknown;
}

export interface Sidecar {
  readonly path: string;
  readonly sizeInBytes: number;
  readonly modificationTime: number;
  readonly tags?: Readonly<Record<string, string>> | null;
}

export interface CheckpointMetadata {
  readonly version: number;
  readonly tags?: Readonly<Record<string, string>> | null;
}

/** One line of a commit file: exactly one of these keys is set. Unknown keys are ignored by readers. */
export interface Action {
  readonly protocol?: Protocol;
  readonly metaData?: Metadata;
  readonly add?: Add;
  readonly remove?: Remove;
  readonly txn?: Txn;
  readonly commitInfo?: CommitInfo;
  readonly domainMetadata?: DomainMetadata;
  readonly sidecar?: Sidecar;
  readonly checkpointMetadata?: CheckpointMetadata;
  readonly cdc?: Readonly<Record<string, unknown>>;
}
