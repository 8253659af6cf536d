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
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, tmpdir } from "node:os";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import {
  chooseTimer,
  ensureBuilt,
  log,
  peakRss,
  quote,
  ROOT,
  runOnce,
  timeCommands,
  which,
} from "../lib/harness.mjs";
import { DEFAULT_COUNT, DEFAULT_SEED, describeCorpus, writeCorpus } from "./corpus.mjs";

const CORPUS_DIR = join(ROOT, "bench/corpus/lint");
/** The files of the ShellCheck comparison (a prefix of the corpus: ShellCheck costs ~5 ms a script). */
const SHELLCHECK_CORPUS_DIR = join(ROOT, "bench/corpus/lint-shellcheck");
const RESULTS_DIR = join(ROOT, "bench/results");
const GOALS = { withoutShellcheck: 2, withShellcheck: 1.15 };
/** shellcheck flags exactly as drydock passes them (src/lint/shellcheck.ts runOneProcess). */
const SHELLCHECK_ARGS = ["-f", "json1", "--severity=style", "-e", "SC2187,SC1090,SC1091"];

function parseArgs(argv) {
  const options = {
    runs: 5,
    warmup: 1,
    count: DEFAULT_COUNT,
    seed: DEFAULT_SEED,
    shellcheckFiles: 300,
    nodeTimer: false,
    check: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--runs") options.runs = Number(argv[++i]);
    else if (arg === "--count") options.count = Number(argv[++i]);
    else if (arg === "--seed") options.seed = Number(argv[++i]);
    else if (arg === "--shellcheck-files") options.shellcheckFiles = Number(argv[++i]);
    else if (arg === "--node-timer") options.nodeTimer = true;
    else if (arg === "--check") options.check = true;
    else throw new Error(`unknown option ${arg}`);
  }
  // hyperfine when installed, unless --node-timer.
  options.timer = chooseTimer(options.nodeTimer || !which("hyperfine") ? "node" : "hyperfine");
  return options;
}

// ---------------------------------------------------------------------------------------------
// Sanity runs: every command must really do its work before it is timed

/** One baseline batch must exit 0 or 1 (findings) and print shellcheck's json1 report. */
function checkShellcheckBatch(command) {
  const run = runOnce(command);
  let comments = null;
  try {
    comments = JSON.parse(run.stdout).comments;
  } catch {
    comments = null;
  }
  // xargs exits 123 when a command exited 1..125: shellcheck's "findings" exit code is 1.
  if (![0, 123].includes(run.status) || !Array.isArray(comments)) {
    throw new Error(
      `the shellcheck baseline does not work (exit ${run.status}): ${run.stderr.trim().slice(0, 300)}`,
    );
  }
}

function drydockFindings(corpusRel, mode) {
  const out = join(mkdtempSync(join(tmpdir(), "drydock-bench-")), "report.json");
  const run = runOnce(
    `node bin/drydock.js lint ${quote(corpusRel)} --shellcheck ${mode} -f json -o ${quote(out)} --no-fail`,
  );
  if (run.status !== 0) throw new Error(`drydock lint failed (exit ${run.status}): ${run.stderr.trim()}`);
  const findings = JSON.parse(readFileSync(out, "utf8"));
  rmSync(join(out, ".."), { recursive: true, force: true });
  const byCode = {};
  for (const f of findings) byCode[f.code] = (byCode[f.code] ?? 0) + 1;
  return {
    findings: findings.length,
    codes: Object.keys(byCode).length,
    sc: findings.filter((f) => f.code.startsWith("SC")).length,
  };
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
  for (const [id, script] of scripts.entries()) writeFileSync(join(dir, `${id}.sh`), script);
  return scripts;
}

/** One balanced batch of scripts per core (largest first to the lightest batch). */
function balancedBatches(scripts, batchCount) {
  const batches = Array.from({ length: Math.min(batchCount, scripts.length) }, () => ({
    work: 0,
    files: [],
  }));
  const order = scripts
    .map((s, id) => ({ id, weight: s.length }))
    .sort((a, b) => b.weight - a.weight || a.id - b.id);
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

/** CPU time ratio (user + system, children included): steadier than wall time under load. */
function cpuRatio(a, b) {
  return a.cpu && b.cpu ? Math.round((a.cpu / b.cpu) * 100) / 100 : null;
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
  log(
    `corpus: ${stats.files} Dockerfiles (seed ${options.seed}) in ${corpusRel}, ${(stats.bytes / 1024).toFixed(0)} KiB, ` +
      `lines ${stats.lines.min}-${stats.lines.max} (median ${stats.lines.median}), ${stats.multiStage} multi-stage, ` +
      `${stats.heredoc} with heredocs, ${stats.crlf} CRLF, ${stats.backtickEscape} with escape=\`, ${stats.syntaxErrors} with syntax errors`,
  );
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
  log(
    `1. without ShellCheck: drydock ${ALL_RULES.length} rules (${offCheck.findings} findings, ${offCheck.codes} codes) vs ` +
      `dockerfilelint ${dockerfilelintRules} rules (${dflSummary.issues} findings; it crashed on ${dflSummary.crashed} of ${dflSummary.files} files)`,
  );
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
    cpuRatio: cpuRatio(ddOff, dfl),
    goal: GOALS.withoutShellcheck,
    findings: { drydock: offCheck.findings, dockerfilelint: dflSummary.issues },
    dockerfilelintCrashedFiles: dflSummary.crashed,
  };

  // --- 2. with ShellCheck --------------------------------------------------------------------
  // A prefix of the corpus: checking every RUN of all files takes minutes per run on 2 cores.
  const scCount =
    options.shellcheckFiles > 0 ? Math.min(options.shellcheckFiles, generated.length) : generated.length;
  rmSync(SHELLCHECK_CORPUS_DIR, { recursive: true, force: true });
  mkdirSync(SHELLCHECK_CORPUS_DIR, { recursive: true });
  for (const f of generated.slice(0, scCount)) writeFileSync(join(SHELLCHECK_CORPUS_DIR, f.name), f.content);
  const scCorpusRel = relative(ROOT, SHELLCHECK_CORPUS_DIR);
  const scCorpusFiles = generated.slice(0, scCount).map((f) => join(SHELLCHECK_CORPUS_DIR, f.name));
  let withShellcheck;
  const shellcheck = which("shellcheck");
  const scratch = mkdtempSync(join(tmpdir(), "drydock-bench-sc-"));
  try {
    const scriptDir = join(scratch, "scripts");
    mkdirSync(scriptDir);
    const scripts = shellcheck ? await writeShellScripts(scCorpusFiles, scriptDir) : [];
    if (!shellcheck) withShellcheck = { skipped: "shellcheck is not installed" };
    else if (scripts.length === 0) withShellcheck = { skipped: "buildShellScripts returned no scripts" };
    else {
      const batches = balancedBatches(scripts, cores);
      const batchFiles = batches.map((files, i) => {
        const path = join(scratch, `batch-${i}.txt`);
        writeFileSync(path, `${files.join("\n")}\n`);
        return path;
      });
      const shellcheckCommand = [quote(shellcheck), ...SHELLCHECK_ARGS.map(quote)].join(" ");
      const baselineScript = join(scratch, "shellcheck-alone.sh");
      writeFileSync(
        baselineScript,
        [
          "#!/bin/sh",
          `cd ${quote(scriptDir)} || exit 2`,
          ...batchFiles.map((path) => `xargs ${shellcheckCommand} < ${quote(path)} > /dev/null &`),
          "wait",
          "",
        ].join("\n"),
      );
      checkShellcheckBatch(`cd ${quote(scriptDir)} && xargs ${shellcheckCommand} < ${quote(batchFiles[0])}`);
      const drydockAuto = `node bin/drydock.js lint ${quote(scCorpusRel)} --shellcheck auto -f json -o /dev/null --no-fail`;
      const autoCheck = drydockFindings(scCorpusRel, "auto");
      const bytes = scripts.reduce((n, s) => n + s.length, 0);
      log();
      log(
        `2. with ShellCheck: the first ${scCount} files (${scCorpusRel}), ${scripts.length} RUN scripts (${(bytes / 1024).toFixed(0)} KiB); ` +
          `drydock: ${autoCheck.findings} findings, ${autoCheck.sc} from ShellCheck; baseline: ${batches.length} parallel shellcheck ` +
          `processes (${batches.map((b) => b.length).join(" + ")} scripts)`,
      );
      const [ddAuto, scAlone] = timeCommands(
        [
          { name: "drydock --shellcheck auto", command: drydockAuto },
          { name: "shellcheck alone (parallel batches)", command: `sh ${quote(baselineScript)}` },
        ],
        options,
      );
      withShellcheck = {
        files: scCount,
        scripts: scripts.length,
        processes: batches.length,
        drydock: ddAuto,
        shellcheckAlone: scAlone,
        ratio: ratio(ddAuto, scAlone),
        cpuRatio: cpuRatio(ddAuto, scAlone),
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
    drydockShellcheckAuto: shellcheck
      ? peakRss(
          `node bin/drydock.js lint ${quote(scCorpusRel)} --shellcheck auto -f json -o /dev/null --no-fail`,
        )
      : null,
    dockerfilelint: peakRss(dockerfilelint),
  };

  // --- report --------------------------------------------------------------------------------
  const verdict = (r, goal) => (r <= goal ? "meets" : "MISSES");
  const s = (t) => `${t.median.toFixed(3)} s ± ${t.stddev.toFixed(3)}`;
  const x = (r) => (r === null ? "n/a" : `${r}x`);
  const rows = [
    ["comparison", "drydock", "baseline", "ratio", "goal", "cpu ratio"],
    [
      `without ShellCheck (${stats.files} files)`,
      s(ddOff),
      `${s(dfl)} (dockerfilelint)`,
      `${withoutShellcheck.ratio}x`,
      `≤ ${GOALS.withoutShellcheck}x ${verdict(withoutShellcheck.ratio, GOALS.withoutShellcheck)}`,
      x(withoutShellcheck.cpuRatio),
    ],
  ];
  if (withShellcheck.skipped)
    rows.push(["with ShellCheck", "-", "-", "-", `skipped: ${withShellcheck.skipped}`, "-"]);
  else {
    rows.push([
      `with ShellCheck (${withShellcheck.files} files)`,
      s(withShellcheck.drydock),
      `${s(withShellcheck.shellcheckAlone)} (shellcheck alone)`,
      `${withShellcheck.ratio}x`,
      `≤ ${GOALS.withShellcheck}x ${verdict(withShellcheck.ratio, GOALS.withShellcheck)}`,
      x(withShellcheck.cpuRatio),
    ]);
  }
  log();
  log(table(rows));
  log();
  log(`rules: drydock ${ALL_RULES.length} + ShellCheck's SC checks; dockerfilelint ${dockerfilelintRules}`);
  const kib = (v) => (v === null ? "n/a" : `${(v / 1024).toFixed(0)} MiB`);
  log(
    `peak RSS: drydock ${kib(rss.drydockShellcheckOff)} (ShellCheck off), ${kib(rss.drydockShellcheckAuto)} (auto, ${scCount} files, node process only); dockerfilelint ${kib(rss.dockerfilelint)}`,
  );

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
