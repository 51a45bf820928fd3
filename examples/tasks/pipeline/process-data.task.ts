// Step 2: runs after fetch-data succeeds (no schedule of its own).
import { defineTask } from "task-scheduler";

export default defineTask({
  name: "Process data",
  schedule: "manual",
  dependsOn: [{ task: "tasks/pipeline/fetch-data", on: "success" }],
  run(ctx) {
    ctx.log("processing the fetched rows");
    return { processed: true };
  },
});
