// The history store's public face. Everything else in this folder is an implementation detail.
export { createHistory, type CreateHistoryOptions } from './client';
export { NewerSchemaError } from './errors';
export { historyFiles, type HistoryFiles } from './files';
export { SCHEMA_VERSION } from './migrations';
export { openHistoryReadOnly, type HistoryReader, type ReadOnlyOptions } from './readonly';
export { DEFAULT_SNAPSHOT_POLICY, type SnapshotPolicy } from './snapshot';
