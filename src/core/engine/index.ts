// The engine's public face: the Scheduler, what it is given, and what it reports.
export { Scheduler, STOP_WAIT_MS, type StopOptions } from './scheduler';
export type { EngineSchedule, EngineSettings, InvalidTask, LoadPlan, LogLevel, PlannedTask, ScheduleReset, SchedulerDeps } from './types';
export type { EngineEvent, EngineListener, RunSummary, TaskView, UpcomingRun, WarningCode } from './events';
export { MAX_WAIT_MS } from './timer';
export { ON_TIME_TOLERANCE_MS } from './catchUp';
