/** The vulnerability scanning API: database (import, update, status), scan, compare, ignores. */

export type { CompareResult } from "./compare.ts";
export { compareScans } from "./compare.ts";
export type { DbProgress, ImportOptions, ImportResult } from "./db/import.ts";
export { importIntoDb, isUrl } from "./db/import.ts";
export type { DbStatus } from "./db/status.ts";
export { dbStatus, STALE_AFTER_DAYS } from "./db/status.ts";
export type { EcosystemUpdate, UpdateOptions, UpdateResult } from "./db/update.ts";
export { DEFAULT_OSV_BASE_URL, feedUrl, updateDb } from "./db/update.ts";
export type { IgnoredFinding, IgnoreFiles, IgnoreSet } from "./ignore/apply.ts";
export { applyIgnores, loadIgnores } from "./ignore/apply.ts";
export type { GateOptions, ScanOptions, ScanResult } from "./scan.ts";
export { FAIL_ON_EXIT_CODE, gateExitCode, gatingFindings, scan } from "./scan.ts";
export type { Severity as VulnSeverity, SeverityLevel } from "./severity/severity.ts";
export { isSeverityLevel, SEVERITY_LEVELS } from "./severity/severity.ts";
export type { DistroRelease, Finding as VulnFinding, ScanPackage } from "./types.ts";
