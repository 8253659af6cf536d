/**
 * Preloaded into the CLI processes the benchmark times (`node --import`): at exit, writes the
 * CPU time of the main thread alone (Linux: /proc/self/task/PID/stat, utime + stime in clock
 * ticks) to the file named by DRYDOCK_BENCH_MAIN_CPU. V8 compiles and collects garbage on
 * helper threads that run on the other cores, so the process's CPU time exceeds the elapsed time
 * of an idle machine, while the main thread's time is a close, load-independent estimate of it.
 */
import { readFileSync, writeFileSync } from "node:fs";

const target = process.env.DRYDOCK_BENCH_MAIN_CPU;
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

if (target) {
  process.on("exit", () => {
    try {
      const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
      // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const ticks = Number(fields[11]) + Number(fields[12]);
      writeFileSync(target, String(ticks / TICKS_PER_SECOND));
    } catch {
      // Not Linux: no figure.
    }
  });
}
