// What a window onto a cluster shows for its tasks: the engine's own views, from an engine that never
// starts (the folder's plan, loaded over the latest snapshot), rebuilt once per read of the cluster; the
// runs that ended and the retries that were scheduled since, announced as the engine would (notifications,
// open run documents); and which tasks this window's files define differently from the cluster.
import type { Clock } from '../clock';
import type { LoadPlan, Scheduler, ScheduleReset, TaskView } from '../engine';
import type { History } from '../ports';
import type { ServiceEvent } from '../service/workspaceService';
import type { WorkspacePlan } from '../workspace/plan';
import { definitionsOf, differingTasks } from './definitions';
import type { ClusterHost } from './host';
import { snapshotHistory, type ClusterSnapshot } from './snapshot';

const EMPTY: ClusterSnapshot = { dbNow: 0, localNow: 0, pausedAll: false, states: [], pending: [], active: [], lastRuns: [], waiting: {}, members: [] };
const FAILURES = new Set(['failed', 'timed-out']);

export class WindowViews {
  private views: TaskView[] = [];
  private readonly engine: Scheduler;
  private chain: Promise<unknown> = Promise.resolve();
  /** Runs already reported as finished, and retries already announced (notifications fire once each). */
  private readonly seenEnded = new Set<string>();
  private readonly seenRetries = new Set<string>();
  /** Runs that ended before this are history, not news. */
  since = 0;
  private definitions?: { plan: WorkspacePlan; tasks: Record<string, string> };

  private readonly portableDefinition: ClusterHost['portableDefinition'];

  constructor(o: {
    host: ClusterHost; clock: Clock; ownerId: string;
    snapshot: () => ClusterSnapshot | undefined;
    /** The cluster's history, for what the snapshot does not hold. */
    history: () => Pick<History, 'runs' | 'getRun' | 'lastErrors' | 'health'>;
    emit: (e: ServiceEvent) => void;
  }, private readonly emit = o.emit, private readonly snapshot = o.snapshot) {
    this.portableDefinition = o.host.portableDefinition;
    this.engine = new o.host.Scheduler({
      clock: o.clock, executors: [], executorId: o.ownerId,
      history: snapshotHistory(() => o.snapshot() ?? EMPTY, {
        runs: (q) => o.history().runs(q), getRun: (id) => o.history().getRun(id),
        lastErrors: (t, l) => o.history().lastErrors(t, l), health: (w, n) => o.history().health(w, n),
      }),
    });
  }

  tasks(tag?: string): TaskView[] {
    return tag === undefined ? this.views : this.views.filter((v) => v.tags.includes(tag));
  }

  /** The views from the plan and the latest snapshot, one rebuild at a time; then what changed is announced. */
  rebuild(plan: WorkspacePlan | undefined): Promise<void> {
    const next = this.chain.then(async () => {
      if (!plan) return;
      const snapshot = this.snapshot();
      await this.engine.load(loadPlan(plan));
      if (snapshot && snapshot.pausedAll !== this.engine.pausedAll) {
        if (snapshot.pausedAll) this.engine.pauseAll(); else this.engine.resumeAll();
      }
      this.views = this.engine.snapshot();
      if (snapshot) this.announce(snapshot);
      this.emit({ type: 'history-changed' });
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** What Reset Schedules would do to a task (a dry run): from the cluster's last slot, as a member would say. */
  previewReset(taskId: string): ScheduleReset {
    return this.engine.resetSchedule(taskId, { dryRun: true });
  }

  /** Tasks whose definitions in `plan` differ from those of the member that defines the cluster (its oldest). */
  differing(plan: WorkspacePlan | undefined): string[] {
    const oldest = this.snapshot()?.members[0];
    if (!oldest || !plan) return [];
    // Hashed once per plan: this is read on every change.
    if (this.definitions?.plan !== plan) this.definitions = { plan, tasks: definitionsOf(loadPlan(plan), this.portableDefinition).tasks };
    return differingTasks(this.definitions.tasks, oldest.task_hashes);
  }

  /** Retries, then runs that ended since the window connected, as the engine would announce them. */
  private announce(s: ClusterSnapshot): void {
    for (const job of s.pending) {
      if (job.trigger !== 'retry' || !job.previousRunId || this.seenRetries.has(job.id)) continue;
      this.seenRetries.add(job.id);
      this.emit({ type: 'retry-scheduled', job: { ...job }, delayMs: Math.max(0, job.dueAt - Date.now()) });
    }
    for (const run of s.lastRuns) {
      if (this.seenEnded.has(run.id)) continue;
      this.seenEnded.add(run.id);
      if ((run.endedAt ?? 0) < this.since) continue;
      // A retry already taken (its run exists) is as good as one pending: this failure was not final.
      if (FAILURES.has(run.status) && s.active.concat(s.lastRuns).some((r) => r.taskId === run.taskId && r.attempt > run.attempt)) {
        this.emit({ type: 'retry-scheduled', job: { id: `seen:${run.id}`, taskId: run.taskId, kind: 'retry', dueAt: 0, attempt: run.attempt + 1, trigger: 'retry', previousRunId: run.id, createdAt: 0 }, delayMs: 0 });
      }
      this.emit({ type: 'run-finished', run });
    }
  }
}

/** A viewer's plan: the folder's settings as written (the cluster's, as every member reads them). */
function loadPlan(plan: WorkspacePlan): LoadPlan {
  return { tasks: plan.tasks, invalid: plan.invalid, settings: plan.settings };
}
