/**
 * Times `openImage` + `inspectImage` inside one Node process, without the CLI's start-up: what
 * the image code itself costs. Each run is a fresh process (no warm worker pool or page cache
 * advantage beyond the OS's), and reports wall and CPU time (user + system, all threads) from
 * after the imports to the end.
 *
 * Usage: node bench/image-read/in-process.mjs SOURCE [SOURCE...] [--runs N] [--dist DIR]...
 *   SOURCE: an image argument as `drydock inspect` takes it (docker-archive:…, oci:…, registry:…)
 *   --dist: the compiled sources to load (default dist/), e.g. a build of src/image alone;
 *           repeated, the builds run interleaved (A B A B …), so that load hits both alike.
 * Prints one line per run and the medians of each build and source.
 */
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

async function child(dist, source) {
  const { setFlagsFromString } = await import("node:v8");
  setFlagsFromString("--no-incremental-marking"); // as bin/drydock.js does
  const { openImage } = await import(pathToFileURL(resolve(dist, "image/open.js")).href);
  const { inspectImage } = await import(pathToFileURL(resolve(dist, "image/inspect.js")).href);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const handle = await openImage(source);
  const result = await inspectImage(handle);
  await handle.close?.();
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const rss = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(
    `${JSON.stringify({ wall, cpu: (cpu.user + cpu.system) / 1e6, rssMiB: rss, files: result.totals.files })}\n`,
  );
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function main(argv) {
  if (argv[0] === "--child") return child(argv[1], argv[2]);
  let runs = 5;
  const dists = [];
  const sources = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--runs") runs = Number(argv[++i]);
    else if (argv[i] === "--dist") dists.push(resolve(argv[++i]));
    else sources.push(argv[i]);
  }
  if (dists.length === 0) dists.push(resolve(ROOT, "dist"));
  for (const source of sources) {
    const results = dists.map(() => []);
    for (let run = 0; run < runs; run++) {
      for (const [d, dist] of dists.entries()) {
        const out = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--child", dist, source], {
          encoding: "utf8",
          maxBuffer: 1 << 20,
        });
        if (out.status !== 0)
          throw new Error(`${source}: ${out.stderr.trim().split("\n").slice(0, 3).join(" ")}`);
        const r = JSON.parse(out.stdout.trim().split("\n").pop());
        results[d].push(r);
        process.stdout.write(
          `${dist} ${source} run ${run + 1}: ${r.wall.toFixed(2)} s wall, ${r.cpu.toFixed(2)} s CPU, ${r.rssMiB.toFixed(0)} MiB, ${r.files} files\n`,
        );
      }
    }
    for (const [d, dist] of dists.entries()) {
      const rs = results[d];
      process.stdout.write(
        `median ${dist} ${source}: ${median(rs.map((r) => r.wall)).toFixed(2)} s wall, ${median(rs.map((r) => r.cpu)).toFixed(2)} s CPU, ${Math.max(...rs.map((r) => r.rssMiB)).toFixed(0)} MiB peak\n`,
      );
    }
  }
}

await main(process.argv.slice(2));
