/**
 * `drydock advise`: detect the project, then choose builder/runtime images with reasons.
 * `fn(options) -> data`; src/report/advise/ renders it.
 */
import { UsageError } from "../errors.ts";
import { describeCandidates, detectProject, today } from "./detect.ts";
import { type AdviseConstraints, adviseStack, DEFAULT_ARCHES, type StackAdvice } from "./engine.ts";
import { ARCHES, type Arch, type Detection, type ProjectDetection } from "./types.ts";

export interface AdviseOptions {
  /** Project folder (default "."). */
  dir?: string;
  /** App folder inside the project (monorepos). */
  path?: string;
  cwd?: string;
  arches?: Arch[];
  security?: AdviseConstraints["security"];
  enterprise?: boolean;
  shell?: boolean;
  /** YYYY-MM-DD (default: today): decides supported versions and the Node LTS line. */
  date?: string;
}

export interface AdviceReport {
  /** The folder as given, and the app path inside it. */
  dir: string;
  path: string;
  date: string;
  project: Omit<ProjectDetection, "dir" | "primary" | "detections"> & { stacks: string[] };
  detection: Detection;
  advice: StackAdvice;
}

/** Parses `amd64,arm64` (also `linux/arm64`, `x86_64`, `aarch64`). */
export function parseArches(text: string): Arch[] {
  const aliases: Record<string, Arch> = {
    x86_64: "amd64",
    aarch64: "arm64",
    armv7: "arm",
    "arm/v7": "arm",
    i386: "386",
    x86: "386",
  };
  const result: Arch[] = [];
  for (const raw of text
    .split(",")
    .map((s) => s.trim().replace(/^linux\//, ""))
    .filter(Boolean)) {
    const arch = (aliases[raw] ?? raw) as Arch;
    if (!ARCHES.includes(arch))
      throw new UsageError(`unknown architecture '${raw}' (use ${ARCHES.join(", ")})`);
    if (!result.includes(arch)) result.push(arch);
  }
  if (result.length === 0) throw new UsageError("--arch needs at least one architecture");
  return result;
}

/** Detection with the monorepo/no-project cases turned into one-line usage errors. */
export function detectOrFail(options: AdviseOptions): { project: ProjectDetection; detection: Detection } {
  const dir = options.dir ?? ".";
  const project = detectProject({
    dir,
    ...(options.path ? { path: options.path } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.date ? { date: options.date } : {}),
  });
  if (!project.primary) {
    if (project.monorepo && project.monorepo.candidates.length > 0) {
      throw new UsageError(
        `${dir} holds ${project.monorepo.candidates.length} apps${project.monorepo.tool ? ` (${project.monorepo.tool})` : ""}: ${describeCandidates(project.monorepo.candidates)}`,
        `pick one with --path ${project.monorepo.candidates[0]!.path}`,
      );
    }
    throw new UsageError(
      `no project found in ${project.path === "." ? dir : `${dir}/${project.path}`}: no go.mod, Cargo.toml, pyproject.toml, requirements.txt, package.json, pom.xml, build.gradle, *.csproj, Gemfile or composer.json`,
    );
  }
  return { project, detection: project.primary };
}

export function constraintsFrom(options: AdviseOptions): AdviseConstraints {
  return {
    arches: options.arches && options.arches.length > 0 ? options.arches : DEFAULT_ARCHES,
    security: options.security ?? "balanced",
    enterprise: options.enterprise ?? false,
    shell: options.shell ?? false,
  };
}

export async function advise(options: AdviseOptions = {}): Promise<AdviceReport> {
  const date = options.date ?? today();
  const { project, detection } = detectOrFail({ ...options, date });
  const advice = adviseStack(detection, constraintsFrom(options));
  const { dir: _dir, primary: _primary, detections, ...rest } = project;
  return {
    dir: options.dir ?? ".",
    path: project.path,
    date,
    project: { ...rest, stacks: detections.map((d) => d.stack) },
    detection,
    advice,
  };
}
