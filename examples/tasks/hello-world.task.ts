// The smallest task: a greeting every 10 minutes, on clock boundaries (:00, :10, :20 …).
import { defineTask } from "task-scheduler";

export default defineTask({
  name: "Hello world",
  schedule: "every 10 minutes",
  run(ctx) {
    ctx.log(`Hello from ${ctx.taskId} (attempt ${ctx.attempt}, ${ctx.trigger})`);
    return { greeted: true };
  },
});
