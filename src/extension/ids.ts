// Every id the extension shares with package.json, in one place. A unit test
// (test/unit/manifest.test.ts) checks these against `contributes` in both directions.

export const EXTENSION_ID = 'task-scheduler.task-scheduler';
export const CATEGORY = 'Task Scheduler';

export const enum CommandId {
  RunNow = 'taskScheduler.runNow',
  RunWithParams = 'taskScheduler.runWithParams',
  Pause = 'taskScheduler.pause',
  Resume = 'taskScheduler.resume',
  PauseAll = 'taskScheduler.pauseAll',
  ResumeAll = 'taskScheduler.resumeAll',
  Cancel = 'taskScheduler.cancel',
  ResetRetries = 'taskScheduler.resetRetries',
  ShowRunOutput = 'taskScheduler.showRunOutput',
  ShowTasks = 'taskScheduler.showTasks',
  OpenTaskFile = 'taskScheduler.openTaskFile',
  NewTask = 'taskScheduler.newTask',
  OpenConfig = 'taskScheduler.openConfig',
  Reload = 'taskScheduler.reload',
  ResetSchedules = 'taskScheduler.resetSchedules',
  ClearHistory = 'taskScheduler.clearHistory',
  ShowLog = 'taskScheduler.showLog',
  TakeOver = 'taskScheduler.takeOver',
  InstallEsbuild = 'taskScheduler.installEsbuild',
  InstallPackage = 'taskScheduler.installPackage',
  ShowDashboard = 'taskScheduler.showDashboard',
  JoinCluster = 'taskScheduler.joinCluster',
  LeaveCluster = 'taskScheduler.leaveCluster',
  SetDatabasePassword = 'taskScheduler.setDatabasePassword',
  PreviewSchedules = 'taskScheduler.previewSchedules',
}

/** Title of each palette command, shown after the category ("Task Scheduler: Run Task Now"). */
export const COMMAND_TITLES: Record<CommandId, string> = {
  [CommandId.RunNow]: 'Run Task Now',
  [CommandId.RunWithParams]: 'Run with Parameters…',
  [CommandId.Pause]: 'Pause Task',
  [CommandId.Resume]: 'Resume Task',
  [CommandId.PauseAll]: 'Pause All',
  [CommandId.ResumeAll]: 'Resume All',
  [CommandId.Cancel]: 'Cancel Run',
  [CommandId.ResetRetries]: 'Reset Retries',
  [CommandId.ShowRunOutput]: 'Show Run Output',
  [CommandId.ShowTasks]: 'Show Tasks…',
  [CommandId.OpenTaskFile]: 'Open Task File',
  [CommandId.NewTask]: 'New Task…',
  [CommandId.OpenConfig]: 'Open Config',
  [CommandId.Reload]: 'Reload Tasks',
  [CommandId.ResetSchedules]: 'Reset Schedules…',
  [CommandId.ClearHistory]: 'Clear History',
  [CommandId.ShowLog]: 'Show Log',
  [CommandId.TakeOver]: 'Take Over',
  [CommandId.InstallEsbuild]: 'Install esbuild',
  [CommandId.InstallPackage]: 'Install Missing Package',
  [CommandId.ShowDashboard]: 'Show Dashboard',
  [CommandId.JoinCluster]: 'Join Cluster',
  [CommandId.LeaveCluster]: 'Leave Cluster',
  [CommandId.SetDatabasePassword]: 'Set Database Password…',
  [CommandId.PreviewSchedules]: 'Preview Schedules',
};

export const enum ViewId {
  Container = 'taskScheduler',
  Tasks = 'taskScheduler.tasks',
}

export const STATUS_BAR_ID = 'taskScheduler.status';

/** The read-only documents that show one run's output and result (runDocument.ts). */
export const RUN_DOCUMENT_SCHEME = 'task-scheduler-run';

/** The log output channel's name (a LogOutputChannel: `Task Scheduler` in the Output view). */
export const LOG_CHANNEL_NAME = 'Task Scheduler';

/** The dashboard webview panel's viewType (package.json activates on `onWebviewPanel:` it, to restore it after a reload). */
export const DASHBOARD_VIEW_TYPE = 'taskScheduler.dashboard';
/** The workspaceState key where the dashboard's filters are kept for a page that lost its own state. */
export const DASHBOARD_FILTERS_KEY = 'taskScheduler.dashboard.filters.v1';

/** The Preview Schedules webview panel's viewType. */
export const PREVIEW_VIEW_TYPE = 'taskScheduler.preview';

/** The diagnostic collection of schedule warnings (valid but probably not meant); config and compile errors have their own. */
export const SCHEDULE_WARNINGS_COLLECTION = 'taskSchedulerScheduleWarnings';

/** Settings, with the defaults package.json declares for them. */
export const SETTINGS = {
  statusBarEnabled: { key: 'taskScheduler.statusBar.enabled', default: true },
  treeGroupBy: { key: 'taskScheduler.tree.groupBy', default: 'folder' },
  codeLensEnabled: { key: 'taskScheduler.codeLens.enabled', default: true },
  notifyOnFailure: { key: 'taskScheduler.notifications.onFailure', default: true },
  esbuildAutoInstall: { key: 'taskScheduler.esbuild.autoInstall', default: false },
  clusterJoin: { key: 'taskScheduler.cluster.join', default: false },
  inlayHints: { key: 'taskScheduler.inlayHints.schedules', default: 'cron' },
  scheduleWarnings: { key: 'taskScheduler.scheduleWarnings.enabled', default: true },
} as const;

export const TREE_GROUPINGS = ['none', 'folder', 'tag'] as const;
export type TreeGrouping = (typeof TREE_GROUPINGS)[number];

/** `when`-clause keys the extension sets (context.ts is the one way to set them). */
export const CONTEXT_KEYS = [
  'taskScheduler.hasTasks',
  'taskScheduler.hasPausable',
  'taskScheduler.hasPaused',
  'taskScheduler.hasRunning',
  'taskScheduler.hasRetries',
  'taskScheduler.pausedAll',
  'taskScheduler.viewer',
  'taskScheduler.needsEsbuild',
  'taskScheduler.cluster',
  'taskScheduler.clusterJoinable',
  'taskScheduler.clusterJoined',
] as const;
export type ContextKey = (typeof CONTEXT_KEYS)[number];
