// Weekly cleanup, Mondays at 10:00: removes scratch files older than a week.
import { defineTask } from "task-scheduler";
import * as fs from "fs";
import * as path from "path";

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

export default defineTask({
  name: "Weekly cleanup",
  schedule: "weekly on monday at 10:00",
  tags: ["maintenance"],
  timeout: "5m",
  run(ctx) {
    const dir = path.join(ctx.workspaceFolder, "tmp");
    if (!fs.existsSync(dir)) return { removed: 0 };
    let removed = 0;
    for (const name of fs.readdirSync(dir)) {
      const file = path.join(dir, name);
      if (Date.now() - fs.statSync(file).mtimeMs > WEEK_MS) {
        fs.rmSync(file, { recursive: true, force: true });
        removed++;
      }
    }
    ctx.log(`removed ${removed} old scratch files`);
    return { removed };
  },
});
