/**
 * Lint benchmark: drydock against a baseline measured in the same run, reported as ratios.
 *
 *   1. Without ShellCheck: `drydock lint <corpus> --shellcheck off` vs dockerfilelint's library
 *      over the same files (bench/lint/dockerfilelint-driver.cjs), both one Node process.
 *   2. With ShellCheck: `drydock lint <corpus> --shellcheck auto` vs plain `shellcheck` on the
 *      very scripts drydock builds from the RUN bodies, split into one balanced batch per core
 *      and run in parallel (the best a wrapper around shellcheck could do).
 *
 * Usage: npm run bench:lint [-- --runs N --count N --seed N --node-timer --check]
 * Writes bench/results/lint.json. See bench/lint/README.md for how to read the numbers.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { DEFAULT_COUNT, DEFAULT_SEED, describeCorpus, writeCorpus } from "./corpus.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CORPUS_DIR = join(ROOT, "bench/corpus/lint");
const RESULTS_DIR = join(ROOT, "bench/results");
const GOALS = { withoutShellcheck: 2, withShellcheck: 1.15 };
/** shellcheck flags exactly as drydock passes them (src/lint/shellcheck.ts runOneProcess). */
const SHELLCHECK_ARGS = ["-f", "json1", "--severity=style", "-e", "SC2187,SC1090,SC1091"];

function parseArgs(argv) {
  const options = { runs: 5, warmup: 1, count: DEFAULT_COUNT, seed: DEFAULT_SEED, nodeTimer: false, check: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--runs") options.runs = Number(argv[++i]);
    else if (arg === "--count") options.count = Number(argv[++i]);
    else if (arg === "--seed") options.seed = Number(argv[++i]);
    else if (arg === "--node-timer") options.nodeTimer = true;
    else if (arg === "--check") options.check = true;
    else throw new Error(`unknown option ${arg}`);
  }
  return options;
}

const log = (message = "") => process.stdout.write(`${message}\n`);

/** Builds dist/ when it is missing or older than the newest file under src/. */
function ensureBuilt() {
  const entry = join(ROOT, "dist/cli/main.js");
  const newest = (dir) =>
    readdirSync(dir, { withFileTypes: true }).reduce((max, e) => {
      const full = join(dir, e.name);
      return Math.max(max, e.isDirectory() ? newest(full) : statSync(full).mtimeMs);
    }, 0);
  if (existsSync(entry) && statSync(join(ROOT, "dist/index.js")).mtimeMs >= newest(join(ROOT, "src"))) return;
  log(existsSync(entry) ? "dist/ is older than src/: npm run build" : "dist/ is missing: npm run build");
  const build = spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
  if (!existsSync(entry)) throw new Error("npm run build produced no dist/cli/main.js");
  if (build.status !== 0) log("warning: the build reported errors; benchmarking what it emitted");
}

function which(binary) {
  const found = spawnSync("sh", ["-c", `command -v ${binary}`], { encoding: "utf8" });
  return found.status === 0 ? found.stdout.trim() : null;
}

const quote = (s) => `'${String(s).replaceAll("'", "'\\''")}'`;

// ---------------------------------------------------------------------------------------------
// Timing

/** Times commands with hyperfine (median of `runs`, after `warmup`), or a Node loop without it. */
function timeCommands(commands, options) {
  const hyperfine = options.nodeTimer ? null : which("hyperfine");
  if (hyperfine) {
    const exportPath = join(mkdtempSync(join(tmpdir(), "drydock-bench-")), "hyperfine.json");
    const args = ["--warmup", String(options.warmup), "--runs", String(options.runs), "--export-json", exportPath];
    args.push("--ignore-failure", "--style", "basic");
    for (const c of commands) args.push("-n", c.name, c.command);
    const run = spawnSync(hyperfine, args, { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
    if (run.status !== 0) throw new Error(`hyperfine failed (exit ${run.status})`);
    const data = JSON.parse(readFileSync(exportPath, "utf8"));
    rmSync(join(exportPath, ".."), { recursive: true, force: true });
    return data.results.map((r, i) => ({
      name: commands[i].name,
      command: commands[i].command,
      median: r.median,
      mean: r.mean,
      stddev: r.stddev,
      min: r.min,
      max: r.max,
      times: r.times,
      timer: "hyperfine",
    }));
  }
  return commands.map((c) => {
    const times = [];
    for (let i = 0; i < options.warmup + options.runs; i++) {
      const start = process.hrtime.bigint();
      spawnSync("sh", ["-c", c.command], { cwd: ROOT, stdio: "ignore" });
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (i >= options.warmup) times.push(seconds);
    }
    const sorted = [...times].sort((a, b) => a - b);
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    const stddev = Math.sqrt(times.reduce((a, t) => a + (t - mean) ** 2, 0) / Math.max(1, times.length - 1));
    log(`  ${c.name}: median ${sorted[Math.floor(sorted.length / 2)].toFixed(3)} s`);
    return {
      name: c.name,
      command: c.command,
      median: sorted[Math.floor(sorted.length / 2)],
      mean,
      stddev,
      min: sorted[0],
      max: sorted[sorted.length - 1],
      times,
      timer: "node",
    };
  });
}

/** Peak resident set size in KiB of one run of a command (GNU time, else a Node wrapper). */
function peakRss(command) {
  if (existsSync("/usr/bin/time")) {
    const run = spawnSync("/usr/bin/time", ["-v", "sh", "-c", `exec ${command}`], { cwd: ROOT, encoding: "utf8" });
    const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr);
    if (match) return Number(match[1]);
  }
  // Fallback: the command's node process reports its own maxRSS (KiB) as it exits.
  const hook = "process.on('exit',()=>process.stderr.write('\\nmaxRSS='+process.resourceUsage().maxRSS+'\\n'))";
  const run = spawnSync("sh", ["-c", command.replace(/^node /, `node --import ${quote(`data:text/javascript,${encodeURIComponent(hook)}`)} `)], {
    cwd: ROOT,
    encoding: "utf8",
  });
  const match = /maxRSS=(\d+)/.exec(run.stderr);
  return match ? Number(match[1]) : null;
}

// ---------------------------------------------------------------------------------------------
// Sanity runs: every command must really do its work before it is timed

function runOnce(command) {
  const run = spawnSync("sh", ["-c", command], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 28 });
  return run;
}

function drydockFindings(corpusRel, mode) {
  const out = join(mkdtempSync(join(tmpdir(), "drydock-bench-")), "report.json");
  const run = runOnce(`node bin/drydock.js lint ${quote(corpusRel)} --shellcheck ${mode} -f json -o ${quote(out)} --no-fail`);
  if (run.status !== 0) throw new Error(`drydock lint failed (exit ${run.status}): ${run.stderr.trim()}`);
  const findings = JSON.parse(readFileSync(out, "utf8"));
  rmSync(join(out, ".."), { recursive: true, force: true });
  const byCode = {};
  for (const f of findings) byCode[f.code] = (byCode[f.code] ?? 0) + 1;
  return { findings: findings.length, codes: Object.keys(byCode).length, sc: findings.filter((f) => f.code.startsWith("SC")).length };
}

// ---------------------------------------------------------------------------------------------
// ShellCheck scripts: exactly what drydock hands to shellcheck

async function writeShellScripts(corpusFiles, dir) {
  const dist = (path) => import(pathToFileURL(join(ROOT, "dist", path)).href);
  const { analyze } = await dist("lint/engine.js");
  const { buildShellScripts } = await dist("lint/shellcheck.js");
  const { defaultLintSettings } = await dist("lint/settings.js");
  const settings = defaultLintSettings();
  const scripts = [];
  for (const file of corpusFiles) {
    const text = readFileSync(file, "utf8");
    // No rules needed: the scripts depend only on the parsed file (rule context), not on hits.
    const analysis = analyze(text, file, settings, undefined, []);
    for (const s of buildShellScripts(analysis)) scripts.push(s.script);
  }
  // The same names drydock uses (`<n>.sh`, in file order), so command lines are alike.
  scripts.forEach((script, id) => writeFileSync(join(dir, `${id}.sh`), script));
  return scripts;
}

/** One balanced batch of scripts per core (largest first to the lightest batch). */
function balancedBatches(scripts, batchCount) {
  const batches = Array.from({ length: Math.min(batchCount, scripts.length) }, () => ({ work: 0, files: [] }));
  const order = scripts.map((s, id) => ({ id, weight: s.length })).sort((a, b) => b.weight - a.weight || a.id - b.id);
  for (const s of order) {
    const lightest = batches.reduce((min, b) => (b.work < min.work ? b : min));
    lightest.files.push(`${s.id}.sh`);
    lightest.work += s.weight + 256;
  }
  return batches.map((b) => b.files.sort((x, y) => Number.parseInt(x, 10) - Number.parseInt(y, 10)));
}

// ---------------------------------------------------------------------------------------------

function ratio(a, b) {
  return Math.round((a.median / b.median) * 100) / 100;
}

function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  return rows.map((r) => r.map((cell, c) => String(cell).padEnd(widths[c])).join("  ")).join("\n");
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  ensureBuilt();
  const cores = availableParallelism();
  const corpusRel = relative(ROOT, CORPUS_DIR);

  const generated = writeCorpus(CORPUS_DIR, { seed: options.seed, count: options.count });
  const stats = describeCorpus(generated);
  const corpusFiles = generated.map((f) => join(CORPUS_DIR, f.name));
  log(`corpus: ${stats.files} Dockerfiles (seed ${options.seed}) in ${corpusRel}, ${(stats.bytes / 1024).toFixed(0)} KiB, ` +
    `lines ${stats.lines.min}-${stats.lines.max} (median ${stats.lines.median}), ${stats.multiStage} multi-stage, ` +
    `${stats.heredoc} with heredocs, ${stats.crlf} CRLF, ${stats.backtickEscape} with escape=\`, ${stats.syntaxErrors} with syntax errors`);
  log(`machine: ${cores} cores (${cpus()[0]?.model ?? "?"}), node ${process.version}`);

  const { ALL_RULES } = await import(pathToFileURL(join(ROOT, "dist/index.js")).href);
  const dockerfilelintRules = Object.keys((await import("dockerfilelint/lib/reference.js")).default).length;

  // --- 1. without ShellCheck -----------------------------------------------------------------
  const drydockOff = `node bin/drydock.js lint ${quote(corpusRel)} --shellcheck off -f json -o /dev/null --no-fail`;
  const dockerfilelint = `node bench/lint/dockerfilelint-driver.cjs ${quote(corpusRel)} /dev/null`;
  const offCheck = drydockFindings(corpusRel, "off");
  const dflCheck = runOnce(dockerfilelint);
  if (dflCheck.status !== 0) throw new Error(`dockerfilelint driver failed: ${dflCheck.stderr.trim()}`);
  const dflSummary = JSON.parse(dflCheck.stderr.trim().split("\n").pop());
  log();
  log(`1. without ShellCheck: drydock ${ALL_RULES.length} rules (${offCheck.findings} findings, ${offCheck.codes} codes) vs ` +
    `dockerfilelint ${dockerfilelintRules} rules (${dflSummary.issues} findings; it crashed on ${dflSummary.crashed} of ${dflSummary.files} files)`);
  const [ddOff, dfl] = timeCommands(
    [
      { name: "drydock --shellcheck off", command: drydockOff },
      { name: "dockerfilelint (library, one process)", command: dockerfilelint },
    ],
    options,
  );
  const withoutShellcheck = {
    drydock: ddOff,
    dockerfilelint: dfl,
    ratio: ratio(ddOff, dfl),
    goal: GOALS.withoutShellcheck,
    findings: { drydock: offCheck.findings, dockerfilelint: dflSummary.issues },
    dockerfilelintCrashedFiles: dflSummary.crashed,
  };

  // --- 2. with ShellCheck --------------------------------------------------------------------
  let withShellcheck;
  const shellcheck = which("shellcheck");
  const scratch = mkdtempSync(join(tmpdir(), "drydock-bench-sc-"));
  try {
    const scriptDir = join(scratch, "scripts");
    mkdirSync(scriptDir);
    const scripts = shellcheck ? await writeShellScripts(corpusFiles, scriptDir) : [];
    if (!shellcheck) withShellcheck = { skipped: "shellcheck is not installed" };
    else if (scripts.length === 0) withShellcheck = { skipped: "buildShellScripts returned no scripts (integration not landed?)" };
    else {
      const batches = balancedBatches(scripts, cores);
      const lines = ["#!/bin/sh", `cd ${quote(scriptDir)} || exit 2`];
      batches.forEach((files, i) => {
        writeFileSync(join(scratch, `batch-${i}.txt`), `${files.join("\n")}\n`);
        lines.push(`xargs ${quote(shellcheck)} ${SHELLCHECK_ARGS.map(quote).join(" ")} < ${quote(join(scratch, `batch-${i}.txt`))} > /dev/null &`);
      });
      lines.push("wait");
      const baselineScript = join(scratch, "shellcheck-alone.sh");
      writeFileSync(baselineScript, `${lines.join("\n")}\n`);
      const drydockAuto = `node bin/drydock.js lint ${quote(corpusRel)} --shellcheck auto -f json -o /dev/null --no-fail`;
      const autoCheck = drydockFindings(corpusRel, "auto");
      const bytes = scripts.reduce((n, s) => n + s.length, 0);
      log();
      log(`2. with ShellCheck: ${scripts.length} RUN scripts (${(bytes / 1024).toFixed(0)} KiB) from the corpus; drydock ` +
        `reports ${autoCheck.sc} SC findings; baseline: ${batches.length} parallel shellcheck processes (${batches.map((b) => b.length).join(" + ")} scripts)`);
      const [ddAuto, scAlone] = timeCommands(
        [
          { name: "drydock --shellcheck auto", command: drydockAuto },
          { name: "shellcheck alone (parallel batches)", command: `sh ${quote(baselineScript)}` },
        ],
        options,
      );
      withShellcheck = {
        scripts: scripts.length,
        processes: batches.length,
        drydock: ddAuto,
        shellcheckAlone: scAlone,
        ratio: ratio(ddAuto, scAlone),
        goal: GOALS.withShellcheck,
        findings: { drydock: autoCheck.findings, shellcheck: autoCheck.sc },
      };
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }

  // --- memory --------------------------------------------------------------------------------
  const rss = {
    drydockShellcheckOff: peakRss(drydockOff),
    drydockShellcheckAuto: shellcheck ? peakRss(drydockOff.replace("--shellcheck off", "--shellcheck auto")) : null,
    dockerfilelint: peakRss(dockerfilelint),
  };

  // --- report --------------------------------------------------------------------------------
  const verdict = (r, goal) => (r <= goal ? "meets" : "MISSES");
  const s = (t) => `${t.median.toFixed(3)} s ± ${t.stddev.toFixed(3)}`;
  const rows = [
    ["comparison", "drydock", "baseline", "ratio", "goal"],
    ["without ShellCheck", s(ddOff), `${s(dfl)} (dockerfilelint)`, `${withoutShellcheck.ratio}x`, `≤ ${GOALS.withoutShellcheck}x ${verdict(withoutShellcheck.ratio, GOALS.withoutShellcheck)}`],
  ];
  if (withShellcheck.skipped) rows.push(["with ShellCheck", "-", "-", "-", `skipped: ${withShellcheck.skipped}`]);
  else {
    rows.push([
      "with ShellCheck",
      s(withShellcheck.drydock),
      `${s(withShellcheck.shellcheckAlone)} (shellcheck alone)`,
      `${withShellcheck.ratio}x`,
      `≤ ${GOALS.withShellcheck}x ${verdict(withShellcheck.ratio, GOALS.withShellcheck)}`,
    ]);
  }
  log();
  log(table(rows));
  log();
  log(`rules: drydock ${ALL_RULES.length} + ShellCheck's SC checks; dockerfilelint ${dockerfilelintRules}`);
  const kib = (v) => (v === null ? "n/a" : `${(v / 1024).toFixed(0)} MiB`);
  log(`peak RSS: drydock ${kib(rss.drydockShellcheckOff)} (ShellCheck off), ${kib(rss.drydockShellcheckAuto)} (auto, node process only); dockerfilelint ${kib(rss.dockerfilelint)}`);

  const result = {
    date: new Date().toISOString(),
    machine: { cores, cpu: cpus()[0]?.model ?? null, node: process.version },
    timer: ddOff.timer,
    runs: options.runs,
    warmup: options.warmup,
    corpus: { seed: options.seed, dir: corpusRel, ...stats },
    rules: { drydock: ALL_RULES.length, drydockPlusShellcheck: true, dockerfilelint: dockerfilelintRules },
    withoutShellcheck,
    withShellcheck,
    peakRssKiB: rss,
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  const resultPath = join(RESULTS_DIR, "lint.json");
  writeFileSync(resultPath, `${JSON.stringify(result, null, 2)}\n`);
  log(`results: ${relative(ROOT, resultPath)}`);

  const missed =
    withoutShellcheck.ratio > GOALS.withoutShellcheck ||
    (!withShellcheck.skipped && withShellcheck.ratio > GOALS.withShellcheck);
  if (options.check && missed) process.exitCode = 1;
}

await main();
