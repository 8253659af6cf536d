/**
 * dive's `--json` export shape (cmd/dive/cli/internal/command/export/export.go), for scripts
 * written against dive: `{layer: [{index, id, digestId, sizeBytes, command, fileList}],
 * image: {sizeBytes, inefficientBytes, efficiencyScore, fileReference: [{count, sizeBytes, file}]}}`.
 * `fileList` is left empty: dive lists every tree node of every layer there.
 */
import type { AuditResult } from "../../audit/audit.ts";

export interface DiveExport {
  layer: Array<{
    index: number;
    id: string;
    digestId: string;
    sizeBytes: number;
    command: string;
    fileList: never[];
  }>;
  image: {
    sizeBytes: number;
    inefficientBytes: number;
    efficiencyScore: number;
    fileReference: Array<{ count: number; sizeBytes: number; file: string }>;
  };
}

export function diveExport(result: AuditResult): DiveExport {
  return {
    layer: result.layers.map((l) => ({
      index: l.index,
      id: l.digest.replace(/^sha256:/, ""),
      digestId: l.diffId,
      sizeBytes: l.sizeBytes,
      command: (l.createdBy ?? "").replace(/^\/bin\/sh -c /, ""),
      fileList: [],
    })),
    image: {
      sizeBytes: result.dive.sizeBytes,
      inefficientBytes: result.dive.wastedBytes,
      efficiencyScore: result.dive.efficiency,
      fileReference: result.dive.inefficiencies.map((i) => ({
        count: i.count,
        sizeBytes: i.cumulativeSize,
        file: i.path,
      })),
    },
  };
}

export function renderDiveJson(result: AuditResult): string {
  return `${JSON.stringify(diveExport(result), null, 2)}\n`;
}

export function renderAuditJson(result: AuditResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
