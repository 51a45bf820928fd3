// Step 1 of a chain: fetch → process → report. Its dependents run when it succeeds.
import { defineTask } from "task-scheduler";

export default defineTask({
  name: "Fetch data",
  schedule: "daily at 06:00",
  priority: "high",
  run(ctx) {
    const rows = Array.from({ length: 5 }, (_, i) => ({ id: i + 1, value: Math.round(Math.random() * 100) }));
    ctx.log(`fetched ${rows.length} rows`);
    return { rows };
  },
});
