// Twice a day, at 01:00 and 13:00.
import { defineTask } from "task-scheduler";

export default defineTask({
  name: "Sync twice daily",
  schedule: "twice daily at 1:00 and 13:00",
  overlap: "skip",
  catchUp: "latest",
  async run(ctx) {
    for (let step = 1; step <= 3; step++) {
      if (ctx.signal.aborted) throw new Error("cancelled");
      ctx.log(`sync step ${step}/3`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return { synced: 3 };
  },
});
