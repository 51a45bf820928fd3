// A classic cron expression: 09:00 on weekdays.
import { defineTask } from "task-scheduler";

export default defineTask({
  name: "Weekday standup note",
  schedule: "0 9 * * 1-5",
  priority: "low",
  run(ctx) {
    ctx.log(`Standup at ${ctx.scheduledFor?.toISOString() ?? "now"}`);
  },
});
