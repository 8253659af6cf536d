/**
 * `drydock db import` + `drydock scan` on an image a real Docker engine built from the Alpine
 * 3.18 fixture (`bash test/e2e/base-images.sh` imports it as alpine:3.18). The installed
 * openssl version is read from the image with `docker run ... cat /lib/apk/db/installed` (not
 * through drydock), and test records are written around it: one marks it vulnerable
 * (last_affected = the installed version, CVSS 9.8), one is fixed at exactly that version, one
 * is for another Alpine release. The gate must exit 2 with --fail-on high.
 *
 * Needs dockerd (test/e2e/start-services.sh) and the base image; fails, never skips, without.
 */
import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const docker = existsSync("/usr/bin/docker") ? "/usr/bin/docker" : "docker";
const TAG = `drydock-e2e-scan:${process.pid}-${Date.now()}`;
const CRITICAL = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";

let dir: string;
let archive: string;
let dbPath: string;
let opensslVersion: string;
let baseLayer: string;

function run(command: string, args: string[], cwd = REPO): SpawnSyncReturns<string> {
  return spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, CI: "" },
    maxBuffer: 64 * 1024 * 1024,
  });
}

function must(result: SpawnSyncReturns<string>, what: string): string {
  if (result.status !== 0)
    throw new Error(
      `${what} failed (exit ${result.status}): ${result.error?.message ?? ""}${result.stdout}${result.stderr}`.slice(
        -3000,
      ),
    );
  return result.stdout;
}

const drydock = (args: string[]) => run(process.execPath, [join(REPO, "bin", "drydock.js"), ...args], dir);

/** apk's installed database: the version of the packages built from `origin`. */
function originVersion(installed: string, origin: string): string {
  for (const stanza of installed.split(/\n\n+/)) {
    const field = (key: string) => new RegExp(`^${key}:(.*)$`, "m").exec(stanza)?.[1];
    if (field("o") === origin && field("V")) return field("V")!;
  }
  throw new Error(`no package from origin ${origin} in the image`);
}

function record(id: string, release: string, events: Array<Record<string, string>>) {
  return {
    id,
    modified: "2024-06-01T00:00:00Z",
    aliases: [id.replace(/^ALPINE-/, "")],
    summary: `${id} (test record)`,
    severity: [{ type: "CVSS_V3", score: CRITICAL }],
    affected: [
      {
        package: { ecosystem: `Alpine:${release}`, name: "openssl" },
        ranges: [{ type: "ECOSYSTEM", events }],
      },
    ],
  };
}

beforeAll(() => {
  must(
    run(docker, ["version", "--format", "{{.Server.Version}}"]),
    "docker version (start dockerd: bash test/e2e/start-services.sh)",
  );
  must(
    run(docker, ["image", "inspect", "alpine:3.18"]),
    "docker image inspect alpine:3.18 (make it: bash test/e2e/base-images.sh)",
  );
  must(
    run("node", ["-e", `require("fs").accessSync(${JSON.stringify(join(REPO, "dist", "cli", "main.js"))})`]),
    "dist/ build (npm run build)",
  );
  dir = mkdtempSync(join(tmpdir(), "drydock-e2e-scan-"));
  writeFileSync(join(dir, "Dockerfile"), "FROM alpine:3.18\nRUN echo scanned > /etc/drydock-e2e\n");
  must(
    spawnSync(docker, ["build", "--force-rm", "--network", "host", "-t", TAG, dir], {
      encoding: "utf8",
      env: { ...process.env, DOCKER_BUILDKIT: "0" },
    }),
    `docker build ${TAG}`,
  );
  opensslVersion = originVersion(
    must(run(docker, ["run", "--rm", TAG, "cat", "/lib/apk/db/installed"]), "docker run cat"),
    "openssl",
  );
  baseLayer = JSON.parse(
    must(run(docker, ["image", "inspect", "alpine:3.18", "--format", "{{json .RootFS.Layers}}"]), "inspect"),
  )[0];
  archive = join(dir, "image.tar");
  must(run(docker, ["save", "-o", archive, TAG]), "docker save");
  writeFileSync(
    join(dir, "records.json"),
    JSON.stringify([
      record("ALPINE-CVE-2099-1001", "v3.18", [{ introduced: "0" }, { last_affected: opensslVersion }]),
      record("ALPINE-CVE-2099-1002", "v3.18", [{ introduced: "0" }, { fixed: opensslVersion }]),
      record("ALPINE-CVE-2099-1003", "v3.20", [{ introduced: "0" }]),
    ]),
  );
  dbPath = join(dir, "cache", "vuln.db");
}, 600_000);

afterAll(() => {
  run(docker, ["rmi", "-f", TAG]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("drydock scan on a Docker-built Alpine 3.18 image", () => {
  it("db import, then scan --fail-on high exits 2 on the vulnerable openssl", () => {
    const imported = drydock(["db", "import", "--db", dbPath, "records.json"]);
    expect(imported.stderr).toBe("");
    expect(imported.status).toBe(0);

    const gated = drydock(["scan", `docker-archive:${archive}`, "--db", dbPath, "--fail-on", "high"]);
    expect(gated.stderr).toBe("");
    expect(gated.status).toBe(2);
    expect(gated.stdout).toContain(
      `libcrypto3 ${opensslVersion} (apk, source openssl)  /lib/apk/db/installed`,
    );
    expect(gated.stdout).toMatch(/CRITICAL\s+CVE-2099-1001\s+no fix yet/);
    expect(gated.stdout).not.toContain("CVE-2099-1002");
    expect(gated.stdout).not.toContain("CVE-2099-1003");
  });

  it("reports the layer the package came from, and exits 0 when nothing reaches the gate", () => {
    const json = drydock(["scan", `docker-archive:${archive}`, "--db", dbPath, "-o", "json"]);
    expect(json.status).toBe(0);
    const result = JSON.parse(json.stdout);
    expect(result.distro).toMatchObject({ id: "alpine" });
    expect(result.distro.versionId).toMatch(/^3\.18\./);
    const libcrypto = result.findings.find(
      (f: { package: { name: string } }) => f.package.name === "libcrypto3",
    );
    expect(libcrypto.locations[0].layerDiffId).toBe(baseLayer);
    expect(libcrypto.package.ecosystem).toBe("Alpine:v3.18");

    writeFileSync(join(dir, ".trivyignore"), "CVE-2099-1001\n");
    const ignored = drydock(["scan", `docker-archive:${archive}`, "--db", dbPath, "--fail-on", "high"]);
    expect(ignored.status).toBe(0);
    expect(ignored.stdout).toMatch(/^0 vulnerabilities in 0 of \d+ packages \(alpine 3\.18\.\d+\): none$/m);
    rmSync(join(dir, ".trivyignore"));
  });
});
