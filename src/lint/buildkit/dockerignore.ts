/**
 * `.dockerignore` matching for COPY/ADD sources
 * (https://docs.docker.com/build/concepts/context/#dockerignore-files). Matching itself is
 * @balena/dockerignore, a port of Docker's own matcher (a path is excluded when it or one of
 * its parent directories matches).
 */
import { posix } from "node:path";
import * as dockerignore from "@balena/dockerignore";

type IgnoreFactory = typeof dockerignore.default.default;
// The package is CommonJS (`module.exports = factory`) while its typings declare an ES default
// export, so TypeScript sees the factory one level deeper than Node puts it.
const loaded = dockerignore.default as unknown as IgnoreFactory & { default?: IgnoreFactory };
const createIgnore: IgnoreFactory = loaded.default ?? loaded;

export interface IgnoreMatcher {
  /** True when the context path (relative, `/`-separated) is left out of the build context. */
  excludes(path: string): boolean;
}

/**
 * Reads the file's patterns as Docker does (comments, blank lines and surrounding spaces
 * dropped). Returns null when there are no patterns, or when some are exceptions (`!`):
 * BuildKit does not judge those statically either, since a directory may be excluded while a
 * file inside it is re-included.
 */
export function readIgnoreFile(text: string): IgnoreMatcher | null {
  const patterns = text
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .filter((line) => !line.startsWith("#"))
    .map((line) => line.trim())
    .filter((line) => line !== "");
  if (patterns.length === 0 || patterns.some((p) => p.startsWith("!"))) return null;
  const matcher = createIgnore().add(patterns);
  // `.` is the whole context: only a pattern that excludes every top-level entry excludes it.
  const rootExcluded = patterns.some((p) => p === "*" || p === "**" || p === "**/*");
  return {
    excludes(path) {
      const clean = cleanContextPath(path);
      if (clean === "") return rootExcluded;
      return matcher.ignores(clean);
    },
  };
}

/** `./a//b/` → `a/b`; `/a` → `a` (the context root); `.` → ``. */
export function cleanContextPath(path: string): string {
  const normal = posix.normalize(path.replace(/\\/g, "/"));
  return normal.replace(/^\/+/, "").replace(/\/+$/, "").replace(/^\.$/, "");
}
