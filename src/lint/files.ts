import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import type { Ignore } from "ignore";

/** File names linted when a directory is given (BuildKit and Podman conventions). */
export function isDockerfileName(name: string): boolean {
  return (
    name === "Dockerfile" ||
    name === "Containerfile" ||
    name.endsWith(".Dockerfile") ||
    name.endsWith(".dockerfile") ||
    name.startsWith("Dockerfile.") ||
    name.startsWith("Containerfile.")
  );
}

const SKIPPED_DIRS = new Set([".git", "node_modules"]);

/**
 * Expands paths to Dockerfiles: files are kept as given, directories are walked recursively,
 * skipping `.git`, `node_modules` and what `.gitignore` files (at any level) hide.
 */
export async function findDockerfiles(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    const info = await stat(path);
    if (info.isDirectory()) await walk(path, path, [], out);
    else out.push(path);
  }
  return out;
}

interface Scope {
  base: string;
  matcher: Ignore;
}

async function walk(root: string, dir: string, scopes: Scope[], out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  const gitignore = entries.find((e) => e.isFile() && e.name === ".gitignore");
  const active = gitignore
    ? [...scopes, { base: dir, matcher: await gitignoreMatcher(join(dir, ".gitignore")) }]
    : scopes;
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory() && SKIPPED_DIRS.has(entry.name)) continue;
    if (isIgnored(full, entry.isDirectory(), active)) continue;
    if (entry.isDirectory()) await walk(root, full, active, out);
    else if (entry.isFile() && isDockerfileName(entry.name)) out.push(full);
  }
}

/** The matcher library is loaded only for a tree that has a `.gitignore`. */
async function gitignoreMatcher(file: string): Promise<Ignore> {
  const { default: ignore } = await import("ignore");
  return ignore().add(await readFile(file, "utf8"));
}

function isIgnored(path: string, isDir: boolean, scopes: Scope[]): boolean {
  for (const scope of scopes) {
    const rel = relative(scope.base, path).split("\\").join("/");
    if (rel && scope.matcher.ignores(isDir ? `${rel}/` : rel)) return true;
  }
  return false;
}
