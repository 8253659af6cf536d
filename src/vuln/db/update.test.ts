/**
 * `db update` against a local HTTP server on 127.0.0.1 that serves per-ecosystem all.zip files
 * the way OSV's bucket does (ETag, Last-Modified, 304 on a matching If-None-Match). Never the
 * internet.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeZip } from "../../archive/test-helpers/zip-writer.ts";
import { debianRecord, ghsaRecord, tempDir } from "../test-helpers/records.ts";
import { type DbProgress, importIntoDb } from "./import.ts";
import { dbStatus } from "./status.ts";
import { noteSeenEcosystems, VulnStore } from "./store.ts";
import { feedUrl, updateDb } from "./update.ts";

interface Served {
  body: Buffer;
  status?: number;
  /** Never answer (to test timeouts). */
  hang?: boolean;
  /** Announce a longer body than sent, then end. */
  shortBy?: number;
}

let server: Server;
let baseUrl: string;
const files = new Map<string, Served>();
const requests: Array<{ url: string; ifNoneMatch?: string }> = [];
let dir: string;
let cleanup: () => void;
let dbPath: string;

function handler(req: IncomingMessage, res: ServerResponse) {
  requests.push({
    url: req.url ?? "",
    ...(req.headers["if-none-match"] ? { ifNoneMatch: req.headers["if-none-match"] } : {}),
  });
  const served = files.get(decodeURIComponent(req.url ?? ""));
  if (!served) {
    res.writeHead(404).end("not found");
    return;
  }
  if (served.hang) return;
  const etag = `"${createHash("sha1").update(served.body).digest("hex")}"`;
  if (req.headers["if-none-match"] === etag) {
    res.writeHead(304).end();
    return;
  }
  const length = served.body.length + (served.shortBy ?? 0);
  res.writeHead(served.status ?? 200, {
    "content-type": "application/zip",
    "content-length": String(length),
    etag,
    "last-modified": "Sat, 01 Jun 2024 00:00:00 GMT",
  });
  if (served.shortBy) {
    res.write(served.body);
    res.destroy();
    return;
  }
  res.end(served.body);
}

function serve(ecosystem: string, records: unknown[], extra: Partial<Served> = {}) {
  const body = makeZip(
    records.map((r, i) => ({ name: `${(r as { id?: string }).id ?? i}.json`, data: JSON.stringify(r) })),
  );
  files.set(`/${ecosystem}/all.zip`, { body, ...extra });
}

beforeEach(async () => {
  ({ dir, cleanup } = tempDir());
  dbPath = join(dir, "vuln.db");
  files.clear();
  requests.length = 0;
  server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  cleanup();
});

const now = new Date("2024-06-01T00:00:00Z");
const alpineLike = () => ({
  id: "ALPINE-CVE-2024-1",
  modified: "2024-05-01T00:00:00Z",
  affected: [
    {
      package: { ecosystem: "Alpine:v3.18", name: "openssl" },
      ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: "3.1.7-r1" }] }],
    },
  ],
});
const update = (ecosystems: string[] | undefined, extra: Partial<Parameters<typeof updateDb>[0]> = {}) =>
  updateDb({ dbPath, baseUrl, now, ...(ecosystems ? { ecosystems } : {}), ...extra });

function ids(ecosystem: string, name: string): string[] {
  const store = VulnStore.open(dbPath);
  try {
    return store
      .affected(ecosystem, name)
      .map((m) => store.vuln(m.vuln)!.id)
      .sort();
  } finally {
    store.close();
  }
}

const leftovers = () => readdirSync(dir).filter((n) => n !== "vuln.db");

describe("db update", () => {
  it("downloads all.zip per ecosystem, then skips unchanged ones by ETag", async () => {
    serve("PyPI", [ghsaRecord({ id: "GHSA-1", ecosystem: "PyPI", name: "django", fixed: "4.2.1" })]);
    serve("Debian", [debianRecord({ cve: "CVE-2024-1", source: "openssl", fixed: "3.0.13-1~deb12u1" })]);
    const progress: DbProgress[] = [];
    const first = await update(["PyPI", "Debian"], { onProgress: (e) => progress.push(e) });
    expect(first.ecosystems.map((e) => [e.ecosystem, e.status, e.records])).toEqual([
      ["PyPI", "updated", 1],
      ["Debian", "updated", 1],
    ]);
    expect(progress.some((p) => p.phase === "download" && p.received > 0 && p.total === p.received)).toBe(
      true,
    );
    expect(progress.some((p) => p.phase === "import" && p.records === 1)).toBe(true);
    expect(ids("PyPI", "django")).toEqual(["GHSA-1"]);
    expect(ids("Debian:12", "openssl")).toEqual(["DEBIAN-CVE-2024-1"]);
    expect(leftovers()).toEqual([]);

    requests.length = 0;
    const before = readFileSync(dbPath);
    const second = await update(["PyPI", "Debian"], { now: new Date("2024-06-20T00:00:00Z") });
    expect(second.ecosystems.map((e) => e.status)).toEqual(["unchanged", "unchanged"]);
    expect(requests.every((r) => r.ifNoneMatch)).toBe(true);
    // Only the feeds' check time changed; the records are as they were.
    expect(ids("PyPI", "django")).toEqual(["GHSA-1"]);
    expect(readFileSync(dbPath).length).toBe(before.length);
    const status = dbStatus({ dbPath, now: new Date("2024-06-21T00:00:00Z") });
    expect(status.stale).toBe(false);
    expect(status.feeds.find((f) => f.name === "PyPI")!.checkedAt).toBe("2024-06-20T00:00:00.000Z");
  });

  it("replaces an ecosystem's snapshot: records no longer listed lose that ecosystem", async () => {
    serve("PyPI", [
      ghsaRecord({ id: "GHSA-1", ecosystem: "PyPI", name: "django", fixed: "4.2.1" }),
      ghsaRecord({ id: "GHSA-2", ecosystem: "PyPI", name: "flask", fixed: "2.0" }),
    ]);
    serve("npm", [ghsaRecord({ id: "GHSA-3", ecosystem: "npm", name: "lodash", fixed: "4.17.21" })]);
    await update(["PyPI", "npm"]);
    serve("PyPI", [
      ghsaRecord({
        id: "GHSA-1",
        ecosystem: "PyPI",
        name: "django",
        fixed: "4.2.2",
        modified: "2024-06-01T00:00:00Z",
      }),
    ]);
    const result = await update(["PyPI"]);
    expect(result.ecosystems[0]!.counts).toMatchObject({ replaced: 1, removed: 1 });
    expect(ids("PyPI", "flask")).toEqual([]);
    expect(ids("npm", "lodash")).toEqual(["GHSA-3"]);
  });

  it("keeps the database as it was when a download is damaged, and applies the good ones", async () => {
    serve("PyPI", [ghsaRecord({ id: "GHSA-1", ecosystem: "PyPI", name: "django", fixed: "4.2.1" })]);
    await update(["PyPI"]);
    const before = readFileSync(dbPath);

    // A zip whose entry fails its CRC: rejected, nothing changes (not even the file).
    const good = makeZip([
      {
        name: "GHSA-9.json",
        data: JSON.stringify(ghsaRecord({ id: "GHSA-9", ecosystem: "PyPI", name: "x" })),
      },
    ]);
    files.set("/PyPI/all.zip", {
      body: makeZip([
        {
          name: "GHSA-9.json",
          data: JSON.stringify(ghsaRecord({ id: "GHSA-9", ecosystem: "PyPI", name: "x" })),
          badCrc: true,
        },
      ]),
    });
    const bad = await update(["PyPI"]);
    expect(bad.ecosystems[0]).toMatchObject({ status: "failed" });
    expect(bad.ecosystems[0]!.error).toMatch(
      /PyPI\/all\.zip: GHSA-9\.json: damaged zip entry \(CRC-32 mismatch\); PyPI left as it was/,
    );
    expect(readFileSync(dbPath).equals(before)).toBe(true);

    // A cut connection (Content-Length not reached) and an HTTP error, next to a good feed.
    files.set("/PyPI/all.zip", { body: good, shortBy: 100 });
    files.set("/Go/all.zip", { body: Buffer.from("gone"), status: 500 });
    serve("npm", [ghsaRecord({ id: "GHSA-3", ecosystem: "npm", name: "lodash", fixed: "4.17.21" })]);
    const mixed = await update(["PyPI", "Go", "npm"]);
    expect(mixed.ecosystems.map((e) => e.status)).toEqual(["failed", "failed", "updated"]);
    expect(mixed.ecosystems[0]!.error).toMatch(
      /PyPI\/all\.zip: (request failed \(UND_ERR_SOCKET|download (cut short|failed))/,
    );
    expect(mixed.ecosystems[1]!.error).toBe(`${feedUrl(baseUrl, "Go")}: HTTP 500 Internal Server Error`);
    expect(ids("PyPI", "django")).toEqual(["GHSA-1"]);
    expect(ids("PyPI", "x")).toEqual([]);
    expect(ids("npm", "lodash")).toEqual(["GHSA-3"]);
    expect(leftovers()).toEqual([]);
  });

  it("rejects a snapshot with an invalid record and keeps the previous one", async () => {
    serve("PyPI", [ghsaRecord({ id: "GHSA-1", ecosystem: "PyPI", name: "django", fixed: "4.2.1" })]);
    await update(["PyPI"]);
    const before = readFileSync(dbPath);
    serve("PyPI", [{ id: "GHSA-2", modified: "2024-06-01T00:00:00Z", affected: "everything" }]);
    const result = await update(["PyPI"]);
    expect(result.ecosystems[0]!.error).toBe(
      "PyPI/all.zip: GHSA-2.json (GHSA-2): affected must be a list; PyPI left as it was",
    );
    expect(readFileSync(dbPath).equals(before)).toBe(true);
  });

  it("times out a server that does not answer", async () => {
    files.set("/PyPI/all.zip", { body: Buffer.alloc(0), hang: true });
    const result = await update(["PyPI"], { timeoutMs: 300 });
    expect(result.ecosystems[0]).toMatchObject({
      status: "failed",
      error: `${feedUrl(baseUrl, "PyPI")}: no answer within 0.3 s`,
    });
    expect(leftovers()).toEqual([]);
  });

  it("updates the ecosystems scans looked for when none is named", async () => {
    await expect(update(undefined)).rejects.toThrow(/no ecosystem to update/);
    serve("Alpine", []);
    serve("PyPI", [ghsaRecord({ id: "GHSA-1", ecosystem: "PyPI", name: "django", fixed: "4.2.1" })]);
    await update(["PyPI"]);
    expect(noteSeenEcosystems(dbPath, ["Alpine", "PyPI"], now)).toBe(true);
    requests.length = 0;
    const result = await update(undefined);
    expect(result.ecosystems.map((e) => e.ecosystem)).toEqual(["Alpine", "PyPI"]);
    expect(requests.map((r) => r.url)).toEqual(["/Alpine/all.zip", "/PyPI/all.zip"]);
  });

  it("db import reads URLs too (downloaded next to the database, then removed)", async () => {
    serve("Alpine", [alpineLike()]);
    const progress: DbProgress[] = [];
    const result = await importIntoDb({
      dbPath,
      inputs: [`${baseUrl}/Alpine/all.zip`],
      cwd: dir,
      now,
      onProgress: (e) => progress.push(e),
    });
    expect(result.totals.inserted).toBe(1);
    expect(progress[0]).toMatchObject({ phase: "download", input: `${baseUrl}/Alpine/all.zip` });
    expect(ids("Alpine:v3.18", "openssl")).toEqual(["ALPINE-CVE-2024-1"]);
    expect(leftovers()).toEqual([]);
    const missing = await importIntoDb({ dbPath, inputs: [`${baseUrl}/Nope/all.zip`], cwd: dir, now }).catch(
      (e) => e,
    );
    expect(missing.message).toBe(`${baseUrl}/Nope/all.zip: HTTP 404 Not Found`);
    expect(leftovers()).toEqual([]);
  });

  it("escapes ecosystem names in URLs", () => {
    expect(feedUrl("https://example.test/osv/", "Red Hat")).toBe(
      "https://example.test/osv/Red%20Hat/all.zip",
    );
  });
});
