const t0 = performance.now();
const { lint } = await import("../dist/lint/lint.js");
const t1 = performance.now();
console.log(`import lint.js ${(t1 - t0).toFixed(0)} ms`);
for (let i = 0; i < 4; i++) {
  const c0 = process.cpuUsage(); const s = performance.now();
  const r = await lint({ paths: ["bench/corpus/lint"], settings: { shellcheck: "off", noFail: true } });
  const c = process.cpuUsage(c0);
  console.log(`run ${i}: ${(performance.now() - s).toFixed(0)} ms wall, ${((c.user + c.system) / 1000).toFixed(0)} ms cpu, ${r.findings.length} findings`);
}
