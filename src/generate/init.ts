/**
 * `drydock init`: detect, advise, generate the Dockerfile and .dockerignore, lint the result,
 * and write the files (never over an existing file without `force`). `init` returns the data;
 * `writeInit` writes; the CLI renders.
 */
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { type AdviceReport, type AdviseOptions, advise } from "../advise/advise.ts";
import { DrydockError } from "../errors.ts";
import type { LintReport } from "../lint/lint.ts";
import type { LintSettings } from "../lint/settings.ts";
import { type GeneratedFiles, type GenerateOptions, generateDockerfile } from "./generate.ts";
import { lintGenerated } from "./lint-generated.ts";

export interface InitOptions extends AdviseOptions, GenerateOptions {
  /** Lint the generated Dockerfile (default true). */
  lint?: boolean;
  lintSettings?: Partial<LintSettings>;
  /** PATH to find shellcheck on. */
  shellcheckPath?: string;
}

export interface InitFile {
  /** Path as shown (relative to cwd). */
  file: string;
  absolute: string;
  content: string;
  exists: boolean;
}

export interface InitResult {
  report: AdviceReport;
  generated: GeneratedFiles;
  dockerfile: InitFile;
  dockerignore: InitFile;
  lint?: LintReport;
}

export async function init(options: InitOptions = {}): Promise<InitResult> {
  const report = await advise(options);
  const generated = generateDockerfile(report.detection, report.advice, options);
  const cwd = options.cwd ?? ".";
  const appDir = resolve(cwd, options.dir ?? ".", report.path);
  const file = (name: string, content: string): InitFile => {
    const absolute = join(appDir, name);
    const shown = relative(resolve(cwd), absolute);
    return {
      file: !shown || shown.startsWith("..") ? absolute : shown,
      absolute,
      content,
      exists: existsSync(absolute),
    };
  };
  const result: InitResult = {
    report,
    generated,
    dockerfile: file("Dockerfile", generated.dockerfile),
    dockerignore: file(".dockerignore", generated.dockerignore),
  };
  if (options.lint !== false) {
    result.lint = await lintGenerated({
      dir: appDir,
      dockerfile: generated.dockerfile,
      dockerignore: generated.dockerignore,
      ...(options.lintSettings ? { settings: options.lintSettings } : {}),
      ...(options.shellcheckPath !== undefined ? { path: options.shellcheckPath } : {}),
    });
  }
  return result;
}

export interface WriteOutcome {
  written: string[];
  /** Existing files left alone (the .dockerignore without --force). */
  kept: string[];
}

/**
 * Writes the Dockerfile and .dockerignore. An existing Dockerfile is never replaced without
 * `force` (exit 1 with a hint); an existing .dockerignore is kept without `force`.
 */
export async function writeInit(
  result: InitResult,
  options: { force?: boolean } = {},
): Promise<WriteOutcome> {
  if (result.dockerfile.exists && !options.force) {
    throw new DrydockError("EXISTS", `${result.dockerfile.file} already exists; nothing was written`, {
      hint: "use --force to overwrite it, or --stdout to print the proposal",
    });
  }
  const outcome: WriteOutcome = { written: [], kept: [] };
  await writeFile(result.dockerfile.absolute, result.dockerfile.content);
  outcome.written.push(result.dockerfile.file);
  if (result.dockerignore.exists && !options.force) {
    outcome.kept.push(result.dockerignore.file);
  } else {
    await writeFile(result.dockerignore.absolute, result.dockerignore.content);
    outcome.written.push(result.dockerignore.file);
  }
  return outcome;
}
