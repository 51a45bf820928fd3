// The public face of task files: discover, compile, read options, load, and editor types.
// Import from here, not from the files behind it.

export { DEFAULT_TASK_EXCLUDES, DEFAULT_TASK_INCLUDE, discoverTaskFiles, taskIdOf, type DiscoverOptions } from './discover';
export { createCompiler, defaultCacheDir, type CompileResult, type Compiler, type CompilerOptions } from './compile';
export { DEFAULT_LOAD_TIMEOUT_MS, readTaskOptions, type DescribeLauncher, type TaskDescription } from './readOptions';
export { loadTaskFiles, type InvalidTask, type LoadedTask, type LoadedTaskFiles, type TaskFileLoader } from './load';
export { ensureTypes, type EnsureTypesResult } from './ensureTypes';
export { taskFilePositions } from './optionPositions';
