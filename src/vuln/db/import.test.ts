import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeZip } from "../../archive/test-helpers/zip-writer.ts";
import { DrydockError } from "../../errors.ts";
import {
  ALPINE_SECDB,
  alpineRecord,
  debianRecord,
  ghsaRecord,
  PYPA_VULNS,
  tempDir,
} from "../test-helpers/records.ts";
import { changeAtomically } from "./atomic.ts";
import { importIntoDb } from "./import.ts";
import { SCHEMA_VERSION } from "./schema.ts";
import { dbStatus } from "./status.ts";
import { VulnStore } from "./store.ts";

let dir: string;
let cleanup: () => void;
let dbPath: string;
const now = new Date("2024-06-01T00:00:00Z");

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  dbPath = join(dir, "cache", "vuln.db");
});
afterEach(() => cleanup());

function write(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof value === "string" || Buffer.isBuffer(value) ? value : JSON.stringify(value));
  return path;
}

const importPaths = (inputs: string[], extra: Partial<Parameters<typeof importIntoDb>[0]> = {}) =>
  importIntoDb({ dbPath, inputs, cwd: dir, now, ...extra });

function withStore<T>(fn: (store: VulnStore) => T): T {
  const store = VulnStore.open(dbPath);
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

function yamlFiles(root: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(root)) {
    const path = join(root, name);
    if (statSync(path).isDirectory()) out.push(...yamlFiles(path));
    else if (name.endsWith(".yaml")) out.push(path);
  }
  return out;
}

/** Files left next to the database (temporary copies, downloads, locks). */
const leftovers = () => readdirSync(join(dir, "cache")).filter((n) => n !== "vuln.db");

describe("db import: the PyPA advisory database (real OSV YAML records)", () => {
  it("imports every record, drops withdrawn ones and links aliases", async () => {
    const files = yamlFiles(PYPA_VULNS());
    const withdrawn = files.filter((f) => /^withdrawn:/m.test(readFileSync(f, "utf8")));
    const result = await importPaths([PYPA_VULNS()]);
    expect(result.totals.inserted + result.totals.withdrawn).toBe(files.length);
    expect(result.totals.withdrawn).toBe(withdrawn.length);
    expect(result.fresh).toBe(true);
    expect(leftovers()).toEqual([]);
    withStore((store) => {
      expect(store.counts().records).toBe(files.length - withdrawn.length);
      // PYSEC-2020-342 (apache-skywalking) is CVE-2020-13921.
      const [match] = store.affected("PyPI", "apache-skywalking");
      const vuln = store.vuln(match!.vuln)!;
      expect(vuln.id).toBe("PYSEC-2020-342");
      expect(vuln.aliases).toContain("CVE-2020-13921");
      expect(store.linkedRecords(["CVE-2020-13921"]).map((v) => v.id)).toContain("PYSEC-2020-342");
      // A withdrawn record is not there.
      const withdrawnId = /^id: (\S+)/m.exec(readFileSync(withdrawn[0]!, "utf8"))![1]!;
      expect(store.linkedRecords([withdrawnId])).toEqual([]);
      expect(store.ecosystems().find((e) => e.name === "PyPI")!.records).toBe(
        files.length - withdrawn.length,
      );
    });
  });

  it("keeps versions as strings (YAML 1.10 is not 1.1) and normalises names per PEP 503", async () => {
    write(
      "r.yaml",
      [
        "id: TEST-1",
        "modified: 2024-01-01T00:00:00Z",
        "affected:",
        "- package: {ecosystem: PyPI, name: Foo_Bar.baz}",
        "  versions: [1.10, 2.0]",
        "  ranges:",
        "  - type: ECOSYSTEM",
        "    events: [{introduced: 0}, {fixed: 1.20}]",
      ].join("\n"),
    );
    await importPaths(["r.yaml"]);
    withStore((store) => {
      const [match] = store.affected("PyPI", "foo-bar-baz");
      expect(match!.data.v).toEqual(["1.10", "2.0"]);
      expect(match!.data.r![0]!.e).toEqual([
        ["i", "0"],
        ["f", "1.20"],
      ]);
    });
  });
});

describe("db import: zip archives, folders, files", () => {
  it("reads OSV's all.zip shape and keeps the newer of two copies of a record", async () => {
    const older = ghsaRecord({
      id: "GHSA-aaaa",
      ecosystem: "npm",
      name: "left-pad",
      fixed: "1.0.1",
      modified: "2024-01-01T00:00:00.5Z",
    });
    const newer = { ...older, modified: "2024-03-01T00:00:00Z", summary: "newer" };
    write("npm.zip", makeZip([{ name: "GHSA-aaaa.json", data: JSON.stringify(newer) }]));
    write("older.json", older);
    const result = await importPaths(["npm.zip", "older.json"]);
    expect(result.inputs.map((i) => i.counts.inserted)).toEqual([1, 0]);
    expect(result.inputs[1]!.counts.keptNewer).toBe(1);
    withStore((store) =>
      expect(store.vuln(store.affected("npm", "left-pad")[0]!.vuln)!.summary).toBe("newer"),
    );
  });

  it("replaces a record by a newer one and removes it when it is withdrawn", async () => {
    write("a.json", ghsaRecord({ id: "GHSA-b", ecosystem: "PyPI", name: "x", fixed: "1.0" }));
    await importPaths(["a.json"]);
    write(
      "b.json",
      ghsaRecord({
        id: "GHSA-b",
        ecosystem: "PyPI",
        name: "x",
        fixed: "2.0",
        modified: "2024-07-01T00:00:00Z",
      }),
    );
    await importPaths(["b.json"]);
    withStore((store) => expect(store.affected("PyPI", "x")[0]!.data.r![0]!.e[1]).toEqual(["f", "2.0"]));
    write(
      "c.json",
      ghsaRecord({
        id: "GHSA-b",
        ecosystem: "PyPI",
        name: "x",
        modified: "2024-08-01T00:00:00Z",
        withdrawn: "2024-08-01T00:00:00Z",
      }),
    );
    const result = await importPaths(["c.json"]);
    expect(result.totals.withdrawn).toBe(1);
    withStore((store) => {
      expect(store.affected("PyPI", "x")).toEqual([]);
      expect(store.counts()).toEqual({ records: 0, aliases: 0, affected: 0 });
    });
  });

  it("reads lists of records and OSV API answers ({vulns: [...]})", async () => {
    write("list.json", [debianRecord({ cve: "CVE-2024-1", source: "openssl", fixed: "3.0.13-1~deb12u1" })]);
    write("api.json", {
      vulns: [alpineRecord({ id: "ALPINE-CVE-2024-2", origin: "busybox", fixed: "1.36.1-r8" })],
    });
    const result = await importPaths(["list.json", "api.json"]);
    expect(result.totals.inserted).toBe(2);
    withStore((store) => {
      expect(store.affected("Debian:12", "openssl")).toHaveLength(1);
      expect(store.affected("Alpine:v3.18", "busybox")).toHaveLength(1);
      expect(store.affected("Debian:12", "openssl")[0]!.data.u).toBeUndefined();
      expect(store.vuln(store.affected("Debian:12", "openssl")[0]!.vuln)!.upstream).toEqual(["CVE-2024-1"]);
    });
  });
});

describe("db import: Alpine secdb", () => {
  it("turns secfixes into fixed ranges per release and merges releases", async () => {
    const secdb = ALPINE_SECDB();
    const result = await importPaths([join(secdb, "v3.10", "main.yaml"), join(secdb, "v3.11", "main.yaml")]);
    expect(result.totals.inserted).toBeGreaterThan(100);
    withStore((store) => {
      // v3.11 main: ansible 2.9.3-r0 fixes CVE-2019-14904 (see the fixture's first package).
      const rows = store
        .affected("Alpine:v3.11", "ansible")
        .map((m) => ({ id: store.vuln(m.vuln)!.id, data: m.data }));
      const row = rows.find((r) => r.id === "ALPINE-CVE-2019-14904")!;
      expect(row.data.r).toEqual([
        {
          t: "E",
          e: [
            ["i", "0"],
            ["f", "2.9.3-r0"],
          ],
        },
      ]);
      const vuln = store.linkedRecords(["CVE-2019-14904"]).find((v) => v.id === "ALPINE-CVE-2019-14904")!;
      expect(vuln.aliases).toEqual(["CVE-2019-14904"]);
      // The same CVE also has its v3.10 row: the second file merged, it did not replace.
      const ecosystems = new Set(
        ["Alpine:v3.10", "Alpine:v3.11"].filter((e) =>
          store.affected(e, "ansible").some((m) => m.vuln === vuln.rowid),
        ),
      );
      expect(ecosystems.size).toBeGreaterThanOrEqual(1);
    });
  });

  it("imports the whole secdb folder (every release) and skips never-affected (fixed 0) entries", async () => {
    write(
      "nak.yaml",
      [
        "distroversion: v3.18",
        "reponame: main",
        "packages:",
        "  - pkg:",
        "      name: musl",
        "      secfixes:",
        "        0:",
        "          - CVE-2020-0001",
        "        1.2.4-r3:",
        "          - CVE-2020-0002 XSA-1",
      ].join("\n"),
    );
    await importPaths([ALPINE_SECDB(), "nak.yaml"]);
    withStore((store) => {
      const names = store.ecosystems().map((e) => e.name);
      for (const v of ["v3.3", "v3.4", "v3.5", "v3.6", "v3.7", "v3.8", "v3.9", "v3.10", "v3.11"])
        expect(names).toContain(`Alpine:${v}`);
      const ids = store
        .affected("Alpine:v3.18", "musl")
        .map((m) => store.vuln(m.vuln)!.id)
        .sort();
      expect(ids).toEqual(["ALPINE-CVE-2020-0002", "ALPINE-XSA-1"]);
    });
  });
});

describe("db import: damaged input is rejected and nothing is lost", () => {
  async function seeded(): Promise<Buffer> {
    write("seed.json", debianRecord({ cve: "CVE-2024-9", source: "zlib", fixed: "1:1.2.13.dfsg-1" }));
    await importPaths(["seed.json"]);
    return readFileSync(dbPath);
  }

  it("rejects a truncated zip", async () => {
    const before = await seeded();
    const zip = makeZip([
      { name: "a.json", data: JSON.stringify(debianRecord({ cve: "CVE-1", source: "a" })) },
    ]);
    write("cut.zip", zip.subarray(0, zip.length - 30));
    const error = await importPaths(["cut.zip"]).catch((e) => e);
    expect(error).toBeInstanceOf(DrydockError);
    expect(error.message).toMatch(/cut\.zip: not a readable zip archive .*; nothing imported/);
    expect(readFileSync(dbPath).equals(before)).toBe(true);
    expect(leftovers()).toEqual([]);
  });

  it("rejects a zip entry whose CRC-32 does not match", async () => {
    const before = await seeded();
    write(
      "crc.zip",
      makeZip([
        { name: "ok.json", data: JSON.stringify(debianRecord({ cve: "CVE-1", source: "a" })) },
        { name: "bad.json", data: JSON.stringify(debianRecord({ cve: "CVE-2", source: "b" })), badCrc: true },
      ]),
    );
    const error = await importPaths(["crc.zip"]).catch((e) => e);
    expect(error.message).toMatch(/bad\.json: damaged zip entry \(CRC-32 mismatch\)/);
    expect(readFileSync(dbPath).equals(before)).toBe(true);
  });

  it("rejects an invalid record with the field at fault; --skip-invalid goes on", async () => {
    const before = await seeded();
    const bad = {
      id: "BAD-1",
      modified: "2024-01-01T00:00:00Z",
      affected: [
        {
          package: { ecosystem: "PyPI", name: "x" },
          ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0", fixed: "1" }] }],
        },
      ],
    };
    write("bad.json", bad);
    write("good.json", ghsaRecord({ id: "GHSA-good", ecosystem: "PyPI", name: "y", fixed: "1" }));
    const error = await importPaths(["good.json", "bad.json"]).catch((e) => e);
    expect(error.message).toBe(
      "bad.json (BAD-1): affected[0].ranges[0].events[0] must have exactly one of introduced, fixed, last_affected, limit; nothing imported",
    );
    expect(readFileSync(dbPath).equals(before)).toBe(true);
    const warnings: string[] = [];
    const result = await importPaths(["good.json", "bad.json", "broken.json"].slice(0, 2), {
      skipInvalid: true,
      warn: (m) => warnings.push(m),
    });
    expect(result.skipped).toHaveLength(1);
    expect(warnings[0]).toMatch(/^skipped: bad\.json/);
    withStore((store) => expect(store.affected("PyPI", "y")).toHaveLength(1));
  });

  it("rejects documents that are not JSON or not records", async () => {
    await seeded();
    write("broken.json", "{ not json");
    expect((await importPaths(["broken.json"]).catch((e) => e)).message).toMatch(
      /^broken\.json: not valid JSON/,
    );
    write("noid.json", { modified: "x" });
    expect((await importPaths(["noid.json"]).catch((e) => e)).message).toBe(
      "noid.json: id is missing; nothing imported",
    );
    expect((await importPaths(["missing.json"]).catch((e) => e)).message).toMatch(
      /missing\.json: no such file or folder/,
    );
  });

  it("leaves the database intact when the change fails half way (a crash before the rename)", async () => {
    const before = await seeded();
    await expect(
      changeAtomically(
        dbPath,
        (db) => {
          db.exec("DELETE FROM vulns");
          throw new Error("killed");
        },
        { now },
      ),
    ).rejects.toThrow("killed");
    expect(readFileSync(dbPath).equals(before)).toBe(true);
    expect(leftovers()).toEqual([]);
  });

  it("refuses to run while another import holds the lock, and takes over a stale lock", async () => {
    await seeded();
    writeFileSync(`${dbPath}.lock`, now.toISOString());
    const error = await importPaths(["seed.json"]).catch((e) => e);
    expect(error.message).toMatch(/is being changed by another drydock/);
    writeFileSync(`${dbPath}.lock`, "2020-01-01T00:00:00Z");
    await importPaths(["seed.json"]);
    expect(leftovers()).toEqual([]);
  });
});

describe("database file", () => {
  it("has a schema version and the (ecosystem, package) index", async () => {
    write("a.json", ghsaRecord({ id: "GHSA-x", ecosystem: "PyPI", name: "x" }));
    await importPaths(["a.json"]);
    const db = new Database(dbPath, { readonly: true });
    try {
      expect(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get()).toEqual({
        value: String(SCHEMA_VERSION),
      });
      const columns = db.prepare("PRAGMA index_info(affected_by_package)").all() as Array<{ name: string }>;
      expect(columns.map((c) => c.name)).toEqual(["ecosystem", "package"]);
    } finally {
      db.close();
    }
  });

  it("is replaced by a fresh one when it has another schema version; scans refuse it", async () => {
    write("a.json", ghsaRecord({ id: "GHSA-x", ecosystem: "PyPI", name: "x" }));
    await importPaths(["a.json"]);
    const db = new Database(dbPath);
    db.prepare("UPDATE meta SET value = '0' WHERE key = 'schema_version'").run();
    db.close();
    expect(() => VulnStore.open(dbPath)).toThrow(/has database schema 0, this drydock reads schema 1/);
    const warnings: string[] = [];
    write("b.json", ghsaRecord({ id: "GHSA-y", ecosystem: "PyPI", name: "y" }));
    const result = await importPaths(["b.json"], { warn: (m) => warnings.push(m) });
    expect(result.fresh).toBe(true);
    expect(warnings[0]).toMatch(/has database schema 0, this drydock writes 1: starting a new database/);
    withStore((store) => expect(store.counts().records).toBe(1));
  });

  it("reports status: counts per ecosystem and a warning after 7 days", async () => {
    write("a.json", [
      ghsaRecord({ id: "GHSA-1", ecosystem: "PyPI", name: "x" }),
      debianRecord({ cve: "CVE-2024-1", source: "openssl" }),
    ]);
    await importPaths(["a.json"]);
    const status = dbStatus({ dbPath, now: new Date("2024-06-03T00:00:00Z") });
    expect(status.exists).toBe(true);
    expect(status.records).toBe(2);
    expect(status.ecosystems).toEqual([
      { name: "Debian:12", records: 1, packages: 1 },
      { name: "PyPI", records: 1, packages: 1 },
    ]);
    expect(status.feeds.map((f) => relative(dir, f.name))).toEqual(["a.json"]);
    expect(status.stale).toBe(false);
    const later = dbStatus({ dbPath, now: new Date("2024-06-09T00:00:01Z") });
    expect(later.stale).toBe(true);
    expect(later.warnings[0]).toMatch(/is 8 days old: run `drydock db update`/);
    expect(dbStatus({ dbPath: join(dir, "none.db"), now }).exists).toBe(false);
  });
});
