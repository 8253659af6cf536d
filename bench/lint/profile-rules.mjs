/**
 * Where drydock's lint time goes, in-process: parsing, the shared RUN analysis, each rule's
 * check() and each fixer's fix() over the whole corpus (run `npm run bench:lint` first, or
 * `node bench/lint/corpus.mjs`, to have the corpus). Mirrors the loop of analyze() in
 * src/lint/engine.ts so the numbers add up to what `drydock lint` spends in analyze.
 *
 * Usage: node bench/lint/profile-rules.mjs [corpus dir] [--top N] [--cold]
 * For a flame view of a real run: node --cpu-prof bin/drydock.js lint bench/corpus/lint --shellcheck off -f json -o /dev/null
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { DEFAULT_DIR } from "./corpus.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const dist = (path) => import(pathToFileURL(join(ROOT, "dist", path)).href);

const args = process.argv.slice(2).filter((a) => a !== "--cold");
/** --cold: also print the first pass (cold JIT, as in one CLI run), not only the warm one. */
const cold = process.argv.includes("--cold");
const topIndex = args.indexOf("--top");
const top = topIndex >= 0 ? Number(args.splice(topIndex, 2)[1]) : 15;
const dir = args[0] ?? DEFAULT_DIR;

const { parseDockerfile } = await dist("dockerfile/parse.js");
const { collectRuns } = await dist("lint/run-info.js");
const { ALL_RULES } = await dist("lint/rules/index.js");
const { ALL_FIXERS } = await dist("lint/fixes/index.js");
const fixers = new Map(ALL_FIXERS.map((f) => [f.code, f]));

const sources = readdirSync(dir)
  .filter((n) => n.endsWith(".Dockerfile"))
  .sort()
  .map((n) => readFileSync(join(dir, n), "utf8"));
const settings = { trustedRegistries: [], labelSchema: {}, strictLabels: false };
const context = { dir: null, readFile: () => null };

const ms = (start) => Number(process.hrtime.bigint() - start) / 1e6;
const totals = new Map();
const add = (key, t) => totals.set(key, (totals.get(key) ?? 0) + t);

// Two passes: the first warms up the JIT, the second is measured.
for (const pass of [0, 1]) {
  totals.clear();
  for (const source of sources) {
    let start = process.hrtime.bigint();
    const dockerfile = parseDockerfile(source);
    add("parse", ms(start));
    start = process.hrtime.bigint();
    const runs = collectRuns(dockerfile);
    add("collectRuns (shell split)", ms(start));
    const ctx = { dockerfile, settings, context, runs };
    for (const rule of ALL_RULES) {
      start = process.hrtime.bigint();
      let hits = [];
      try {
        hits = rule.check(ctx);
      } catch {
        add(`CRASH ${rule.code}`, 0);
      }
      add(`rule ${rule.code}`, ms(start));
      const fixer = fixers.get(rule.code);
      if (!fixer) continue;
      start = process.hrtime.bigint();
      for (const hit of hits) {
        try {
          fixer.fix(ctx, { code: rule.code, line: hit.line, message: hit.message ?? rule.message });
        } catch {
          add(`CRASH fix ${rule.code}`, 0);
        }
      }
      add(`fix ${rule.code}`, ms(start));
    }
  }
  if (pass === 0 && !cold) continue;
  console.log(pass === 0 ? "first pass (cold):" : "second pass (warm):");
  const sum = [...totals.values()].reduce((a, b) => a + b, 0);
  const rules = [...totals].filter(([k]) => k.startsWith("rule ")).reduce((a, [, v]) => a + v, 0);
  const fixes = [...totals].filter(([k]) => k.startsWith("fix ")).reduce((a, [, v]) => a + v, 0);
  console.log(
    `${sources.length} files, ${ALL_RULES.length} rules, ${ALL_FIXERS.length} fixers: ${sum.toFixed(0)} ms in total`,
  );
  console.log(
    `  parse ${totals.get("parse").toFixed(0)} ms, collectRuns ${totals.get("collectRuns (shell split)").toFixed(0)} ms, rules ${rules.toFixed(0)} ms, fixers ${fixes.toFixed(0)} ms`,
  );
  console.log(`top ${top}:`);
  for (const [key, t] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`  ${t.toFixed(1).padStart(8)} ms  ${((100 * t) / sum).toFixed(1).padStart(5)}%  ${key}`);
  }
  const crashes = [...totals.keys()].filter((k) => k.startsWith("CRASH"));
  if (crashes.length > 0) console.log(`crashed: ${crashes.join(", ")}`);
}
