/**
 * Vulnerability database benchmark: 300,000 synthetic OSV records of realistic shapes
 * (bench/vuln/corpus.mjs: per-ecosystem all.zip files) imported with `drydock db import`, then
 * a CycloneDX SBOM of 2,000 packages scanned against them with `drydock scan sbom:FILE`.
 *
 * Goals (issue 7): import < 60 s and the database < 1 GB on disk; the scan < 1 s after
 * start-up. "After start-up" is measured two ways: in process (the `scan()` call of the built
 * library, module loading excluded) and as the CLI's wall time minus that of `drydock --version`
 * (Node start-up and module loading).
 *
 * Usage: npm run bench:vuln [-- --records N --packages N --seed N --runs N --keep --check]
 * Writes bench/results/vuln.json. The corpus stays in bench/corpus/vuln/ for the next run (both
 * gitignored); the database is removed unless --keep.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { DEFAULT_PACKAGES, DEFAULT_RECORDS, DEFAULT_SEED, writeCorpus, writeSbom } from "./corpus.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CORPUS = join(ROOT, "bench/corpus/vuln");
const RESULTS = join(ROOT, "bench/results");
const GOALS = { importSeconds: 60, dbBytes: 1_000_000_000, scanSeconds: 1 };
const MB = 1_000_000;

function parseArgs(argv) {
  const options = {
    records: DEFAULT_RECORDS,
    packages: DEFAULT_PACKAGES,
    seed: DEFAULT_SEED,
    runs: 3,
    keep: false,
    check: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => Number(argv[++i]);
    if (arg === "--records") options.records = value();
    else if (arg === "--packages") options.packages = value();
    else if (arg === "--seed") options.seed = value();
    else if (arg === "--runs") options.runs = value();
    else if (arg === "--keep") options.keep = true;
    else if (arg === "--check") options.check = true;
    else throw new Error(`unknown option ${arg}`);
  }
  return options;
}

/** Builds dist/ when it is missing or older than src/. */
function ensureBuilt() {
  const newest = (dir) =>
    readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
      const p = join(dir, e.name);
      return Math.max(m, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
    }, 0);
  const built = join(ROOT, "dist/cli/main.js");
  if (existsSync(built) && statSync(built).mtimeMs >= newest(join(ROOT, "src"))) return;
  console.log("building dist/ ...");
  const result = spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
  if (result.status !== 0) throw new Error("npm run build failed");
}

/**
 * Runs the CLI under /usr/bin/time when present; returns wall seconds, CPU seconds (user +
 * system, all threads) and peak RSS.
 */
function timed(args) {
  const withTime = existsSync("/usr/bin/time");
  const command = withTime ? "/usr/bin/time" : process.execPath;
  const argv = withTime
    ? ["-f", "%U %S %M", process.execPath, join(ROOT, "bin/drydock.js"), ...args]
    : [join(ROOT, "bin/drydock.js"), ...args];
  const start = process.hrtime.bigint();
  const result = spawnSync(command, argv, { cwd: ROOT, encoding: "utf8", maxBuffer: 256 * MB });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0 && result.status !== 2)
    throw new Error(`drydock ${args.join(" ")} failed (${result.status}):\n${result.stderr.slice(-2000)}`);
  const [user, system, rssKiB] = withTime
    ? result.stderr.trim().split("\n").pop().split(" ").map(Number)
    : [];
  return {
    seconds,
    cpuSeconds: withTime ? user + system : undefined,
    rssBytes: rssKiB ? rssKiB * 1024 : undefined,
    stdout: result.stdout,
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (s) => `${s.toFixed(2)} s`;

async function main() {
  const options = parseArgs(process.argv.slice(2));
  ensureBuilt();
  mkdirSync(RESULTS, { recursive: true });
  // The corpus is kept between runs (gitignored) and made again when its parameters change.
  const manifestPath = join(CORPUS, "manifest.json");
  const params = { records: options.records, packages: options.packages, seed: options.seed, generator: 2 };
  let manifest = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, "utf8")) : undefined;
  if (
    JSON.stringify(manifest?.params) !== JSON.stringify(params) ||
    !manifest.corpus.zips.every((z) => existsSync(z.path))
  ) {
    rmSync(CORPUS, { recursive: true, force: true });
    mkdirSync(CORPUS, { recursive: true });
    console.log(`generating ${options.records.toLocaleString("en")} records ...`);
    const start = process.hrtime.bigint();
    const corpus = writeCorpus(CORPUS, { records: options.records, seed: options.seed });
    const sbom = writeSbom(join(CORPUS, "sbom.cdx.json"), { count: options.packages, seed: options.seed });
    manifest = { params, corpus, sbom, generateSeconds: Number(process.hrtime.bigint() - start) / 1e9 };
    writeFileSync(manifestPath, JSON.stringify(manifest));
  }
  const { corpus, sbom, generateSeconds } = manifest;
  const sbomPath = join(CORPUS, "sbom.cdx.json");
  let t;
  const zipBytes = corpus.zips.reduce((n, z) => n + z.bytes, 0);

  const dbPath = join(CORPUS, "vuln.db");
  rmSync(dbPath, { force: true });
  console.log("importing ...");
  const imported = timed(["db", "import", "--db", dbPath, ...corpus.zips.map((z) => z.path)]);
  const dbBytes = statSync(dbPath).size;

  // Scan: in process (module loading excluded) and through the CLI.
  const api = await import(pathToFileURL(join(ROOT, "dist/index.js")).href);
  const inProcess = [];
  let findings = 0;
  for (let i = 0; i < options.runs; i++) {
    t = process.hrtime.bigint();
    const result = await api.scan({ target: `sbom:${sbomPath}`, cwd: ROOT, dbPath, noteEcosystems: false });
    inProcess.push(Number(process.hrtime.bigint() - t) / 1e9);
    findings = result.findings.length;
  }
  const startup = [];
  const startupCpu = [];
  const cli = [];
  const cliCpu = [];
  let scanRss;
  for (let i = 0; i < options.runs; i++) {
    const version = timed(["--version"]);
    startup.push(version.seconds);
    startupCpu.push(version.cpuSeconds ?? Number.NaN);
    const run = timed(["scan", `sbom:${sbomPath}`, "--db", dbPath, "-o", "json"]);
    cli.push(run.seconds);
    cliCpu.push(run.cpuSeconds ?? Number.NaN);
    scanRss = run.rssBytes;
  }
  const cliAfterStartup = Math.max(0, median(cli) - median(startup));
  // On a shared machine wall time mostly measures the neighbours; CPU time (all threads, so
  // at least the wall time of an idle machine for this single-threaded work) does not.
  const cliCpuAfterStartup = Math.max(0, median(cliCpu) - median(startupCpu));

  const figures = {
    date: new Date().toISOString(),
    machine: {
      cpus: availableParallelism(),
      model: cpus()[0]?.model,
      memoryBytes: totalmem(),
      load: loadavg(),
      node: process.version,
    },
    corpus: {
      records: corpus.records,
      jsonBytes: corpus.jsonBytes,
      zipBytes,
      generateSeconds,
      ecosystems: corpus.zips.map(({ ecosystem, records }) => ({ ecosystem, records })),
    },
    import: {
      seconds: imported.seconds,
      cpuSeconds: imported.cpuSeconds,
      peakRssBytes: imported.rssBytes,
      dbBytes,
      recordsPerSecond: corpus.records / imported.seconds,
    },
    scan: {
      packages: sbom.packages,
      findings,
      inProcessSeconds: inProcess,
      cliSeconds: cli,
      startupSeconds: startup,
      cliAfterStartupSeconds: cliAfterStartup,
      cliCpuSeconds: cliCpu,
      startupCpuSeconds: startupCpu,
      cliCpuAfterStartupSeconds: cliCpuAfterStartup,
      peakRssBytes: scanRss,
    },
    goals: GOALS,
  };
  writeFileSync(join(RESULTS, "vuln.json"), `${JSON.stringify(figures, null, 2)}\n`);

  const pass = {
    import: imported.seconds < GOALS.importSeconds,
    size: dbBytes < GOALS.dbBytes,
    scan:
      median(inProcess) < GOALS.scanSeconds &&
      (Number.isNaN(cliCpuAfterStartup) ? cliAfterStartup : cliCpuAfterStartup) < GOALS.scanSeconds,
  };
  const mark = (ok) => (ok ? "ok" : "MISSED");
  console.log("");
  console.log(
    `corpus      ${corpus.records.toLocaleString("en")} records, ${(corpus.jsonBytes / MB).toFixed(0)} MB of JSON in ${(zipBytes / MB).toFixed(0)} MB of zips (generated in ${fmt(generateSeconds)})`,
  );
  console.log(
    `import      ${fmt(imported.seconds)} (${Math.round(corpus.records / imported.seconds).toLocaleString("en")} records/s, ${imported.cpuSeconds !== undefined ? `${fmt(imported.cpuSeconds)} of CPU, ` : ""}peak RSS ${imported.rssBytes ? `${(imported.rssBytes / MB).toFixed(0)} MB` : "n/a"})  goal < ${GOALS.importSeconds} s: ${mark(pass.import)}`,
  );
  console.log(`database    ${(dbBytes / MB).toFixed(0)} MB on disk  goal < 1 GB: ${mark(pass.size)}`);
  console.log(
    `scan        ${sbom.packages} packages, ${findings} findings: ${fmt(median(inProcess))} in process; CLI ${fmt(median(cli))} wall (${fmt(median(startup))} start-up) => ${fmt(cliAfterStartup)} after start-up, ${fmt(cliCpuAfterStartup)} of CPU  goal < 1 s: ${mark(pass.scan)}`,
  );
  console.log(
    `machine     ${availableParallelism()} CPUs, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}; results in bench/results/vuln.json`,
  );
  if (!options.keep) rmSync(dbPath, { force: true });
  if (options.check && !(pass.import && pass.size && pass.scan)) process.exitCode = 1;
}

await main();
