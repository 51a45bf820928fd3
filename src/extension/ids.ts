// Every id the extension shares with package.json, in one place. A unit test
// (test/unit/manifest.test.ts) checks these against `contributes` in both directions.

export const EXTENSION_ID = 'task-scheduler.task-scheduler';
export const CATEGORY = 'Task Scheduler';

export const enum CommandId {
  RunNow = 'taskScheduler.runNow',
  ShowDashboard = 'taskScheduler.showDashboard',
}

/** Title of each palette command, shown after the category ("Task Scheduler: Run Task Now"). */
export const COMMAND_TITLES: Record<CommandId, string> = {
  [CommandId.RunNow]: 'Run Task Now',
  [CommandId.ShowDashboard]: 'Show Dashboard',
};

export const enum ViewId {
  Container = 'taskScheduler',
  Tasks = 'taskScheduler.tasks',
}

export const STATUS_BAR_ID = 'taskScheduler.status';

/** The dashboard webview panel's viewType (package.json activates on `onWebviewPanel:` it, to restore it after a reload). */
export const DASHBOARD_VIEW_TYPE = 'taskScheduler.dashboard';

/** Settings, with the defaults package.json declares for them. */
export const SETTINGS = {
  statusBarEnabled: { key: 'taskScheduler.statusBar.enabled', default: true },
} as const;

export type ContextKey = 'taskScheduler.hasTasks';
