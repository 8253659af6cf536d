/**
 * `drydock check`: the main job in one command. Detects the project and advises images, lints
 * every Dockerfile in it (or, when there is none, the Dockerfile `drydock init` would write),
 * compares the Dockerfiles' final base images with the advice, and, when an image is given,
 * runs the image checks (`inspect` and `audit` today; SBOM and vulnerability scan register in
 * IMAGE_CHECKS when they exist). The report is a list of sections with a status each, so new
 * checks add sections without changing the shape; the exit status follows the lint threshold.
 */
import { readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { type AdviceReport, type AdviseOptions, advise } from "../advise/advise.ts";
import { describeCandidates, detectProject, today } from "../advise/detect.ts";
import type { StackAdvice } from "../advise/engine.ts";
import type { Detection, ProjectDetection } from "../advise/types.ts";
import { audit } from "../audit/audit.ts";
import { parseDockerfile } from "../dockerfile/parse.ts";
import { DrydockError, UsageError } from "../errors.ts";
import { generateDockerfile } from "../generate/generate.ts";
import { lintGenerated } from "../generate/lint-generated.ts";
import type { ImageHandle } from "../image/handle.ts";
import { type InspectResult, inspectImage } from "../image/inspect.ts";
import { openImage } from "../image/open.ts";
import { findDockerfiles } from "../lint/files.ts";
import { type LintReport, lint } from "../lint/lint.ts";
import type { LintSettings } from "../lint/settings.ts";
import type { Finding, Severity } from "../lint/types.ts";

export type SectionStatus = "ok" | "warn" | "fail" | "skipped" | "unavailable";

export interface CheckSection {
  id: string;
  title: string;
  status: SectionStatus;
  /** One line. */
  summary: string;
  /** Further lines (reasons, findings, hints). */
  details: string[];
}

export interface ImageCheckResult {
  status: SectionStatus;
  summary: string;
  details: string[];
  data?: unknown;
}

/** A check that reads an opened image. audit/sbom/scan register here when they exist. */
export interface ImageCheck {
  id: string;
  title: string;
  run(handle: ImageHandle): Promise<ImageCheckResult>;
}

export const IMAGE_CHECKS: ImageCheck[] = [
  {
    id: "inspect",
    title: "Image",
    async run(handle) {
      const result = await inspectImage(handle);
      return { ...inspectSummary(result), data: result };
    },
  },
  {
    id: "audit",
    title: "Audit",
    async run(handle) {
      const result = await audit(handle, { top: 3 });
      const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
      const secrets = result.secrets.length;
      const wasted = result.corrected.userReclaimableBytes;
      return {
        status: secrets > 0 || wasted > 10e6 ? "warn" : "ok",
        summary: `${mb(result.corrected.finalBytes)} visible, ${mb(wasted)} reclaimable by a Dockerfile change, ${secrets} secret${secrets === 1 ? "" : "s"}`,
        details: [
          ...result.secrets.slice(0, 3).map((f) => `secret: ${f.title} in ${f.path} (layer ${f.layer + 1})`),
          ...result.suggestions.slice(0, 3).map((s) => s.message),
          "details: drydock audit",
        ],
        data: { corrected: result.corrected, secrets: result.secrets, suggestions: result.suggestions },
      };
    },
  },
];

/** Image checks drydock plans but does not have yet: listed as unavailable so the report says so. */
export const PLANNED_IMAGE_CHECKS: { id: string; title: string }[] = [
  { id: "sbom", title: "SBOM" },
  { id: "scan", title: "Vulnerabilities" },
];

export interface CheckOptions extends AdviseOptions {
  /** An image to check (any `drydock inspect` source). */
  image?: string;
  lintSettings?: Partial<LintSettings>;
  /** PATH to find shellcheck on. */
  shellcheckPath?: string;
  /** Image checks to run (default IMAGE_CHECKS); tests and future commands pass their own. */
  imageChecks?: ImageCheck[];
  openImage?: (reference: string) => Promise<ImageHandle>;
}

export interface CheckReport {
  dir: string;
  path: string;
  date: string;
  project: Omit<ProjectDetection, "dir" | "primary" | "detections"> & { stacks: string[] };
  detection?: Detection;
  advice?: StackAdvice;
  /** The Dockerfiles linted: the project's, or the one `drydock init` would write. */
  dockerfiles: { source: "project" | "generated"; files: string[] };
  lint: Pick<LintReport, "findings" | "failed" | "shellcheck"> & {
    counts: Record<Exclude<Severity, "ignore">, number>;
    files: { file: string; findings: number }[];
  };
  image?: { reference: string; results: Record<string, unknown> };
  sections: CheckSection[];
  /** True when lint findings reach the failure threshold (exit status 1). */
  failed: boolean;
}

export async function check(options: CheckOptions = {}): Promise<CheckReport> {
  const cwd = options.cwd ?? ".";
  const dir = options.dir ?? ".";
  const date = options.date ?? today();
  const project = detectProject({ dir, cwd, date, ...(options.path ? { path: options.path } : {}) });
  const appDir = project.dir;
  const sections: CheckSection[] = [];

  let report: AdviceReport | undefined;
  if (project.primary) {
    report = await advise({ ...options, dir, cwd, date });
    sections.push(detectSection(report), adviceSection(report));
  } else {
    sections.push(noProjectSection(project, dir));
  }

  // Lint: the project's Dockerfiles, or the generated one when there is none.
  const dockerfiles = await findDockerfiles([appDir]);
  let lintReport: LintReport;
  let source: "project" | "generated";
  if (dockerfiles.length > 0) {
    source = "project";
    lintReport = await lint({
      paths: dockerfiles.map((f) => shownPath(f, cwd)),
      cwd,
      settings: { shellcheck: "auto", ...options.lintSettings },
      ...(options.shellcheckPath !== undefined
        ? { shellcheckOptions: { path: options.shellcheckPath } }
        : {}),
    });
    if (report) sections.push(baseImageSection(report, dockerfiles, cwd));
  } else if (report) {
    source = "generated";
    const generated = generateDockerfile(report.detection, report.advice);
    lintReport = await lintGenerated({
      dir: appDir,
      dockerfile: generated.dockerfile,
      dockerignore: generated.dockerignore,
      name: "Dockerfile (proposed by drydock init)",
      ...(options.lintSettings ? { settings: options.lintSettings } : {}),
      ...(options.shellcheckPath !== undefined ? { path: options.shellcheckPath } : {}),
    });
  } else if (project.monorepo && project.monorepo.candidates.length > 0) {
    const { candidates, tool } = project.monorepo;
    throw new UsageError(
      `${dir} holds ${candidates.length} apps${tool ? ` (${tool})` : ""} and no Dockerfile: ${describeCandidates(candidates)}`,
      `pick one with --path ${candidates[0]!.path}`,
    );
  } else {
    throw new UsageError(`nothing to check in ${dir}: no project files and no Dockerfile`);
  }
  sections.push(lintSection(lintReport, source));

  const result: CheckReport = {
    dir,
    path: project.path,
    date,
    project: projectSummary(project),
    ...(report ? { detection: report.detection, advice: report.advice } : {}),
    dockerfiles: { source, files: lintReport.files.map((f) => f.file) },
    lint: {
      findings: lintReport.findings,
      failed: lintReport.failed,
      shellcheck: lintReport.shellcheck,
      counts: countFindings(lintReport.findings),
      files: lintReport.files.map((f) => ({ file: f.file, findings: f.findings.length })),
    },
    sections,
    failed: lintReport.failed,
  };

  if (options.image) {
    const open = options.openImage ?? ((reference: string) => openImage(reference));
    const handle = await open(options.image);
    const results: Record<string, unknown> = {};
    try {
      for (const imageCheck of options.imageChecks ?? IMAGE_CHECKS) {
        try {
          const outcome = await imageCheck.run(handle);
          results[imageCheck.id] = outcome.data;
          sections.push({
            id: imageCheck.id,
            title: imageCheck.title,
            status: outcome.status,
            summary: outcome.summary,
            details: outcome.details,
          });
        } catch (error) {
          if (!(error instanceof DrydockError)) throw error;
          sections.push({
            id: imageCheck.id,
            title: imageCheck.title,
            status: "fail",
            summary: error.message,
            details: [],
          });
        }
      }
    } finally {
      await handle.close?.();
    }
    const present = new Set((options.imageChecks ?? IMAGE_CHECKS).map((c) => c.id));
    for (const planned of PLANNED_IMAGE_CHECKS.filter((p) => !present.has(p.id))) {
      sections.push({
        id: planned.id,
        title: planned.title,
        status: "unavailable",
        summary: `not available in this drydock version`,
        details: [],
      });
    }
    result.image = { reference: options.image, results };
  }
  return result;
}

function projectSummary(project: ProjectDetection): CheckReport["project"] {
  const { dir: _dir, primary: _primary, detections, ...rest } = project;
  return { ...rest, stacks: detections.map((d) => d.stack) };
}

function where(evidence: { file: string; line?: number } | undefined): string {
  return evidence ? `${evidence.file}${evidence.line ? `:${evidence.line}` : ""}` : "";
}

function detectSection(report: AdviceReport): CheckSection {
  const d = report.detection;
  const parts = [
    `${d.language} ${d.runtime.line}${d.runtime.from ? ` (${where(d.runtime.from.source)})` : " (default)"}`,
    packageSummary(d),
    ...(d.framework ? [d.framework.name] : []),
    ...(d.port ? [`port ${d.port.value}`] : []),
    ...(d.native.length > 0
      ? [`${d.native.length} native ${d.native.length === 1 ? "dependency" : "dependencies"}`]
      : []),
  ];
  const details = [
    ...(report.project.polyglot ? [report.project.polyglot.reason] : []),
    ...(report.path !== "." ? [`app folder: ${report.path}`] : []),
  ];
  details.push(...d.notes);
  if (d.runtime.endOfLife)
    details.unshift(`${d.language} ${d.runtime.line} reached end of life on ${d.runtime.eol}`);
  const status: SectionStatus = d.runtime.endOfLife || d.notes.length > 0 ? "warn" : "ok";
  return { id: "detect", title: "Project", status, summary: parts.join(", "), details };
}

/** `pip (requirements.txt)`, `npm + package-lock.json`, `go modules`. */
export function packageSummary(d: Detection): string {
  const pm = d.packageManager;
  if (pm.lockfile) return `${pm.name} + ${pm.lockfile}`;
  return pm.source.file && pm.source.file !== "(none)" ? `${pm.name} (${pm.source.file})` : pm.name;
}

function adviceSection(report: AdviceReport): CheckSection {
  const a = report.advice;
  // The detection notes are in the Project section; here only the image warnings.
  const warnings = a.warnings.filter((w) => !report.detection.notes.includes(w));
  return {
    id: "advice",
    title: "Base images",
    status: warnings.length > 0 ? "warn" : "ok",
    summary: `run on ${a.runtime.image}, build on ${a.builder.image}`,
    details: [
      ...a.runtime.reasons.slice(1, 3).map((r) => r.text),
      ...warnings,
      "details: drydock advise; a Dockerfile: drydock init",
    ],
  };
}

function noProjectSection(project: ProjectDetection, dir: string): CheckSection {
  if (project.monorepo && project.monorepo.candidates.length > 0) {
    return {
      id: "detect",
      title: "Project",
      status: "warn",
      summary: `${project.monorepo.candidates.length} apps${project.monorepo.tool ? ` (${project.monorepo.tool})` : ""}: ${describeCandidates(project.monorepo.candidates)}`,
      details: [`pick one for advice: drydock check ${dir} --path ${project.monorepo.candidates[0]!.path}`],
    };
  }
  return {
    id: "detect",
    title: "Project",
    status: "skipped",
    summary: "no supported project files",
    details: [],
  };
}

/** The image repository and its variant: `python:3.12-slim-trixie` → python, slim. */
export function imageFamily(reference: string): { repository: string; variant: string; version: string } {
  const ref = reference.split("@")[0]!;
  const colon = ref.lastIndexOf(":");
  const hasTag = colon > ref.lastIndexOf("/");
  const repository = (hasTag ? ref.slice(0, colon) : ref).replace(/^(docker\.io\/)?(library\/)?/, "");
  const tag = hasTag ? ref.slice(colon + 1) : "latest";
  const version = /^v?\d+(?:\.\d+)*/.exec(tag)?.[0] ?? "";
  const variant = tag
    .slice(version.length)
    .split("-")
    .filter((word) => word && !/^(bookworm|bullseye|trixie|buster|jammy|noble|focal)$/.test(word))
    .map((word) => word.replace(/\d+(\.\d+)*$/, ""))
    .join("-");
  return { repository, variant, version };
}

/** `${NAME}` / `$NAME` in a FROM, from the global ARG defaults. */
function expandArgs(image: string, args: Map<string, string>): string {
  return image.replace(
    /\$\{(\w+)\}|\$(\w+)/g,
    (whole, braced: string | undefined, bare: string | undefined) => args.get(braced ?? bare ?? "") ?? whole,
  );
}

function shownPath(path: string, cwd: string): string {
  const rel = relative(resolve(cwd), path);
  return !rel || rel.startsWith("..") ? path : rel;
}

/** Final-stage base images of the project's Dockerfiles against the advice. */
function baseImageSection(report: AdviceReport, dockerfiles: string[], cwd: string): CheckSection {
  const advised = report.advice.runtime.image;
  const want = imageFamily(advised);
  const details: string[] = [];
  let differs = false;
  for (const path of dockerfiles) {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch {
      continue;
    }
    const parsed = parseDockerfile(text);
    const final = parsed.stages[parsed.stages.length - 1];
    if (!final) continue;
    const args = new Map<string, string>();
    for (const instruction of parsed.instructions) {
      if (instruction.keyword === "FROM") break;
      if (instruction.keyword !== "ARG") continue;
      for (const word of instruction.args.split(/\s+/)) {
        const eq = word.indexOf("=");
        if (eq > 0) args.set(word.slice(0, eq), word.slice(eq + 1).replace(/^["']|["']$/g, ""));
      }
    }
    const stageNames = new Set(parsed.stages.map((s) => s.name).filter(Boolean));
    const base = expandArgs(final.image, args);
    const file = shownPath(path, cwd);
    if (stageNames.has(base.toLowerCase()) || base.includes("$") || base === "scratch") {
      details.push(`${file}: final stage FROM ${base}`);
      continue;
    }
    const have = imageFamily(base);
    if (have.repository !== want.repository || have.variant !== want.variant) {
      differs = true;
      details.push(`${file}: final stage FROM ${base} (advice: ${advised})`);
    } else if (have.version !== want.version) {
      details.push(
        `${file}: final stage FROM ${base} (same image family; the project asks for ${report.advice.line})`,
      );
    } else {
      details.push(`${file}: final stage FROM ${base}`);
    }
  }
  return {
    id: "base-images",
    title: "Dockerfile bases",
    status: differs ? "warn" : "ok",
    summary: differs
      ? `a final stage differs from the advised ${advised}`
      : `final stages match the advice (${advised})`,
    details,
  };
}

function countFindings(findings: Finding[]): Record<Exclude<Severity, "ignore">, number> {
  const counts = { error: 0, warning: 0, info: 0, style: 0 };
  for (const f of findings) if (f.level !== "ignore") counts[f.level]++;
  return counts;
}

function lintSection(report: LintReport, source: "project" | "generated"): CheckSection {
  const counts = countFindings(report.findings);
  const files = report.files.map((f) => f.file);
  const what =
    source === "generated"
      ? "no Dockerfile; linted the one `drydock init` would write"
      : `${files.length} Dockerfile${files.length === 1 ? "" : "s"}`;
  const total = report.findings.length;
  const summary =
    total === 0
      ? `${what}: no problems`
      : `${what}: ${counts.error} errors, ${counts.warning} warnings, ${counts.info} info, ${counts.style} style`;
  const details = report.findings
    .slice(0, 10)
    .map((f) => `${f.file}:${f.line} ${f.level} ${f.code} ${f.message}`);
  if (report.findings.length > 10) details.push(`... ${report.findings.length - 10} more: drydock lint`);
  if (report.shellcheck.status === "missing")
    details.push("shellcheck not found: RUN bodies were not checked (apt-get install shellcheck)");
  return {
    id: "lint",
    title: "Lint",
    status: report.failed ? "fail" : total > 0 ? "warn" : "ok",
    summary,
    details,
  };
}

function inspectSummary(result: InspectResult): Omit<ImageCheckResult, "data"> {
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  const user = result.config.user;
  const root = !user || user === "0" || user === "root" || user.startsWith("0:") || user.startsWith("root:");
  const details = [
    `platform ${result.platform}, ${result.totals.layers} layers, ${mb(result.totals.compressedSize)} compressed, ${mb(result.totals.uncompressedSize)} unpacked, ${result.totals.files} files`,
    `user ${user || "(root by default)"}${root ? ": runs as root" : ""}`,
    `entrypoint ${JSON.stringify(result.config.entrypoint ?? [])}, cmd ${JSON.stringify(result.config.cmd ?? [])}`,
    ...(result.config.exposedPorts.length > 0 ? [`exposes ${result.config.exposedPorts.join(", ")}`] : []),
    result.config.healthcheck ? "has a HEALTHCHECK" : "no HEALTHCHECK",
    ...(result.baseImage?.name ? [`base image ${result.baseImage.name}`] : []),
  ];
  return {
    status: root ? "warn" : "ok",
    summary: `${result.reference ?? result.source} (${mb(result.totals.compressedSize)} compressed, ${result.totals.layers} layers)`,
    details,
  };
}
