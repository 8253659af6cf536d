import type { Analysis, RawHit } from "./engine.ts";

/** One RUN body prepared for ShellCheck (shebang and `export NAME=1` lines prepended). */
export interface ShellScript {
  /** Line of the RUN in the Dockerfile (findings are reported there). */
  line: number;
  script: string;
}

export interface ShellCheckOptions {
  /** Path or name of the shellcheck binary. */
  binary?: string;
  /** Parallel shellcheck processes (default: available cores). */
  concurrency?: number;
}

/** The scripts of a Dockerfile that ShellCheck should see, in hadolint's way. */
export function buildShellScripts(_analysis: Analysis): ShellScript[] {
  return [];
}

/** Finds the shellcheck binary; null when it is not installed. */
export async function findShellCheck(_options: ShellCheckOptions = {}): Promise<string | null> {
  return null;
}

/** Runs ShellCheck over all scripts of all files in as few processes as possible. */
export async function runShellCheck(
  _batches: { analysis: Analysis; scripts: ShellScript[] }[],
  _binary: string,
  _options: ShellCheckOptions = {},
): Promise<RawHit[][]> {
  return _batches.map(() => []);
}
