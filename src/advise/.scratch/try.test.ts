import { test } from "vitest";
import { advise } from "../advise.ts";
const dirs = (process.env.DIRS ?? "").split(",");
test.skipIf(!process.env.DIRS)("x", async () => {
  for (const d of dirs) {
    try {
      const r = await advise({ dir: `src/advise/__fixtures__/${d}`, date: "2026-08-22", ...(process.env.OPTS ? JSON.parse(process.env.OPTS) : {}) });
      const det = r.detection;
      console.log(`== ${d}: ${det.stack} ${det.runtime.line} [${det.runtime.reason}] pm=${det.packageManager.name}${det.packageManager.variant ? "/" + det.packageManager.variant : ""} lock=${det.packageManager.lockfile} fw=${det.framework?.name} start=${JSON.stringify(det.start?.argv)} port=${det.port?.value}(${det.port?.source.file})\n  native: ${det.native.map(n=>n.note).join(" | ")}\n  notes: ${det.notes.join(" | ")}\n  builder=${r.advice.builder.image} runtime=${r.advice.runtime.image} debug=${r.advice.debug.image}\n  rr: ${r.advice.runtime.reasons.map(x=>x.text).join(" | ")}\n  rejected: ${r.advice.rejected.map(x=>`${x.image}: ${x.why}`).join(" | ")}\n  alts: ${r.advice.alternatives.map(a=>`${a.labels} ${a.image}`).join(" | ")}\n  poly: ${r.project.polyglot?.reason ?? ""} mono: ${JSON.stringify(r.project.monorepo ?? "")}\n  app: ${JSON.stringify(det.app)}`);
    } catch (e) { console.log(d, "ERROR", (e as Error).message, (e as any).hint ?? ""); }
  }
});
