// What every benchmark under bench/ shares: building dist/, running commands, and timing them
// against a baseline in the same run (hyperfine, or an interleaved Node timer on a busy machine),
// with CPU time and peak memory beside wall time.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export const log = (message = "") => process.stdout.write(`${message}\n`);
export const quote = (s) => `'${String(s).replaceAll("'", "'\\''")}'`;
export const fmtCpu = (cpu) => (cpu === null || cpu === undefined ? "n/a" : `${cpu.toFixed(2)} s`);

/** Builds dist/ when it is missing or older than the newest file under src/. */
export function ensureBuilt() {
  // What bin/drydock.js runs: the bundled CLI, written after tsc's dist/.
  const entry = join(ROOT, "dist/bundle/main.js");
  const newest = (dir) =>
    readdirSync(dir, { withFileTypes: true }).reduce((max, e) => {
      const full = join(dir, e.name);
      return Math.max(max, e.isDirectory() ? newest(full) : statSync(full).mtimeMs);
    }, 0);
  if (existsSync(entry) && statSync(entry).mtimeMs >= newest(join(ROOT, "src"))) return;
  log(existsSync(entry) ? "dist/ is older than src/: npm run build" : "dist/ is missing: npm run build");
  const build = spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
  if (!existsSync(entry)) throw new Error("npm run build produced no dist/bundle/main.js");
  if (build.status !== 0) log("warning: the build reported errors; benchmarking what it emitted");
}

export function which(binary) {
  const found = spawnSync("sh", ["-c", `command -v ${binary}`], { encoding: "utf8" });
  return found.status === 0 ? found.stdout.trim() : null;
}

export function runOnce(command) {
  return spawnSync("sh", ["-c", command], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 28 });
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function summarize(times) {
  const sorted = [...times].sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  const stddev = Math.sqrt(times.reduce((a, t) => a + (t - mean) ** 2, 0) / Math.max(1, times.length - 1));
  return { median: median(times), mean, stddev, min: sorted[0], max: sorted[sorted.length - 1], times };
}

/**
 * The timer: `hyperfine` (an error when it is not installed), `node` (interleaved), or `auto`:
 * hyperfine when installed, the interleaved timer when it is not or the machine is loaded
 * (load ≥ cores / 2), where interleaving spreads bursts of load over every side alike.
 */
export function chooseTimer(option) {
  const hyperfine = which("hyperfine");
  if (option === "hyperfine" && !hyperfine) throw new Error("--timer hyperfine: hyperfine is not installed");
  if (option === "node" || !hyperfine) return { kind: "node" };
  if (option === "auto" && loadavg()[0] >= availableParallelism() / 2)
    return { kind: "node", why: "machine is loaded" };
  return { kind: "hyperfine", path: hyperfine };
}

/**
 * Times `commands` ({name, command, prepare?}) with `options.timer` (from chooseTimer): median
 * of `options.runs` after `options.warmup`, with CPU time (user + system, children included).
 * A command that exits non-zero fails the run unless `options.ignoreFailure`.
 */
export function timeCommands(commands, options) {
  return options.timer.kind === "hyperfine"
    ? timeWithHyperfine(options.timer.path, commands, options)
    : timeInterleaved(commands, options);
}

function timeWithHyperfine(hyperfine, commands, options) {
  const scratch = mkdtempSync(join(tmpdir(), "drydock-bench-"));
  const exportPath = join(scratch, "hyperfine.json");
  const args = [
    "--warmup",
    String(options.warmup),
    "--runs",
    String(options.runs),
    "--export-json",
    exportPath,
  ];
  args.push("--style", "basic");
  if (options.ignoreFailure) args.push("--ignore-failure");
  if (commands.some((c) => c.prepare)) for (const c of commands) args.push("--prepare", c.prepare ?? "true");
  for (const c of commands) args.push("-n", c.name, c.command);
  const run = spawnSync(hyperfine, args, { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
  if (run.status !== 0) throw new Error(`hyperfine failed (exit ${run.status})`);
  const data = JSON.parse(readFileSync(exportPath, "utf8"));
  rmSync(scratch, { recursive: true, force: true });
  return data.results.map((r, i) => ({
    name: commands[i].name,
    command: commands[i].command,
    ...summarize(r.times),
    cpu: r.user + r.system,
    timer: "hyperfine",
  }));
}

/** Runs A B C A B C ...: a burst of load from other processes hits every side alike. */
function timeInterleaved(commands, options) {
  const gnuTime = existsSync("/usr/bin/time");
  const scratch = mkdtempSync(join(tmpdir(), "drydock-bench-"));
  const cpuFile = join(scratch, "cpu.txt");
  const samples = commands.map(() => ({ times: [], cpu: [] }));
  for (let round = 0; round < options.warmup + options.runs; round++) {
    for (const [index, c] of commands.entries()) {
      if (c.prepare) spawnSync("sh", ["-c", c.prepare], { cwd: ROOT, stdio: "ignore" });
      const argv = gnuTime
        ? ["/usr/bin/time", "-f", "%U %S", "-o", cpuFile, "sh", "-c", c.command]
        : ["sh", "-c", c.command];
      const start = process.hrtime.bigint();
      const run = spawnSync(argv[0], argv.slice(1), {
        cwd: ROOT,
        stdio: ["ignore", "ignore", "pipe"],
        maxBuffer: 1 << 28,
      });
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      // A command that fails while timed (the checkout changed under us) must not pass as fast.
      if (run.status !== 0 && !options.ignoreFailure) {
        const why = run.stderr.toString().trim().split("\n").slice(0, 3).join(" / ");
        throw new Error(`${c.name} failed while timed (exit ${run.status}): ${why}`);
      }
      if (round < options.warmup) continue;
      samples[index].times.push(seconds);
      if (gnuTime) {
        const [user, system] = readFileSync(cpuFile, "utf8").trim().split("\n").pop().split(" ").map(Number);
        samples[index].cpu.push(user + system);
      }
    }
  }
  rmSync(scratch, { recursive: true, force: true });
  return commands.map((c, index) => {
    const result = {
      name: c.name,
      command: c.command,
      ...summarize(samples[index].times),
      cpu: gnuTime ? median(samples[index].cpu) : null,
      timer: "node (interleaved)",
    };
    log(
      `  ${c.name}: median ${result.median.toFixed(3)} s ± ${result.stddev.toFixed(3)}, cpu ${fmtCpu(result.cpu)}`,
    );
    return result;
  });
}

/** Peak resident set size in KiB of one run of a command (GNU time, else a Node wrapper). */
export function peakRss(command) {
  if (existsSync("/usr/bin/time")) {
    const run = spawnSync("/usr/bin/time", ["-v", "sh", "-c", `exec ${command}`], {
      cwd: ROOT,
      encoding: "utf8",
    });
    const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr);
    if (match) return Number(match[1]);
  }
  // Fallback: the command's node process reports its own maxRSS (KiB) as it exits.
  const hook =
    "process.on('exit',()=>process.stderr.write('\\nmaxRSS='+process.resourceUsage().maxRSS+'\\n'))";
  const wrapped = command.replace(
    /^node /,
    `node --import ${quote(`data:text/javascript,${encodeURIComponent(hook)}`)} `,
  );
  const run = spawnSync("sh", ["-c", wrapped], { cwd: ROOT, encoding: "utf8" });
  const match = /maxRSS=(\d+)/.exec(run.stderr);
  return match ? Number(match[1]) : null;
}
