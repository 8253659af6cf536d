/**
 * drydock's own package folder (where package.json and docs/ are), found upwards from this
 * module: it sits at a different depth in src/ (tests), dist/ (the library) and dist/bundle/
 * (the bundled CLI), so no fixed `../..` fits all three.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

interface PackageManifest {
  name?: string;
  version?: string;
}

let found: { root: string; manifest: PackageManifest } | undefined;

function locate(): { root: string; manifest: PackageManifest } {
  if (found) return found;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "package.json");
    if (existsSync(candidate)) {
      const manifest = JSON.parse(readFileSync(candidate, "utf8")) as PackageManifest;
      if (manifest.name === "drydock") {
        found = { root: dir, manifest };
        return found;
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error("drydock's package.json was not found above its modules");
    dir = parent;
  }
}

/** The folder that holds drydock's package.json. */
export function packageRoot(): string {
  return locate().root;
}

/** drydock's version, from its package.json. */
export function packageVersion(): string {
  return locate().manifest.version ?? "0.0.0";
}
