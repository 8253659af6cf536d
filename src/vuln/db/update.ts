/**
 * `db update`: OSV's per-ecosystem snapshot `<base>/<Ecosystem>/all.zip` for each ecosystem
 * asked for (or, by default, each one that scans looked for), skipped when the server says it
 * has not changed (ETag / Last-Modified from the previous update). Downloads go to temporary
 * files next to the database; the new snapshots are applied to a copy of it, each inside its
 * own savepoint, so one damaged download is rolled back and reported while the others land,
 * and the copy replaces the database only at the end. A snapshot replaces what the database
 * held for its ecosystem: records it no longer lists lose that ecosystem's rows.
 *
 * Bucket layout: https://google.github.io/osv.dev/data/#data-dumps
 */
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { UsageError } from "../../errors.ts";
import { InvalidRecordError } from "../osv.ts";
import { changeAtomically } from "./atomic.ts";
import { download } from "./download.ts";
import type { DbProgress } from "./import.ts";
import { readInput } from "./sources.ts";
import { type FeedInfo, VulnStore, writeInPlace } from "./store.ts";
import { addCount, DbWriter, emptyCounts, type ImportCounts } from "./writer.ts";
import { CorruptArchiveError } from "./zip.ts";

export const DEFAULT_OSV_BASE_URL = "https://osv-vulnerabilities.storage.googleapis.com";

export interface UpdateOptions {
  dbPath: string;
  /** OSV ecosystem names (`Debian`, `Alpine`, `PyPI`); default: those scans looked for. */
  ecosystems?: readonly string[];
  baseUrl?: string;
  now?: Date;
  timeoutMs?: number;
  fetch?: typeof fetch;
  onProgress?: (event: DbProgress) => void;
  warn?: (message: string) => void;
}

export interface EcosystemUpdate {
  ecosystem: string;
  url: string;
  status: "updated" | "unchanged" | "failed";
  records?: number;
  counts?: ImportCounts;
  error?: string;
}

export interface UpdateResult {
  dbPath: string;
  ecosystems: EcosystemUpdate[];
}

/** The all.zip URL of an ecosystem (names with spaces, such as `Red Hat`, are escaped). */
export function feedUrl(baseUrl: string, ecosystem: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/${encodeURIComponent(ecosystem)}/all.zip`;
}

function previousState(dbPath: string): { feeds: Map<string, FeedInfo>; seen: string[] } {
  if (!existsSync(dbPath)) return { feeds: new Map(), seen: [] };
  try {
    const store = VulnStore.open(dbPath);
    try {
      return { feeds: new Map(store.feeds().map((f) => [f.name, f])), seen: store.seenEcosystems() };
    } finally {
      store.close();
    }
  } catch {
    // Another schema version or a damaged file: update starts a new database.
    return { feeds: new Map(), seen: [] };
  }
}

class NothingToApply extends Error {}

interface Downloaded {
  update: EcosystemUpdate;
  path: string;
  etag?: string;
  lastModified?: string;
}

export async function updateDb(options: UpdateOptions): Promise<UpdateResult> {
  const now = options.now ?? new Date();
  const stamp = now.toISOString();
  const { dbPath } = options;
  const baseUrl = options.baseUrl ?? DEFAULT_OSV_BASE_URL;
  const previous = previousState(dbPath);
  const ecosystems = [...new Set(options.ecosystems?.length ? options.ecosystems : previous.seen)];
  if (ecosystems.length === 0) {
    throw new UsageError(
      "no ecosystem to update: no scan has used this database yet",
      "pass --ecosystem NAME, e.g. --ecosystem Debian --ecosystem PyPI",
    );
  }
  const results: EcosystemUpdate[] = [];
  const downloaded: Downloaded[] = [];
  try {
    for (const ecosystem of ecosystems) {
      const url = feedUrl(baseUrl, ecosystem);
      const feed = previous.feeds.get(ecosystem);
      const path = join(dirname(dbPath), `.${basename(dbPath)}.${randomUUID().slice(0, 8)}.download`);
      const update: EcosystemUpdate = { ecosystem, url, status: "unchanged" };
      results.push(update);
      try {
        const result = await download(url, path, {
          ...(feed?.etag && feed.url === url ? { etag: feed.etag } : {}),
          ...(feed?.lastModified && feed.url === url ? { lastModified: feed.lastModified } : {}),
          ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
          ...(options.fetch ? { fetch: options.fetch } : {}),
          onProgress: (received, total) =>
            options.onProgress?.({ phase: "download", input: url, received, ...(total ? { total } : {}) }),
        });
        if (result.status === "downloaded") {
          update.status = "updated";
          downloaded.push({
            update,
            path,
            ...(result.etag ? { etag: result.etag } : {}),
            ...(result.lastModified ? { lastModified: result.lastModified } : {}),
          });
        }
      } catch (error) {
        update.status = "failed";
        update.error = (error as Error).message;
      }
    }
    if (downloaded.length > 0) {
      try {
        await changeAtomically(dbPath, (db) => applySnapshots(db, downloaded, stamp, options), {
          now,
          ...(options.warn ? { warn: options.warn } : {}),
        });
      } catch (error) {
        if (!(error instanceof NothingToApply)) throw error;
      }
    }
    const unchanged = results.filter((r) => r.status === "unchanged").map((r) => r.ecosystem);
    if (unchanged.length > 0 && existsSync(dbPath)) {
      writeInPlace(dbPath, (db) => {
        const touch = db.prepare("UPDATE feeds SET checked_at = ? WHERE name = ?");
        for (const name of unchanged) touch.run(stamp, name);
      });
    }
    return { dbPath, ecosystems: results };
  } finally {
    for (const d of downloaded) await rm(d.path, { force: true });
  }
}

async function applySnapshots(
  db: Parameters<Parameters<typeof changeAtomically>[1]>[0],
  downloaded: Downloaded[],
  stamp: string,
  options: UpdateOptions,
): Promise<void> {
  const writer = new DbWriter(db);
  for (const item of downloaded) {
    const { update } = item;
    db.exec("SAVEPOINT feed");
    try {
      const before = writer.idsInEcosystem(update.ecosystem);
      const seen = new Set<string>();
      const counts = emptyCounts();
      let records = 0;
      for await (const batch of readInput(item.path, stamp, `${update.ecosystem}/all.zip`)) {
        if ("error" in batch) throw batch.error;
        for (const record of batch.records) {
          seen.add(record.id.trim());
          addCount(counts, batch.mode === "merge" ? writer.merge(record) : writer.write(record));
          records++;
        }
        if (records % 5000 < batch.records.length)
          options.onProgress?.({ phase: "import", input: update.url, records });
      }
      for (const [id, rowid] of before) {
        if (seen.has(id)) continue;
        writer.dropFromEcosystem(rowid, update.ecosystem);
        counts.removed++;
      }
      writer.noteFeed({
        name: update.ecosystem,
        url: update.url,
        ...(item.etag ? { etag: item.etag } : {}),
        ...(item.lastModified ? { lastModified: item.lastModified } : {}),
        updatedAt: stamp,
        records,
      });
      db.exec("RELEASE feed");
      update.records = records;
      update.counts = counts;
      options.onProgress?.({ phase: "import", input: update.url, records });
    } catch (error) {
      db.exec("ROLLBACK TO feed");
      db.exec("RELEASE feed");
      if (!(error instanceof InvalidRecordError || error instanceof CorruptArchiveError)) throw error;
      update.status = "failed";
      update.error = `${error.message}; ${update.ecosystem} left as it was`;
    }
  }
  // Nothing to apply: abandon the copy, the database stays byte for byte as it was.
  if (downloaded.every((d) => d.update.status === "failed")) throw new NothingToApply();
  writer.summarize();
}
