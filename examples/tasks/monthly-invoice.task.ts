// Monthly, on the 15th at 12:00 — written in the structured form users of Django schedulers know.
import { defineTask } from "task-scheduler";

export default defineTask({
  name: "Monthly invoice reminder",
  schedule: { type: "monthly", day_of_month: 15, hour: 12, minute: 0 },
  run(ctx) {
    ctx.log("Time to send the monthly invoices.");
  },
});
