/**
 * drydock's library API. The `drydock` CLI is a thin layer over these functions: each command
 * is `fn(options) -> data`, and rendering is separate.
 */

export type { AdviceReport, AdviseOptions } from "./advise/advise.ts";
export { advise, parseArches } from "./advise/advise.ts";
export { CATALOG, CATALOG_DATE } from "./advise/data/catalog.ts";
export { detectProject } from "./advise/detect.ts";
export type { AdviseConstraints, StackAdvice } from "./advise/engine.ts";
export type { Arch, Detection, ProjectDetection, StackId } from "./advise/types.ts";
export type { AuditDockerfile, AuditLayer, AuditOptions, AuditResult } from "./audit/audit.ts";
export { audit, auditCaptureRules, auditLayers } from "./audit/audit.ts";
export type { CiThresholds } from "./audit/ci.ts";
export { DEFAULT_CI_THRESHOLDS } from "./audit/ci.ts";
export { loadAuditConfig } from "./audit/config.ts";
export type { CheckOptions, CheckReport, CheckSection, ImageCheck } from "./check/check.ts";
export { check, IMAGE_CHECKS } from "./check/check.ts";
export { loadLintConfig } from "./config/lint-config.ts";
export type { Dockerfile, Flag, Heredoc, Instruction, Stage } from "./dockerfile/parse.ts";
export { parseDockerfile } from "./dockerfile/parse.ts";
export type { ShellCommand } from "./dockerfile/shell.ts";
export { parseShell } from "./dockerfile/shell.ts";
export { DrydockError, UsageError } from "./errors.ts";
export type { GeneratedFiles, GenerateOptions } from "./generate/generate.ts";
export { generateDockerfile } from "./generate/generate.ts";
export type { InitOptions, InitResult, WriteOutcome } from "./generate/init.ts";
export { init, writeInit } from "./generate/init.ts";
export type { ImageHandle } from "./image/handle.ts";
export type { InspectLayer, InspectResult } from "./image/inspect.ts";
export { inspectImage } from "./image/inspect.ts";
export { mergeLayers } from "./image/merge.ts";
export { openImage, parseImageSpec } from "./image/open.ts";
export type { DefaultProviderOptions, ImageSourceProviders } from "./image/providers.ts";
export { defaultProviders } from "./image/providers.ts";
export type { LayerData } from "./image/read.ts";
export { readLayers } from "./image/read.ts";
export type { ImageReference } from "./image/reference.ts";
export { familiarName, formatReference, parseReference } from "./image/reference.ts";
export type { RegistryOptions } from "./image/registry/client.ts";
export type { RegistryPlatformEntry, RegistryPlatforms } from "./image/registry/provider.ts";
export { listRegistryPlatforms } from "./image/registry/provider.ts";
export type { ImageConfig, ImageManifest, Platform, ResolvedImage } from "./image/types.ts";
export { parsePlatform, platformString } from "./image/types.ts";
export type { RuleDetails, RuleExplanation, RuleInfo } from "./lint/catalog.ts";
export { explainRule, listRules } from "./lint/catalog.ts";
export type { FixOutcome, LintFileResult, LintOptions, LintReport } from "./lint/lint.ts";
export { lint, writeFixes } from "./lint/lint.ts";
export { ALL_RULES } from "./lint/rules/index.ts";
export type { LintSettings, ShellcheckMode } from "./lint/settings.ts";
export { defaultLintSettings } from "./lint/settings.ts";
export type { Finding, Fixer, Rule, Severity } from "./lint/types.ts";
export { renderInitText } from "./report/advise/init.ts";
export { renderAdviseText } from "./report/advise/text.ts";
export { renderAuditJson, renderDiveJson } from "./report/audit/json.ts";
export { renderAuditText } from "./report/audit/text.ts";
export { renderCheckText } from "./report/check/text.ts";
export { renderInspectText } from "./report/inspect/text.ts";
export type { LintFormat } from "./report/lint-report.ts";
export { LINT_FORMATS, renderLintReport } from "./report/lint-report.ts";
export { renderRuleExplanation, renderRuleList } from "./report/rules/text.ts";
export type { ScanFormat, ScanRenderOptions } from "./report/scan/index.ts";
export {
  COMPARE_FORMATS,
  isScanFormat,
  renderCompare,
  renderScan,
  SCAN_FORMATS,
} from "./report/scan/index.ts";
export type { SbomRequest } from "./sbom/api.ts";
export { sbom } from "./sbom/api.ts";
export type { RenderOptions as SbomRenderOptions, SbomFormat } from "./sbom/formats/index.ts";
export { isSbomFormat, renderSbom, SBOM_FORMATS } from "./sbom/formats/index.ts";
export type { SbomOptions, SbomPackage, SbomResult } from "./sbom/sbom.ts";
export { sbomCaptureRules, sbomDirectory, sbomImage } from "./sbom/sbom.ts";
export { VERSION } from "./version.ts";
export * from "./vuln/index.ts";
