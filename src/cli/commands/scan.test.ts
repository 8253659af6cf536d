/**
 * `drydock scan` and `drydock db` through the CLI, on the Alpine 3.18 minirootfs fixture (a
 * directory target) and on SBOM files, with Alpine records written here for packages the
 * fixture installs (openssl 3.1.7-r0, busybox 1.36.1-r7, zlib 1.2.13-r1).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixturesDir, REPO_ROOT } from "../../test-helpers/shared.ts";
import { DEFAULT_OSV_BASE_URL } from "../../vuln/db/update.ts";
import { FAIL_ON_EXIT_CODE } from "../../vuln/scan.ts";
import { alpineRecord, CRITICAL_V3, HIGH_V3, MEDIUM_V3, tempDir } from "../../vuln/test-helpers/records.ts";
import type { CliIO } from "../io.ts";
import { runCli } from "../test-helpers/run-cli.ts";
import { resolveDbPath } from "./db.ts";

let dir: string;
let cleanup: () => void;
let root: string;
let dbPath: string;

const drydock = (argv: string[], env: Record<string, string> = {}) =>
  runCli(argv, { cwd: dir, env: { HOME: dir, SOURCE_DATE_EPOCH: "1700000000", ...env } });

const scan = (args: string[], env?: Record<string, string>) =>
  drydock(["scan", "--db", dbPath, ...args], env);

function write(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value, null, 2));
  return path;
}

beforeAll(async () => {
  ({ dir, cleanup } = tempDir("drydock-scan-cli-"));
  root = join(dir, "rootfs");
  mkdirSync(root);
  execFileSync("tar", [
    "-xzf",
    join(fixturesDir(), "alpine", "alpine-minirootfs-3.18.9-x86_64.tar.gz"),
    "-C",
    root,
  ]);
  dbPath = join(dir, "db", "vuln.db");
  write("records.json", [
    {
      ...alpineRecord({
        id: "ALPINE-CVE-2099-0001",
        origin: "openssl",
        fixed: "3.1.7-r1",
        cvss: CRITICAL_V3,
      }),
      aliases: ["CVE-2099-0001"],
    },
    alpineRecord({ id: "ALPINE-CVE-2099-0002", origin: "busybox", lastAffected: "1.36.1-r7", cvss: HIGH_V3 }),
    alpineRecord({ id: "ALPINE-CVE-2099-0003", origin: "zlib", fixed: "1.2.13-r2", cvss: MEDIUM_V3 }),
    alpineRecord({
      id: "ALPINE-CVE-2099-0004",
      origin: "zlib",
      release: "v3.20",
      fixed: "9.9-r0",
      cvss: CRITICAL_V3,
    }),
  ]);
  const imported = await drydock(["db", "import", "--db", dbPath, "records.json"]);
  expect(imported.stderr).toBe("");
  expect(imported.code).toBe(0);
}, 60_000);

afterAll(() => cleanup());

describe("drydock scan: CI gates", () => {
  it("lists findings grouped by package with the fixed version", async () => {
    const result = await scan([root]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain(
      "libcrypto3 3.1.7-r0 (apk, source openssl)  /lib/apk/db/installed\n  CRITICAL  CVE-2099-0001         fixed in 3.1.7-r1   ALPINE-CVE-2099-0001 in openssl",
    );
    expect(result.stdout).toMatch(
      /busybox 1\.36\.1-r7 \(apk\) {2}\/lib\/apk\/db\/installed\n {2}HIGH\s+ALPINE-CVE-2099-0002\s+no fix yet/,
    );
    expect(result.stdout).toMatch(
      /^6 vulnerabilities in 6 of 15 packages \(alpine 3\.18\.9\): 2 critical, 3 high, 1 medium$/m,
    );
  });

  it("--fail-on exits 2 at or above the severity, 0 below it", async () => {
    expect((await scan([root, "--fail-on", "high"])).code).toBe(2);
    expect((await scan([root, "--fail-on", "CRITICAL"])).code).toBe(2);
    expect((await scan([`dir:${root}`, "--fail-on", "critical", "--ignore-unfixed"])).code).toBe(2);
    const bad = await scan([root, "--fail-on", "severe"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("drydock: --fail-on severe: choose negligible, low, medium, high or critical\n");
  });

  it("--exit-code N exits N when anything (or anything at --fail-on) is found", async () => {
    expect((await scan([root, "--exit-code", "5"])).code).toBe(5);
    expect((await scan([root, "--exit-code", "0"])).code).toBe(0);
    write("only-medium.trivyignore", "CVE-2099-0001\nALPINE-CVE-2099-0002\n");
    const medium = await scan([
      root,
      "--exit-code",
      "7",
      "--fail-on",
      "high",
      "--trivyignore",
      "only-medium.trivyignore",
    ]);
    expect(medium.code).toBe(0);
    expect(medium.stdout).toMatch(/\(5 ignored\)/);
  });

  it("--ignore-unfixed / --only-fixed leave out findings without a fix", async () => {
    const result = await scan([root, "--only-fixed", "--fail-on", "high"]);
    expect(result.stdout).not.toContain("ALPINE-CVE-2099-0002");
    expect(result.stdout).toMatch(/\(3 without a fix left out\)/);
    expect(result.code).toBe(2);
  });

  it("reads .drydockignore.yaml from the working directory; expired rules warn and stop applying", async () => {
    write(
      ".drydockignore.yaml",
      [
        "ignore:",
        "  - id: CVE-2099-0001",
        "    package: openssl",
        "    reason: accepted until the next base image",
        "  - id: ALPINE-CVE-2099-0002",
        "    expires: 2020-01-01",
      ].join("\n"),
    );
    try {
      const result = await scan([root, "--fail-on", "critical", "--show-ignored"]);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe(
        "drydock: warning: .drydockignore.yaml:5: the ignore rule for ALPINE-CVE-2099-0002 expired on 2020-01-01 and no longer applies\n",
      );
      expect(result.stdout).toContain(
        "CVE-2099-0001  libcrypto3 3.1.7-r0  accepted until the next base image  [.drydockignore.yaml:2]",
      );
      expect((await scan([root, "--fail-on", "critical", "--no-ignore-files"])).code).toBe(2);
    } finally {
      write(".drydockignore.yaml", "");
    }
  });

  it("applies OpenVEX statements", async () => {
    write("app.vex.json", {
      "@context": "https://openvex.dev/ns/v0.2.0",
      statements: [
        {
          vulnerability: { name: "CVE-2099-0001" },
          products: [{ "@id": "pkg:oci/app" }],
          status: "not_affected",
          justification: "vulnerable_code_not_in_execute_path",
        },
      ],
    });
    const result = await scan([root, "--fail-on", "critical", "--vex", "app.vex.json", "-o", "json"]);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(
      json.ignored.map((i: { finding: { id: string }; by: { status: string } }) => [
        i.finding.id,
        i.by.status,
      ]),
    ).toEqual([
      ["CVE-2099-0001", "not_affected"],
      ["CVE-2099-0001", "not_affected"],
    ]);
  });

  it("fails with one line and a hint when there is no database", async () => {
    const result = await drydock(["scan", root, "--db", join(dir, "none.db")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `drydock: no vulnerability database at ${join(dir, "none.db")} (run \`drydock db update --ecosystem NAME\` or \`drydock db import PATH\`)\n`,
    );
  });

  it("warns when the database has no data for the image's release", async () => {
    const result = await scan([root], {});
    expect(result.stderr).toBe("");
    const other = join(dir, "other-db.json");
    writeFileSync(other, JSON.stringify([alpineRecord({ id: "X-1", origin: "zlib", release: "v3.20" })]));
    const db2 = join(dir, "db2.db");
    await drydock(["db", "import", "--db", db2, other]);
    const result2 = await drydock(["scan", root, "--db", db2]);
    expect(result2.stderr).toBe(
      "drydock: warning: the database has no records for Alpine:v3.18: 15 packages not checked (drydock db update --ecosystem Alpine)\n",
    );
  });
});

describe("drydock scan: SBOM input, formats, --compare", () => {
  async function sbomOf(target: string, file: string): Promise<string> {
    const made = await drydock(["sbom", target, "-o", `cyclonedx-json=${file}`]);
    expect(made.code).toBe(0);
    return file;
  }

  it("scans sbom:FILE (drydock's CycloneDX) like the directory", async () => {
    await sbomOf(root, "bom.cdx.json");
    const fromSbom = JSON.parse((await scan(["sbom:bom.cdx.json", "-o", "json"])).stdout);
    const fromDir = JSON.parse((await scan([root, "-o", "json"])).stdout);
    const ids = (r: { findings: Array<{ id: string; package: { name: string } }> }) =>
      r.findings.map((f) => `${f.package.name} ${f.id}`);
    expect(ids(fromSbom)).toEqual(ids(fromDir));
    expect(fromSbom.source).toMatchObject({ type: "sbom", name: "bom.cdx.json", format: "cyclonedx" });
    expect((await scan(["sbom:missing.json"])).stderr).toBe(
      "drydock: missing.json: cannot read the SBOM file\n",
    );
  });

  it("writes SARIF that validates against the SARIF 2.1.0 schema", async () => {
    const result = await scan([root, "-o", "sarif"]);
    const log = JSON.parse(result.stdout);
    const schemaPath = join(
      REPO_ROOT,
      "node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json",
    );
    const { $schema: _draft, id, ...schema } = JSON.parse(readFileSync(schemaPath, "utf8"));
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats.default(ajv);
    const validate = ajv.compile({ ...schema, $id: id });
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const run0 = log.runs[0];
    const rule = run0.tool.driver.rules.find((r: { id: string }) => r.id === "CVE-2099-0001");
    expect(rule.properties["security-severity"]).toBe("9.8");
    const first = run0.results.find((r: { ruleId: string }) => r.ruleId === "CVE-2099-0001");
    expect(first.level).toBe("error");
    expect(first.locations[0].physicalLocation.artifactLocation.uri).toBe("lib/apk/db/installed");
  });

  it("writes CycloneDX 1.6 with vulnerabilities that validates against the official schema", async () => {
    const out = join(dir, "vulns.cdx.json");
    const result = await scan([root, "-o", `cyclonedx-json=${out}`, "-o", "table"]);
    expect(result.stdout).toContain("CRITICAL");
    const bom = JSON.parse(readFileSync(out, "utf8"));
    const schema = (name: string) =>
      JSON.parse(readFileSync(join(REPO_ROOT, "src/sbom/__fixtures__/schemas", name), "utf8"));
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats.default(ajv);
    for (const file of [
      "spdx.SNAPSHOT.schema.json",
      "jsf-0.82.SNAPSHOT.schema.json",
      "cryptography-defs.SNAPSHOT.schema.json",
    ])
      ajv.addSchema({ ...schema(file), $id: `http://cyclonedx.org/schema/${file}` });
    const validate = ajv.compile(schema("bom-1.6.SNAPSHOT.schema.json"));
    expect(validate(bom), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const vuln = bom.vulnerabilities.find((v: { id: string }) => v.id === "CVE-2099-0001");
    expect(vuln.affects).toHaveLength(2);
    expect(vuln.ratings[0]).toMatchObject({ score: 9.8, severity: "critical", method: "CVSSv31" });
    expect(vuln.recommendation).toBe("Upgrade to libcrypto3 3.1.7-r1, libssl3 3.1.7-r1");
    expect(bom.metadata.timestamp).toBe("2023-11-14T22:13:20Z");
  });

  it("writes a markdown summary", async () => {
    const result = await scan([root, "-o", "markdown"]);
    expect(result.stdout).toContain("| Findings | 2 | 3 | 1 | 0 | 0 | 0 |");
    expect(result.stdout).toContain("| critical | CVE-2099-0001 | libcrypto3 | 3.1.7-r0 | 3.1.7-r1 |");
  });

  it("--compare shows fixed, introduced and unchanged, and gates on introduced ones", async () => {
    const bom = JSON.parse(readFileSync(join(dir, "bom.cdx.json"), "utf8"));
    // The "new" image: openssl upgraded to the fix, zlib unchanged, busybox gone, and a package added.
    const components = bom.components
      .filter((c: { name: string }) => !c.name.startsWith("busybox") && c.name !== "ssl_client")
      .map((c: { name: string; version: string; purl?: string }) =>
        c.name === "libcrypto3" || c.name === "libssl3"
          ? { ...c, version: "3.1.7-r1", purl: c.purl!.replace("@3.1.7-r0", "@3.1.7-r1") }
          : c,
      );
    write("new.cdx.json", { ...bom, components });
    const result = await scan([
      "--compare",
      "sbom:bom.cdx.json",
      "sbom:new.cdx.json",
      "-o",
      "json",
      "--fail-on",
      "low",
    ]);
    const json = JSON.parse(result.stdout);
    expect(json.introduced).toEqual([]);
    expect(
      json.fixed.map((f: { id: string; package: { name: string } }) => `${f.package.name} ${f.id}`).sort(),
    ).toEqual([
      "busybox ALPINE-CVE-2099-0002",
      "busybox-binsh ALPINE-CVE-2099-0002",
      "libcrypto3 CVE-2099-0001",
      "libssl3 CVE-2099-0001",
      "ssl_client ALPINE-CVE-2099-0002",
    ]);
    expect(
      json.unchanged.map((u: { finding: { package: { name: string } } }) => u.finding.package.name),
    ).toEqual(["zlib"]);
    expect(result.code).toBe(0);
    const reverse = await scan([
      "--compare",
      "sbom:new.cdx.json",
      "sbom:bom.cdx.json",
      "--fail-on",
      "critical",
    ]);
    expect(reverse.code).toBe(2);
    expect(reverse.stdout).toMatch(/^Introduced \(5\): 2 critical, 3 high$/m);
    expect((await scan(["--compare", "sbom:a", "-o", "table"])).stderr).toBe(
      "drydock: --compare takes two targets: OLD NEW\n",
    );
    expect((await scan(["--compare", "sbom:a", "sbom:b", "-o", "sarif"])).stderr).toBe(
      "drydock: --compare writes table, json, markdown, not sarif\n",
    );
  });
});

describe("drydock db", () => {
  it("status shows ecosystems and counts", async () => {
    const result = await drydock(["db", "status", "--db", dbPath]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Records: 4 \(1 aliases, 4 affected packages\)$/m);
    expect(result.stdout).toMatch(/^ {2}Alpine:v3\.18\s+3 records\s+3 packages$/m);
    expect(result.stdout).toMatch(/^Ecosystems scans used: Alpine$/m);
    const json = JSON.parse((await drydock(["db", "status", "--db", dbPath, "--format", "json"])).stdout);
    expect(json).toMatchObject({ exists: true, records: 4, stale: false });
    const missing = await drydock(["db", "status", "--db", join(dir, "nothing.db")]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain("No database yet.");
  });

  it("import rejects damaged input with one line and keeps the database", async () => {
    const before = readFileSync(dbPath);
    write("bad.zip", "PK\u0003\u0004 not really a zip");
    const result = await drydock(["db", "import", "--db", dbPath, "bad.zip"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^drydock: bad\.zip: not a readable zip archive \(.*\); nothing imported \(.*vuln\.db is unchanged\)\n$/,
    );
    expect(readFileSync(dbPath).equals(before)).toBe(true);
  });

  it("finds the database through --db, DRYDOCK_DB, then the XDG cache dir", () => {
    const io = (env: Record<string, string>) =>
      ({
        argv: [],
        env,
        cwd: "/work",
        stdout: { write() {} },
        stderr: { write() {} },
        readStdin: async () => "",
      }) as CliIO;
    expect(resolveDbPath("x.db", io({ DRYDOCK_DB: "/e.db" }), "linux")).toBe("/work/x.db");
    expect(resolveDbPath(undefined, io({ DRYDOCK_DB: "/e.db", HOME: "/home/u" }), "linux")).toBe("/e.db");
    expect(resolveDbPath(undefined, io({ XDG_CACHE_HOME: "/c", HOME: "/home/u" }), "linux")).toBe(
      "/c/drydock/vuln.db",
    );
    expect(resolveDbPath(undefined, io({ HOME: "/home/u" }), "linux")).toBe("/home/u/.cache/drydock/vuln.db");
    expect(resolveDbPath(undefined, io({ HOME: "/Users/u" }), "darwin")).toBe(
      "/Users/u/Library/Caches/drydock/vuln.db",
    );
  });

  it("uses DRYDOCK_DB from the environment", async () => {
    const result = await drydock(["scan", root, "--fail-on", "high"], { DRYDOCK_DB: dbPath });
    expect(result.code).toBe(2);
  });
});

describe("help texts that repeat library constants", () => {
  // The help names them as literals so that `--help` loads no scan or update code.
  const helpOf = async (argv: string[]) => (await drydock([...argv, "--help"])).stdout.replace(/\s+/g, " ");

  it("scan --help gives the library's --fail-on exit code", async () => {
    expect(await helpOf(["scan"])).toContain(`--fail-on <severity> exit ${FAIL_ON_EXIT_CODE} when`);
  });

  it("db update --help gives the library's default OSV address", async () => {
    expect(await helpOf(["db", "update"])).toContain(`or ${DEFAULT_OSV_BASE_URL})`);
  });
});
