import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "vitest";
import { advise } from "../advise.ts";
import { generateDockerfile } from "../../generate/generate.ts";
import { lint } from "../../lint/lint.ts";
const dirs = (process.env.DIRS ?? "").split(",");
test.skipIf(!process.env.DIRS)("x", async () => {
  for (const d of dirs) {
    const r = await advise({ dir: `src/advise/__fixtures__/${d}`, date: "2026-08-22", ...(process.env.OPTS ? JSON.parse(process.env.OPTS) : {}) });
    const g = generateDockerfile(r.detection, r.advice);
    const tmp = mkdtempSync(join(tmpdir(), "gen-"));
    cpSync(`src/advise/__fixtures__/${d}`, tmp, { recursive: true });
    writeFileSync(join(tmp, "Dockerfile"), g.dockerfile);
    writeFileSync(join(tmp, ".dockerignore"), g.dockerignore);
    const report = await lint({ paths: [join(tmp, "Dockerfile")], settings: { shellcheck: "auto" } });
    if (process.env.SHOW) console.log(`===== ${d}\n${g.dockerfile}\nnotes: ${g.notes.join(" | ")}`);
    console.log(`## ${d}: ${report.findings.map((f) => `${f.line} ${f.level} ${f.code} ${f.message}`).join("\n   ") || "clean"}`);
  }
});
