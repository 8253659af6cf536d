/**
 * Reading the vulnerability database: affected rows by (ecosystem, package), records by row
 * id, aliases, feeds and the per-ecosystem summary. Scans open it read-only; the one write a
 * scan makes (the ecosystems it looked for, which `db update` refreshes by default) is a small
 * in-place transaction that is skipped when the file is not writable.
 */
import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import { DrydockError } from "../../errors.ts";
import type { StoredAffected, StoredSeverity } from "./rows.ts";
import { readMeta, SCHEMA_VERSION, schemaVersionOf } from "./schema.ts";

export interface AffectedMatch {
  vuln: number;
  ecosystem: string;
  data: StoredAffected;
}

export interface StoredVuln {
  rowid: number;
  id: string;
  modified: string;
  published?: string;
  summary?: string;
  severity: StoredSeverity;
  references: string[];
  aliases: string[];
  upstream: string[];
}

export interface FeedInfo {
  name: string;
  url?: string;
  etag?: string;
  lastModified?: string;
  updatedAt: string;
  checkedAt: string;
  records: number;
}

export interface EcosystemInfo {
  name: string;
  records: number;
  packages: number;
}

/** Keys per batched query (SQLite handles far more; this bounds the JSON text). */
const BATCH = 500;

/** A `vulns` row as the batched query returns it: an array, cheaper than an object per row. */
type VulnRowData = [
  rowid: number,
  id: string,
  modified: string,
  published: string | null,
  summary: string | null,
  severity: string | null,
  refs: string | null,
  ids: string | null,
];

const HINT = "run `drydock db update --ecosystem NAME` or `drydock db import PATH`";

export class VulnStore {
  private readonly db: Database.Database;
  private readonly affectedQuery: Database.Statement<[string, string], [number, string]>;
  private readonly vulnsQuery: Database.Statement<[string], VulnRowData>;
  private readonly linkedQuery: Database.Statement<[string, string], { rowid: number; via: string }>;
  private readonly vulnCache = new Map<number, StoredVuln>();

  readonly path: string;

  private constructor(path: string, db: Database.Database) {
    this.path = path;
    this.db = db;
    // Rows as arrays: a scan reads tens of thousands of them.
    this.affectedQuery = db
      .prepare<[string, string], [number, string]>(
        "SELECT vuln, data FROM affected WHERE ecosystem = ? AND package = ?",
      )
      .raw(true);
    // Batched lookups: one prepared statement for any number of keys, passed as a JSON array
    // (a scan loads thousands of records; one statement each would cost more than the work).
    this.vulnsQuery = db
      .prepare<[string], VulnRowData>(
        `SELECT rowid, id, modified, published, summary, severity, refs, ids FROM vulns
         WHERE rowid IN (SELECT value FROM json_each(?))`,
      )
      .raw(true);
    this.linkedQuery = db.prepare(
      `SELECT rowid, id AS via FROM vulns WHERE id IN (SELECT value FROM json_each(?))
       UNION SELECT vuln AS rowid, alias AS via FROM aliases
       WHERE upstream = 0 AND alias IN (SELECT value FROM json_each(?))`,
    );
  }

  /** Opens an existing database; a missing file or another schema version is a DrydockError. */
  static open(path: string): VulnStore {
    if (!existsSync(path)) {
      throw new DrydockError("DB_MISSING", `no vulnerability database at ${path}`, { hint: HINT });
    }
    let db: Database.Database;
    try {
      db = new Database(path, { readonly: true, fileMustExist: true });
      db.pragma("query_only = ON");
      // A scan reads scattered pages once: mapped reads skip a system call per page.
      db.pragma("mmap_size = 2147483648");
      db.pragma("cache_size = -65536");
    } catch (error) {
      throw new DrydockError(
        "DB_UNREADABLE",
        `${path}: not a readable database (${(error as Error).message})`,
        {
          hint: HINT,
        },
      );
    }
    const version = schemaVersionOf(db);
    if (version !== SCHEMA_VERSION) {
      db.close();
      throw new DrydockError(
        "DB_SCHEMA",
        `${path} has database schema ${version}, this drydock reads schema ${SCHEMA_VERSION}`,
        { hint: "rebuild it: `drydock db update` or `drydock db import` start a new one" },
      );
    }
    return new VulnStore(path, db);
  }

  close(): void {
    this.db.close();
  }

  affected(ecosystem: string, packageKey: string): AffectedMatch[] {
    return this.affectedQuery
      .all(ecosystem, packageKey)
      .map(([vuln, data]) => ({ vuln, ecosystem, data: JSON.parse(data) as StoredAffected }));
  }

  vuln(rowid: number): StoredVuln | undefined {
    if (!this.vulnCache.has(rowid)) this.load([rowid]);
    return this.vulnCache.get(rowid);
  }

  /** Loads records (and their aliases) into the cache, a batch of row ids at a time. */
  load(rowids: Iterable<number>): void {
    const missing = [...new Set(rowids)].filter((r) => !this.vulnCache.has(r));
    for (let i = 0; i < missing.length; i += BATCH) {
      const batch = JSON.stringify(missing.slice(i, i + BATCH));
      const found = new Map<number, StoredVuln>();
      for (const [rowid, id, modified, published, summary, severity, refs, idsText] of this.vulnsQuery.all(
        batch,
      )) {
        const ids = idsText ? (JSON.parse(idsText) as { a?: string[]; u?: string[] }) : {};
        found.set(rowid, {
          rowid,
          id,
          modified,
          ...(published ? { published } : {}),
          ...(summary ? { summary } : {}),
          severity: severity ? (JSON.parse(severity) as StoredSeverity) : {},
          references: refs ? (JSON.parse(refs) as string[]) : [],
          aliases: ids.a ?? [],
          upstream: ids.u ?? [],
        });
      }
      for (const [rowid, vuln] of found) this.vulnCache.set(rowid, vuln);
    }
  }

  /**
   * Records that describe the same vulnerability under another id, for each group of ids:
   * records whose id is one of the ids, and records that list one of them as an alias.
   */
  linkedRecordsMany(groups: ReadonlyArray<readonly string[]>): StoredVuln[][] {
    const all = [...new Set(groups.flat())];
    const byId = new Map<string, number[]>();
    for (let i = 0; i < all.length; i += BATCH) {
      const batch = JSON.stringify(all.slice(i, i + BATCH));
      for (const row of this.linkedQuery.all(batch, batch))
        byId.set(row.via, [...(byId.get(row.via) ?? []), row.rowid]);
    }
    this.load([...byId.values()].flat());
    return groups.map((ids) => {
      const rowids = new Set(ids.flatMap((id) => byId.get(id) ?? []));
      return [...rowids].flatMap((r) => {
        const v = this.vulnCache.get(r);
        return v ? [v] : [];
      });
    });
  }

  linkedRecords(ids: readonly string[]): StoredVuln[] {
    return this.linkedRecordsMany([ids])[0]!;
  }

  ecosystems(): EcosystemInfo[] {
    return this.db
      .prepare("SELECT name, records, packages FROM ecosystems ORDER BY name")
      .all() as EcosystemInfo[];
  }

  feeds(): FeedInfo[] {
    const rows = this.db
      .prepare(
        "SELECT name, url, etag, last_modified, updated_at, checked_at, records FROM feeds ORDER BY name",
      )
      .all() as Array<{
      name: string;
      url: string | null;
      etag: string | null;
      last_modified: string | null;
      updated_at: string;
      checked_at: string;
      records: number;
    }>;
    return rows.map((r) => ({
      name: r.name,
      ...(r.url ? { url: r.url } : {}),
      ...(r.etag ? { etag: r.etag } : {}),
      ...(r.last_modified ? { lastModified: r.last_modified } : {}),
      updatedAt: r.updated_at,
      checkedAt: r.checked_at,
      records: r.records,
    }));
  }

  seenEcosystems(): string[] {
    return (
      this.db.prepare("SELECT ecosystem FROM seen ORDER BY ecosystem").all() as Array<{ ecosystem: string }>
    ).map((r) => r.ecosystem);
  }

  meta(key: string): string | undefined {
    return readMeta(this.db, key);
  }

  counts(): { records: number; aliases: number; affected: number } {
    const one = (sql: string) => (this.db.prepare(sql).get() as { n: number }).n;
    return {
      records: one("SELECT COUNT(*) AS n FROM vulns"),
      aliases: one("SELECT COUNT(*) AS n FROM aliases"),
      affected: one("SELECT COUNT(*) AS n FROM affected"),
    };
  }
}

/**
 * Small in-place writes (SQLite's own journal makes each atomic): the ecosystems a scan looked
 * for, and the time feeds were last checked. Returns false when the file cannot be written.
 */
export function writeInPlace(path: string, write: (db: Database.Database) => void): boolean {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { fileMustExist: true, timeout: 2000 });
    if (schemaVersionOf(db) !== SCHEMA_VERSION) return false;
    db.transaction(() => write(db!))();
    return true;
  } catch {
    return false;
  } finally {
    db?.close();
  }
}

/** Notes the ecosystem names (`Debian`, `PyPI`) a scan looked for. */
export function noteSeenEcosystems(path: string, ecosystems: Iterable<string>, now: Date): boolean {
  const list = [...new Set(ecosystems)];
  if (list.length === 0) return true;
  return writeInPlace(path, (db) => {
    const insert = db.prepare("INSERT OR REPLACE INTO seen (ecosystem, at) VALUES (?, ?)");
    for (const e of list) insert.run(e, now.toISOString());
  });
}
