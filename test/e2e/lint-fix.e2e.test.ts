/**
 * `drydock lint --fix` against a real Docker engine: the seed's bad layer example and its
 * fixed version both build, the fixed image is smaller (the apt lists no longer sit in a
 * lower layer), the fixed file is clean of the layer findings, and fixing again is a no-op.
 *
 * Needs the engine and base images that `.ci/run` prepares: `bash test/e2e/start-services.sh`
 * and `bash test/e2e/base-images.sh` (as root). Missing services fail the test; it never skips.
 */
import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const BASE_IMAGE = "debian:bookworm-slim";
const SEED_BAD = [
  `FROM ${BASE_IMAGE}`,
  "RUN apt-get update",
  "RUN apt-get install -y curl",
  "RUN rm -rf /var/lib/apt/lists/*",
  "",
].join("\n");
const SEED_GOOD = [
  `FROM ${BASE_IMAGE}`,
  "RUN apt-get update && \\",
  "    apt-get install -y --no-install-recommends curl && \\",
  "    rm -rf /var/lib/apt/lists/*",
  "",
].join("\n");
const LAYER_CODES = ["DD002", "DL3009", "DL3014", "DL3015"];

const suffix = `${process.pid}-${Date.now()}`;
const BAD_TAG = `drydock-e2e-lint-fix-bad:${suffix}`;
const FIXED_TAG = `drydock-e2e-lint-fix-fixed:${suffix}`;

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(command, args, {
    cwd: REPO,
    encoding: "utf8",
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
}

function output(result: SpawnSyncReturns<string>): string {
  return `${result.error ? `${result.error.message}\n` : ""}${result.stdout ?? ""}${result.stderr ?? ""}`.trim();
}

/** The classic builder: no buildx plugin needed, and `--network host` reaches the apt mirror. */
function dockerBuild(dir: string, tag: string): void {
  const result = run("docker", ["build", "--force-rm", "--network", "host", "-t", tag, dir], {
    DOCKER_BUILDKIT: "0",
  });
  if (result.status !== 0) {
    throw new Error(`docker build of ${dir} failed (exit ${result.status}):\n${output(result).slice(-4000)}`);
  }
}

function imageSize(tag: string): number {
  const result = run("docker", ["image", "inspect", "-f", "{{.Size}}", tag]);
  if (result.status !== 0) throw new Error(`docker image inspect ${tag} failed:\n${output(result)}`);
  return Number(result.stdout.trim());
}

function drydock(...args: string[]): SpawnSyncReturns<string> {
  return run(process.execPath, [join(REPO, "bin", "drydock.js"), ...args]);
}

/** `lint --fix` exits 0 or 1 (findings left, e.g. unpinned versions); 2 is a usage error. */
function fixFile(file: string): SpawnSyncReturns<string> {
  const result = drydock("lint", "--fix", file, "--shellcheck", "off");
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`drydock lint --fix exited ${result.status}:\n${output(result)}`);
  }
  return result;
}

describe("drydock lint --fix builds with Docker", () => {
  const dirs: string[] = [];
  const newDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "drydock-e2e-fix-"));
    dirs.push(dir);
    return dir;
  };

  beforeAll(() => {
    const info = run("docker", ["info", "--format", "{{.ServerVersion}}"]);
    if (info.status !== 0) {
      throw new Error(
        `no Docker engine answers (docker info failed): start it with \`bash test/e2e/start-services.sh\` (as root)\n${output(info)}`,
      );
    }
    const base = run("docker", ["image", "inspect", BASE_IMAGE]);
    if (base.status !== 0) {
      throw new Error(
        `base image ${BASE_IMAGE} is missing: create it with \`bash test/e2e/base-images.sh\` (as root)`,
      );
    }
  });

  afterAll(() => {
    // Our two images only; the shared base images stay for other tests.
    run("docker", ["rmi", "-f", BAD_TAG, FIXED_TAG]);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  test("the fixed seed example builds, is smaller, lints clean and is a fixed point", () => {
    const badDir = newDir();
    writeFileSync(join(badDir, "Dockerfile"), SEED_BAD);
    dockerBuild(badDir, BAD_TAG);

    const fixedDir = newDir();
    const fixedFile = join(fixedDir, "Dockerfile");
    writeFileSync(fixedFile, SEED_BAD);
    const fixed = fixFile(fixedFile);
    expect(fixed.stderr).toContain(`fixed ${fixedFile}`);
    const fixedText = readFileSync(fixedFile, "utf8");
    expect(fixedText).toBe(SEED_GOOD);

    dockerBuild(fixedDir, FIXED_TAG);
    const badSize = imageSize(BAD_TAG);
    const fixedSize = imageSize(FIXED_TAG);
    // The lists (tens of MB) and the recommended packages are gone from the fixed image.
    expect(fixedSize).toBeLessThan(badSize);

    const report = drydock("lint", "-f", "json", "--shellcheck", "off", fixedFile);
    expect(report.status === 0 || report.status === 1, output(report)).toBe(true);
    const codes = (JSON.parse(report.stdout) as { code: string }[]).map((f) => f.code);
    expect(codes.filter((code) => LAYER_CODES.includes(code))).toEqual([]);

    const again = fixFile(fixedFile);
    expect(again.stderr).not.toContain("fixed ");
    expect(readFileSync(fixedFile, "utf8")).toBe(fixedText);
  });
});
