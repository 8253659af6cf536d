/** The `drydock scan -o` format names, apart from the renderers so the CLI's help loads nothing else. */
export const SCAN_FORMATS = ["table", "json", "sarif", "cyclonedx-json", "markdown"] as const;
export type ScanFormat = (typeof SCAN_FORMATS)[number];
export const COMPARE_FORMATS: readonly ScanFormat[] = ["table", "json", "markdown"];

export function isScanFormat(name: string): name is ScanFormat {
  return (SCAN_FORMATS as readonly string[]).includes(name);
}
