import { describe, expect, it } from "vitest";
import type { Finding } from "../types.ts";
import { applyIgnores } from "./apply.ts";
import { parseOpenVex } from "./openvex.ts";
import { expiryInstant, globMatches, parseDrydockIgnore, parseTrivyIgnore } from "./rules.ts";

function finding(fields: {
  id: string;
  aliases?: string[];
  upstream?: string[];
  name?: string;
  matchedName?: string;
  purl?: string;
  path?: string;
}): Finding {
  const name = fields.name ?? "libssl3";
  return {
    id: fields.id,
    aliases: fields.aliases ?? [],
    upstream: fields.upstream ?? [],
    records: [fields.id],
    severity: { level: "high", scores: [] },
    package: {
      id: `${name}-id`,
      name,
      version: "3.0.11-1",
      type: "deb",
      ecosystem: "Debian:12",
      ...(fields.purl ? { purl: fields.purl } : {}),
      ...(fields.matchedName ? { matchedName: fields.matchedName } : {}),
    },
    fixState: "not-fixed",
    locations: [{ path: fields.path ?? "/var/lib/dpkg/status" }],
    references: [],
  };
}

const now = new Date("2024-06-15T12:00:00Z");

describe(".drydockignore.yaml", () => {
  const text = [
    "ignore:",
    "  - id: CVE-2024-0001",
    "    reason: not reachable from our code",
    "  - id: GHSA-xxxx",
    "    package: openssl",
    "  - id: CVE-2024-0003",
    "    path: /usr/lib/python3/**",
    "  - id: CVE-2024-0004",
    "    expires: 2024-06-14",
    "  - id: CVE-2024-0005",
    "    expires: 2024-06-15",
    "    package: pkg:deb/debian/libssl3",
  ].join("\n");

  it("parses rules with their file and line", () => {
    const rules = parseDrydockIgnore(text, ".drydockignore.yaml");
    expect(rules.map((r) => r.origin)).toEqual([
      ".drydockignore.yaml:2",
      ".drydockignore.yaml:4",
      ".drydockignore.yaml:6",
      ".drydockignore.yaml:8",
      ".drydockignore.yaml:10",
    ]);
    expect(rules[0]).toEqual({
      id: "CVE-2024-0001",
      reason: "not reachable from our code",
      origin: ".drydockignore.yaml:2",
    });
    expect(parseDrydockIgnore("- id: A\n", "f")).toEqual([{ id: "A", origin: "f:1" }]);
    expect(parseDrydockIgnore("", "f")).toEqual([]);
  });

  it("rejects malformed rules with the line and the field", () => {
    expect(() => parseDrydockIgnore("ignore:\n  - package: x\n", "f.yaml")).toThrow(
      'f.yaml:2: "id" is missing',
    );
    expect(() => parseDrydockIgnore("ignore:\n  - id: A\n    until: 2024\n", "f.yaml")).toThrow(
      'f.yaml:2: unknown field "until"',
    );
    expect(() => parseDrydockIgnore("- id: A\n  expires: soon\n", "f.yaml")).toThrow(
      '"expires" must be a date (YYYY-MM-DD), not "soon"',
    );
    expect(() => parseDrydockIgnore("ignore: 3\n", "f.yaml")).toThrow("expected a list of rules");
  });

  it("matches by id or alias, package (name, source name, purl prefix) and path; expired rules warn and stop", () => {
    const rules = parseDrydockIgnore(text, ".drydockignore.yaml");
    const findings = [
      finding({ id: "DEBIAN-CVE-2024-0001", upstream: ["CVE-2024-0001"] }), // by upstream id
      finding({ id: "CVE-2024-0002", aliases: ["GHSA-xxxx"], matchedName: "openssl" }), // by alias + source name
      finding({ id: "GHSA-xxxx", name: "other" }), // package does not match: kept
      finding({ id: "CVE-2024-0003", path: "/usr/lib/python3/dist-packages/x/METADATA" }),
      finding({ id: "CVE-2024-0003", path: "/opt/app/requirements.txt", name: "y" }), // path does not match: kept
      finding({ id: "CVE-2024-0004" }), // expired yesterday: kept
      finding({ id: "CVE-2024-0005", purl: "pkg:deb/debian/libssl3@3.0.11-1?distro=debian-12" }), // last day: ignored
    ];
    const outcome = applyIgnores(findings, { rules, vex: [] }, now);
    expect(outcome.kept.map((f) => `${f.id} ${f.package.name}`)).toEqual([
      "GHSA-xxxx other",
      "CVE-2024-0003 y",
      "CVE-2024-0004 libssl3",
    ]);
    expect(outcome.ignored.map((i) => i.by.origin)).toEqual([
      ".drydockignore.yaml:2",
      ".drydockignore.yaml:4",
      ".drydockignore.yaml:6",
      ".drydockignore.yaml:10",
    ]);
    expect(outcome.ignored[0]!.by.reason).toBe("not reachable from our code");
    expect(outcome.warnings).toEqual([
      ".drydockignore.yaml:8: the ignore rule for CVE-2024-0004 expired on 2024-06-14 and no longer applies",
    ]);
  });

  it("reads expiry as the end of the given day, and globs as paths", () => {
    expect(expiryInstant("2024-06-14")).toBe(Date.parse("2024-06-15T00:00:00Z"));
    expect(globMatches("/usr/lib/**", "/usr/lib/a/b")).toBe(true);
    expect(globMatches("/usr/*/x", "/usr/lib/x")).toBe(true);
    expect(globMatches("/usr/*/x", "/usr/lib/a/x")).toBe(false);
    expect(globMatches("/app", "/app/package.json")).toBe(true);
    expect(globMatches("/app", "/application")).toBe(false);
  });
});

describe(".trivyignore", () => {
  it("reads ids, comments and exp: dates", () => {
    const rules = parseTrivyIgnore(
      "# accepted risks\nCVE-2024-0001\n\nCVE-2024-0002 exp:2024-01-01 # old\n",
      ".trivyignore",
    );
    expect(rules).toEqual([
      { id: "CVE-2024-0001", origin: ".trivyignore:2" },
      { id: "CVE-2024-0002", expires: "2024-01-01", origin: ".trivyignore:4" },
    ]);
    const outcome = applyIgnores(
      [finding({ id: "CVE-2024-0001" }), finding({ id: "CVE-2024-0002" })],
      { rules, vex: [] },
      now,
    );
    expect(outcome.kept.map((f) => f.id)).toEqual(["CVE-2024-0002"]);
    expect(outcome.warnings).toHaveLength(1);
    expect(() => parseTrivyIgnore("CVE-1 exp:tomorrow\n", "t")).toThrow('t:1: "exp:" must be a date');
  });
});

describe("OpenVEX", () => {
  const doc = {
    "@context": "https://openvex.dev/ns/v0.2.0",
    "@id": "https://example.test/vex-1",
    author: "security@example.test",
    timestamp: "2024-06-01T00:00:00Z",
    version: 1,
    statements: [
      {
        vulnerability: { name: "CVE-2024-0001" },
        products: [
          {
            "@id": "pkg:oci/app@sha256%3Aabc",
            subcomponents: [{ "@id": "pkg:deb/debian/libssl3" }],
          },
        ],
        status: "not_affected",
        justification: "vulnerable_code_not_in_execute_path",
      },
      { vulnerability: { name: "CVE-2024-0002" }, products: [{ "@id": "pkg:oci/app" }], status: "fixed" },
      {
        vulnerability: { name: "CVE-2024-0003" },
        products: [{ "@id": "pkg:deb/debian/libssl3@9.9" }],
        status: "not_affected",
        justification: "component_not_present",
      },
      { vulnerability: "CVE-2024-0004", products: ["pkg:oci/app"], status: "affected" },
      // v0.0.x shape: a string vulnerability and statement-level subcomponents.
      {
        vulnerability: "CVE-2024-0005",
        products: ["pkg:oci/app"],
        subcomponents: ["pkg:deb/debian/libssl3"],
        status: "not_affected",
      },
    ],
  };

  it("suppresses not_affected and fixed findings for the packages named (or all, for an image)", () => {
    const vex = parseOpenVex(JSON.stringify(doc), "app.vex.json");
    const purl = "pkg:deb/debian/libssl3@3.0.11-1?arch=amd64&distro=debian-12";
    const findings = [
      finding({ id: "DEBIAN-CVE-2024-0001", upstream: ["CVE-2024-0001"], purl }),
      finding({ id: "CVE-2024-0001", name: "libc6", purl: "pkg:deb/debian/libc6@2.36" }), // other package: kept
      finding({ id: "CVE-2024-0002", name: "zlib1g", purl: "pkg:deb/debian/zlib1g@1" }), // image-wide fixed
      finding({ id: "CVE-2024-0003", purl }), // statement names another version: kept
      finding({ id: "CVE-2024-0004", purl }), // affected: kept
      finding({ id: "CVE-2024-0005", purl }),
    ];
    const outcome = applyIgnores(findings, { rules: [], vex }, now);
    expect(outcome.kept.map((f) => `${f.id} ${f.package.name}`)).toEqual([
      "CVE-2024-0001 libc6",
      "CVE-2024-0003 libssl3",
      "CVE-2024-0004 libssl3",
    ]);
    expect(outcome.ignored.map((i) => [i.finding.id, i.by.status, i.by.justification])).toEqual([
      ["DEBIAN-CVE-2024-0001", "not_affected", "vulnerable_code_not_in_execute_path"],
      ["CVE-2024-0002", "fixed", undefined],
      ["CVE-2024-0005", "not_affected", undefined],
    ]);
  });

  it("rejects documents that are not OpenVEX", () => {
    expect(() => parseOpenVex("{}", "x.json")).toThrow(
      'x.json: not an OpenVEX document (no "statements" list)',
    );
    expect(() =>
      parseOpenVex('{"statements":[{"vulnerability":"CVE-1","status":"maybe"}]}', "x.json"),
    ).toThrow(
      'x.json: statements[0]: status must be not_affected, affected, fixed or under_investigation, not "maybe"',
    );
  });
});
