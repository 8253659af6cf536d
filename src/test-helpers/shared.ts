import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (tests run from anywhere). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * The shared/ folder with conformance data and fixtures: `DRYDOCK_SHARED` if set, else
 * `../shared` beside the repository (where CI and developers have it).
 */
export function sharedDir(): string {
  const dir = process.env.DRYDOCK_SHARED ?? join(REPO_ROOT, "..", "shared");
  if (!existsSync(dir)) {
    throw new Error(`shared data not found at ${dir}: set DRYDOCK_SHARED to the shared/ folder`);
  }
  return dir;
}

/** Fixture folder (`DRYDOCK_FIXTURES` overrides `shared/fixtures`). */
export function fixturesDir(): string {
  return process.env.DRYDOCK_FIXTURES ?? join(sharedDir(), "fixtures");
}
