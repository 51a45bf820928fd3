// A task that fails half of the time, to show retries with exponential backoff.
import { defineTask } from "task-scheduler";

export default defineTask({
  name: "Flaky API ping",
  schedule: "every 30 minutes",
  retries: { max: 3, backoff: "exponential", delay: "10s", maxDelay: "2m", jitter: true },
  run(ctx) {
    if (Math.random() < 0.5) throw new Error(`API did not answer (attempt ${ctx.attempt})`);
    ctx.log("API answered");
    return { ok: true, attempt: ctx.attempt };
  },
});
