// The public face of `.scheduler.yaml` handling. Import from here, not from the files behind it.

export { loadConfig } from './load';
export { findConfigFile, readConfig, CONFIG_FILE_NAMES } from './find';
export { jobSpecs } from './jobs';
export { checkOverrideTargets, configDependencyLocator } from './afterDiscovery';
export {
  analyzeDependencies, checkDependencies, checkDuplicateIds, dependencyOrder,
  type DependencyGraph, type DependencyLocator,
} from './dependencies';
export { CONFIG_DEFAULTS, TASK_DEFAULTS, defaultConfig } from './defaults';
export { didYouMean } from './didYouMean';
export { ownValue } from './report';
export type {
  ConfigLocations, JobKind, JobOptions, LoadedConfig, Location, Path, PositionResolver, SchedulerConfig, SourceRange, TaskOptions,
} from './types';
