import { readFileSync } from "node:fs";

const { VulnStore } = await import("./dist/vuln/db/store.js");
const { readSbomDocument } = await import("./dist/vuln/sbom-input.js");
const { matchTarget } = await import("./dist/vuln/match/targets.js");
const { evaluate } = await import("./dist/vuln/match/evaluate.js");
const { collectScores } = await import("./dist/vuln/severity/severity.js");
const dir = "bench/corpus/vuln";
let t = Date.now();
const input = readSbomDocument(readFileSync(dir + "/sbom.cdx.json", "utf8"), "x");
console.log("sbom", Date.now() - t);
t = Date.now();
const store = VulnStore.open(dir + "/vuln.db");
const known = store.ecosystems().map((e) => e.name);
const targets = input.packages.map((p) => matchTarget(p, input.distro, known));
console.log("targets", Date.now() - t);
t = Date.now();
const rows = [];
let nrows = 0;
for (const tg of targets) {
  if (!tg) continue;
  for (const e of tg.ecosystems)
    for (const n of tg.names) {
      const r = store.affected(e, n);
      nrows += r.length;
      rows.push([tg, r]);
    }
}
console.log("affected queries", nrows, Date.now() - t);
t = Date.now();
const hits = [];
for (const [tg, rs] of rows)
  for (const r of rs) {
    const o = evaluate(r.data, tg.version, tg.scheme);
    if (o.affected) hits.push(r.vuln);
  }
console.log("evaluate", hits.length, Date.now() - t);
t = Date.now();
store.load(hits);
console.log("load", Date.now() - t);
t = Date.now();
let ns = 0;
for (const h of hits) {
  const v = store.vuln(h);
  ns += collectScores([{ record: v.id, severity: v.severity }]).length;
}
console.log("scores", ns, Date.now() - t);
t = Date.now();
