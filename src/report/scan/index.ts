/** Renderers of `drydock scan` results, by format name. */
import type { CompareResult } from "../../vuln/compare.ts";
import type { ScanResult } from "../../vuln/scan.ts";
import { renderScanCycloneDx } from "./cyclonedx.ts";
import type { ScanFormat } from "./formats.ts";
import { renderCompareJson, renderScanJson } from "./json.ts";
import { renderCompareMarkdown, renderScanMarkdown } from "./markdown.ts";
import { renderScanSarif } from "./sarif.ts";
import { renderCompareText, renderScanText } from "./table.ts";

export { COMPARE_FORMATS, isScanFormat, SCAN_FORMATS, type ScanFormat } from "./formats.ts";

export interface ScanRenderOptions {
  color: boolean;
  version: string;
  timestamp: Date;
  showIgnored?: boolean;
}

export function renderScan(result: ScanResult, format: ScanFormat, options: ScanRenderOptions): string {
  switch (format) {
    case "table":
      return renderScanText(result, {
        color: options.color,
        ...(options.showIgnored ? { showIgnored: true } : {}),
      });
    case "json":
      return renderScanJson(result);
    case "sarif":
      return renderScanSarif(result, { version: options.version });
    case "cyclonedx-json":
      return renderScanCycloneDx(result, { version: options.version, timestamp: options.timestamp });
    case "markdown":
      return renderScanMarkdown(result);
  }
}

/** Comparisons render as table, JSON or markdown; other formats describe one scan. */
export function renderCompare(result: CompareResult, format: ScanFormat, options: ScanRenderOptions): string {
  if (format === "json") return renderCompareJson(result);
  if (format === "markdown") return renderCompareMarkdown(result);
  return renderCompareText(result, { color: options.color });
}
