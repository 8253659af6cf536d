const t0 = Date.now();
const api = await import("./dist/index.js");
const t1 = Date.now();
const dir = "bench/corpus/vuln";
const r = await api.scan({
  target: "sbom:" + dir + "/sbom.cdx.json",
  cwd: process.cwd(),
  dbPath: dir + "/vuln.db",
  noteEcosystems: false,
});
const t2 = Date.now();
const text = api.renderScan(r, "json", { color: false, version: "x", timestamp: new Date() });
const t3 = Date.now();
const table = api.renderScan(r, "table", { color: false, version: "x", timestamp: new Date() });
const t4 = Date.now();
console.log({
  load: t1 - t0,
  scan: t2 - t1,
  json: t3 - t2,
  jsonMB: (text.length / 1e6).toFixed(1),
  table: t4 - t3,
});
