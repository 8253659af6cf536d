const api = await import("./dist/index.js");
const dir = "bench/corpus/vuln";
for (let i = 0; i < 4; i++) {
  const t = Date.now();
  const r = await api.scan({
    target: "sbom:" + dir + "/sbom.cdx.json",
    cwd: process.cwd(),
    dbPath: dir + "/vuln.db",
    noteEcosystems: false,
  });
  console.log(r.findings.length, Date.now() - t);
}
