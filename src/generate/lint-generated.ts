/**
 * Lints a generated Dockerfile as if it were written into the project: a temporary folder
 * holds the Dockerfile and the .dockerignore that would be used (the existing one, or the
 * generated one), plus symlinks to every other top-level entry of the project, so the
 * context-aware rules (DD003 .git exclusion, DD102 excluded COPY sources, DD005 requirements)
 * see what `docker build` would see. Nothing is written into the project.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type LintFileResult, type LintReport, lint } from "../lint/lint.ts";
import type { LintSettings } from "../lint/settings.ts";

export interface LintGeneratedOptions {
  /** The project folder the Dockerfile is for (its build context). */
  dir: string;
  dockerfile: string;
  /** Used when the project has no .dockerignore of its own. */
  dockerignore?: string;
  settings?: Partial<LintSettings>;
  /** Name shown in the report (default "Dockerfile (generated)"). */
  name?: string;
  /** PATH to find shellcheck on. */
  path?: string;
}

export async function lintGenerated(options: LintGeneratedOptions): Promise<LintReport> {
  const project = resolve(options.dir);
  const temp = mkdtempSync(join(tmpdir(), "drydock-proposal-"));
  try {
    // The project's own .dockerignore (if any) comes along with everything else.
    for (const entry of readdirSync(project)) {
      if (entry !== "Dockerfile") symlinkSync(join(project, entry), join(temp, entry));
    }
    writeFileSync(join(temp, "Dockerfile"), options.dockerfile);
    if (!existsSync(join(project, ".dockerignore")) && options.dockerignore !== undefined) {
      writeFileSync(join(temp, ".dockerignore"), options.dockerignore);
    }
    const report = await lint({
      paths: ["Dockerfile"],
      cwd: temp,
      settings: { shellcheck: "auto", ...options.settings },
      ...(options.path !== undefined ? { shellcheckOptions: { path: options.path } } : {}),
    });
    const name = options.name ?? "Dockerfile (generated)";
    const rename = (file: LintFileResult): LintFileResult => {
      const { path: _path, ...rest } = file;
      return { ...rest, file: name, findings: file.findings.map((f) => ({ ...f, file: name })) };
    };
    const files = report.files.map(rename);
    return { ...report, files, findings: files.flatMap((f) => f.findings) };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
