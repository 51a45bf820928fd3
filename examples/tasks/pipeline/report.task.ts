// Step 3: runs once processing has finished, whatever its outcome.
import { defineTask } from "task-scheduler";

export default defineTask({
  name: "Pipeline report",
  schedule: "manual",
  dependsOn: [{ task: "tasks/pipeline/process-data", on: "completion" }],
  run(ctx) {
    ctx.log("pipeline finished");
  },
});
