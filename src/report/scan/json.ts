/**
 * `drydock scan -o json`: the scan result as data (schema `drydock-scan/1`), without the list of
 * every scanned package (its count stays): findings, ignored findings with what ignored them,
 * counts per severity, warnings. Comparisons: `drydock-scan-compare/1`.
 */
import type { CompareResult } from "../../vuln/compare.ts";
import type { ScanResult } from "../../vuln/scan.ts";

export function renderScanJson(result: ScanResult): string {
  const { packages, ...rest } = result;
  return `${JSON.stringify({ ...rest, packages: packages.length }, null, 2)}\n`;
}

export function renderCompareJson(result: CompareResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
