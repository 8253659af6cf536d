/**
 * Project detection: runs every language detector on a folder, picks the stack to build when
 * several match (a backend wins over front-end tooling: Nixpacks's Node-first order misdetects
 * Python repos with a package.json, BerriAI/litellm PR #10839; Railpack checks Node last), and
 * lists candidate apps in monorepos (workspaces, go.work, or marker files in subfolders).
 * shared/reference/base-images-and-generators.md §0, §2.
 */
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { UsageError } from "../errors.ts";
import type { DetectContext } from "./detectors/common.ts";
import { detectDotnet } from "./detectors/dotnet.ts";
import { detectGo } from "./detectors/go.ts";
import { detectJava } from "./detectors/java.ts";
import { detectNode, readPackageJson } from "./detectors/node.ts";
import { detectPhp } from "./detectors/php.ts";
import { detectPython } from "./detectors/python.ts";
import { detectRuby } from "./detectors/ruby.ts";
import { detectRust } from "./detectors/rust.ts";
import { ProjectFiles, SKIPPED_DIRS } from "./project-files.ts";
import {
  type AppCandidate,
  type Detection,
  type Evidence,
  type ProjectDetection,
  STACK_NAMES,
  type StackId,
} from "./types.ts";

/** Backend-first order for ties (Railpack's provider order, Node last). */
export const STACK_ORDER: readonly StackId[] = [
  "php",
  "go",
  "java",
  "rust",
  "ruby",
  "python",
  "dotnet",
  "node",
];

const DETECTORS: Record<StackId, (ctx: DetectContext) => Detection | null> = {
  php: detectPhp,
  go: detectGo,
  java: detectJava,
  rust: detectRust,
  ruby: detectRuby,
  python: detectPython,
  dotnet: detectDotnet,
  node: detectNode,
};

/** Files whose presence makes a folder a candidate app in a monorepo. */
const APP_MARKERS: [RegExp, StackId][] = [
  [/^go\.mod$/, "go"],
  [/^Cargo\.toml$/, "rust"],
  [/^(pyproject\.toml|requirements\.txt|Pipfile|setup\.py|manage\.py)$/, "python"],
  [/^package\.json$/, "node"],
  [/^(pom\.xml|build\.gradle(\.kts)?)$/, "java"],
  [/\.(cs|fs|vb)proj$/, "dotnet"],
  [/^Gemfile$/, "ruby"],
  [/^composer\.json$/, "php"],
];

export interface DetectOptions {
  /** Project folder (absolute, or relative to `cwd`). */
  dir: string;
  /** An app inside the project (monorepos), relative to `dir`. */
  path?: string;
  cwd?: string;
  /** YYYY-MM-DD for version support decisions (default: today). */
  date?: string;
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function detectProject(options: DetectOptions): ProjectDetection {
  const root = resolve(options.cwd ?? ".", options.dir);
  if (!existsSync(root) || !statSync(root).isDirectory())
    throw new UsageError(`${options.dir} is not a folder`);
  const date = options.date ?? today();
  let path = normalisePath(options.path ?? ".");
  let dir = join(root, path);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UsageError(`--path ${options.path}: no such folder in ${options.dir}`);

  let files = new ProjectFiles(dir);
  let detections = detectAll(files, date);
  const rootFiles = new ProjectFiles(root);
  let monorepo: ProjectDetection["monorepo"];
  const chosenNotes: string[] = [];
  if (path === ".") {
    const workspace = workspaceOf(rootFiles);
    const rootIsApp =
      detections.some((d) => d.backendScore > 0) &&
      !(workspace && !detections.some((d) => d.backendScore >= 2));
    if (!rootIsApp) {
      const candidates = findCandidates(rootFiles, workspace?.globs, date);
      if (candidates.length > 0) {
        monorepo = { candidates, ...(workspace ? { tool: workspace.tool, source: workspace.source } : {}) };
        if (candidates.length === 1 && detections.every((d) => d.backendScore === 0)) {
          // One app in a subfolder: analyse it, and say so.
          path = candidates[0]!.path;
          dir = join(root, path);
          files = new ProjectFiles(dir);
          detections = detectAll(files, date);
          chosenNotes.push(`the only app in the project is in ${path}/; analysing it (use --path to choose)`);
        }
      }
    }
  }

  const result: ProjectDetection = { dir, path, detections, problems: [] };
  if (monorepo && (monorepo.candidates.length > 1 || path === ".")) result.monorepo = monorepo;
  const { primary, polyglot } = choosePrimary(detections);
  // A folder holding several apps is never built as one, whatever its own files say.
  if (primary && !result.monorepo) {
    primary.notes.unshift(...chosenNotes);
    result.primary = primary;
  }
  if (polyglot) result.polyglot = polyglot;
  result.problems = files.parseErrors;
  return result;
}

function normalisePath(path: string): string {
  const cleaned = path
    .replaceAll("\\", "/")
    .replace(/^\.\/+/, "")
    .replace(/\/+$/, "");
  return cleaned === "" ? "." : cleaned;
}

function detectAll(files: ProjectFiles, date: string): Detection[] {
  const ctx: DetectContext = { files, date };
  const detections: Detection[] = [];
  for (const stack of STACK_ORDER) {
    const detection = DETECTORS[stack](ctx);
    if (detection) detections.push(detection);
  }
  for (const problem of files.parseErrors) {
    for (const d of detections) {
      if (d.markers.some((m) => m.file === problem.file))
        d.notes.push(`could not parse ${problem.file}: ${problem.message}`);
    }
  }
  return detections;
}

/**
 * The stack to build: the highest backend score wins; ties go to the backend-first order, so
 * a package.json with build tooling never beats a Python, Ruby or PHP app.
 */
export function choosePrimary(detections: Detection[]): {
  primary?: Detection;
  polyglot?: ProjectDetection["polyglot"];
} {
  if (detections.length === 0) return {};
  const sorted = [...detections].sort(
    (a, b) => b.backendScore - a.backendScore || STACK_ORDER.indexOf(a.stack) - STACK_ORDER.indexOf(b.stack),
  );
  const primary = sorted[0]!;
  if (detections.length === 1) return { primary };
  const others = sorted.slice(1);
  const describe = (d: Detection) =>
    `${STACK_NAMES[d.stack]} (${d.framework ? `${d.framework.name}, ` : ""}${d.markers.map((m) => m.file).join(", ")})`;
  const tooling = others.filter((o) => o.backendScore < primary.backendScore);
  const ties = others.filter((o) => o.backendScore === primary.backendScore);
  const parts: string[] = [`${describe(primary)} is the app to build`];
  if (tooling.length > 0) {
    parts.push(
      `${tooling.map(describe).join(" and ")} ${tooling.length === 1 ? "looks" : "look"} like ${tooling.some((t) => t.stack === "node") ? "front-end or build tooling" : "tooling"} with no server or start command: a backend wins over front-end tooling`,
    );
  }
  if (ties.length > 0) {
    parts.push(
      `${ties.map(describe).join(" and ")} also ${ties.length === 1 ? "looks" : "look"} runnable; ${STACK_NAMES[primary.stack]} comes first in the backend-first order (${STACK_ORDER.map((s) => STACK_NAMES[s]).join(", ")}); move the other app to its own folder and use --path`,
    );
  }
  const node = others.find((o) => o.stack === "node");
  if (node && primary.stack !== "node" && node.app.kind === "node" && node.app.buildScript) {
    primary.notes.push(
      `package.json has a build script (${node.app.buildScript}); the Dockerfile does not run it: add a Node build stage if the ${STACK_NAMES[primary.stack]} app serves its output`,
    );
  }
  return {
    primary,
    polyglot: { chosen: primary.stack, others: others.map((o) => o.stack), reason: `${parts.join("; ")}.` },
  };
}

interface Workspace {
  tool: string;
  source: Evidence;
  globs: string[];
}

/** Monorepo tooling at the root: npm/yarn/bun workspaces, pnpm-workspace.yaml, go.work, Nx, Turborepo, Lerna. */
function workspaceOf(files: ProjectFiles): Workspace | undefined {
  const pkg = readPackageJson(files);
  const workspaces = Array.isArray(pkg?.workspaces) ? pkg.workspaces : (pkg?.workspaces?.packages ?? []);
  if (workspaces.length > 0)
    return {
      tool: "package.json workspaces",
      source: { file: "package.json", detail: "workspaces" },
      globs: workspaces,
    };
  const pnpm = files.read("pnpm-workspace.yaml");
  if (pnpm !== null) {
    let globs: string[] = [];
    try {
      globs = ((parseYaml(pnpm) as { packages?: string[] } | null)?.packages ?? []).filter(
        (g) => !g.startsWith("!"),
      );
    } catch {
      globs = [];
    }
    return { tool: "pnpm workspaces", source: { file: "pnpm-workspace.yaml" }, globs };
  }
  const goWork = files.read("go.work");
  if (goWork !== null) {
    const uses = [...goWork.matchAll(/^\s*(?:use\s+)?(\.\/?[\w./-]*)\s*$/gm)]
      .map((m) => m[1]!.replace(/^\.\/?/, ""))
      .filter(Boolean);
    return { tool: "go.work", source: { file: "go.work" }, globs: uses };
  }
  for (const [file, tool] of [
    ["nx.json", "Nx"],
    ["turbo.json", "Turborepo"],
    ["lerna.json", "Lerna"],
  ] as const) {
    if (files.isFile(file)) return { tool, source: { file }, globs: [] };
  }
  return undefined;
}

/**
 * Subfolders holding an app: the workspace globs plus any folder (up to three levels) with
 * marker files, kept when a detector finds something runnable there (libraries are dropped).
 */
function findCandidates(files: ProjectFiles, globs: string[] | undefined, date: string): AppCandidate[] {
  const folders = new Set<string>();
  for (const glob of globs ?? []) {
    const clean = glob.replace(/^\.\//, "").replace(/\/+$/, "");
    if (clean.endsWith("/*") || clean.endsWith("/**")) {
      const base = clean.replace(/\/\*\*?$/, "");
      for (const name of files.list(base)) if (files.isDir(`${base}/${name}`)) folders.add(`${base}/${name}`);
    } else if (!clean.includes("*") && files.isDir(clean)) folders.add(clean);
  }
  const visit = (dir: string, depth: number) => {
    for (const name of files.list(dir)) {
      const rel = dir === "." ? name : `${dir}/${name}`;
      if (SKIPPED_DIRS.has(name) || name.startsWith(".") || !files.isDir(rel)) continue;
      if (files.list(rel).some((entry) => APP_MARKERS.some(([pattern]) => pattern.test(entry))))
        folders.add(rel);
      if (depth > 1) visit(rel, depth - 1);
    }
  };
  visit(".", 3);
  const candidates: AppCandidate[] = [];
  for (const folder of [...folders].sort()) {
    const entries = files.list(folder);
    const markers = entries.filter((entry) => APP_MARKERS.some(([pattern]) => pattern.test(entry)));
    if (markers.length === 0) continue;
    const runnable = detectAll(files.sub(folder), date).filter((d) => d.backendScore > 0);
    if (runnable.length === 0) continue;
    candidates.push({ path: folder, stacks: runnable.map((d) => d.stack), markers });
  }
  // Drop folders nested in another candidate of the same stack (a package inside an app).
  return candidates.filter(
    (c) =>
      !candidates.some(
        (other) =>
          other !== c &&
          c.path.startsWith(`${other.path}/`) &&
          other.stacks.some((s) => c.stacks.includes(s)),
      ),
  );
}

/** The candidates as one line for messages: `apps/api (Node.js), services/worker (Go)`. */
export function describeCandidates(candidates: AppCandidate[]): string {
  return candidates.map((c) => `${c.path} (${c.stacks.map((s) => STACK_NAMES[s]).join(", ")})`).join(", ");
}
