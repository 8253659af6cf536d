/**
 * Writes records into an open database (always a temporary copy: see atomic.ts). A record
 * replaces the stored one with the same id unless the stored one is newer (OSV: "the one with
 * the later modification time is considered authoritative"); withdrawn records are removed.
 */
import type { Database, Statement } from "better-sqlite3";
import { ecosystemBase, type OsvRecord } from "../osv.ts";
import { idsColumn, toRow, type VulnRow } from "./rows.ts";

export type WriteOutcome = "inserted" | "replaced" | "kept-newer" | "withdrawn";

export interface ImportCounts {
  inserted: number;
  replaced: number;
  keptNewer: number;
  withdrawn: number;
  /** Records of a feed that the new snapshot no longer has, removed. */
  removed: number;
}

export function emptyCounts(): ImportCounts {
  return { inserted: 0, replaced: 0, keptNewer: 0, withdrawn: 0, removed: 0 };
}

export function addCount(counts: ImportCounts, outcome: WriteOutcome): void {
  if (outcome === "inserted") counts.inserted++;
  else if (outcome === "replaced") counts.replaced++;
  else if (outcome === "kept-newer") counts.keptNewer++;
  else counts.withdrawn++;
}

/** RFC 3339 times compared as instants (fractional seconds make string order wrong). */
export function isNewer(a: string, b: string): boolean {
  const x = Date.parse(a);
  const y = Date.parse(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return a > b;
  return x > y;
}

export class DbWriter {
  private readonly select: Statement<[string], { rowid: number; modified: string }>;
  private readonly insertVuln: Statement;
  private readonly updateVuln: Statement;
  private readonly deleteVuln: Statement;
  private readonly deleteAffected: Statement;
  private readonly deleteAffectedPackage: Statement;
  private readonly deleteAliases: Statement;
  private readonly insertAffected: Statement;
  private readonly insertAlias: Statement;
  private readonly hasAlias: Statement<[number, string], { found: number }>;
  private readonly countAffected: Statement<[number], { n: number }>;
  private readonly allAliases: Statement<[number], { alias: string; upstream: number }>;
  private readonly setIds: Statement;

  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
    this.select = db.prepare("SELECT rowid, modified FROM vulns WHERE id = ?");
    this.insertVuln = db.prepare(
      "INSERT INTO vulns (id, modified, published, summary, severity, refs, ids) VALUES (?, ?, ?, ?, ?, ?, ?)",
    );
    this.updateVuln = db.prepare(
      "UPDATE vulns SET modified = ?, published = ?, summary = ?, severity = ?, refs = ?, ids = ? WHERE rowid = ?",
    );
    this.deleteVuln = db.prepare("DELETE FROM vulns WHERE rowid = ?");
    this.deleteAffected = db.prepare("DELETE FROM affected WHERE vuln = ?");
    this.deleteAffectedPackage = db.prepare(
      "DELETE FROM affected WHERE vuln = ? AND ecosystem = ? AND package = ?",
    );
    this.deleteAliases = db.prepare("DELETE FROM aliases WHERE vuln = ?");
    this.insertAffected = db.prepare(
      "INSERT INTO affected (vuln, ecosystem, package, data) VALUES (?, ?, ?, ?)",
    );
    this.insertAlias = db.prepare("INSERT INTO aliases (vuln, alias, upstream) VALUES (?, ?, ?)");
    this.hasAlias = db.prepare("SELECT 1 AS found FROM aliases WHERE vuln = ? AND alias = ?");
    this.countAffected = db.prepare("SELECT COUNT(*) AS n FROM affected WHERE vuln = ?");
    this.allAliases = db.prepare("SELECT alias, upstream FROM aliases WHERE vuln = ? ORDER BY rowid");
    this.setIds = db.prepare("UPDATE vulns SET ids = ? WHERE rowid = ?");
  }

  /** Adds, replaces or (when withdrawn) removes one record. */
  write(record: OsvRecord): WriteOutcome {
    const existing = this.select.get(record.id.trim());
    if (record.withdrawn) {
      if (existing) this.removeRow(existing.rowid);
      return "withdrawn";
    }
    if (existing && isNewer(existing.modified, record.modified)) return "kept-newer";
    const row = toRow(record);
    if (existing) {
      this.updateVuln.run(
        row.modified,
        row.published,
        row.summary,
        row.severity,
        row.refs,
        row.ids,
        existing.rowid,
      );
      this.deleteAffected.run(existing.rowid);
      this.deleteAliases.run(existing.rowid);
      this.insertChildren(existing.rowid, row);
      return "replaced";
    }
    const rowid = Number(
      this.insertVuln.run(row.id, row.modified, row.published, row.summary, row.severity, row.refs, row.ids)
        .lastInsertRowid,
    );
    this.insertChildren(rowid, row);
    return "inserted";
  }

  /**
   * Merges a record that describes only some packages of some ecosystems (Alpine secdb: one
   * file per release): its affected rows replace the stored ones for the same ecosystem and
   * package, the others stay.
   */
  merge(record: OsvRecord): WriteOutcome {
    const row = toRow(record);
    const existing = this.select.get(row.id);
    let rowid: number;
    if (existing) {
      rowid = existing.rowid;
      for (const a of row.affected) this.deleteAffectedPackage.run(rowid, a.ecosystem, a.package);
    } else {
      rowid = Number(
        this.insertVuln.run(row.id, row.modified, row.published, row.summary, row.severity, row.refs, row.ids)
          .lastInsertRowid,
      );
    }
    for (const a of row.affected) this.insertAffected.run(rowid, a.ecosystem, a.package, a.data);
    let added = false;
    for (const alias of row.aliases)
      if (!this.hasAlias.get(rowid, alias)) {
        this.insertAlias.run(rowid, alias, 0);
        added = true;
      }
    for (const id of row.upstream)
      if (!this.hasAlias.get(rowid, id)) {
        this.insertAlias.run(rowid, id, 1);
        added = true;
      }
    if (existing && added) {
      const all = this.allAliases.all(rowid);
      const ids = idsColumn(
        all.filter((a) => !a.upstream).map((a) => a.alias),
        all.filter((a) => a.upstream).map((a) => a.alias),
      );
      this.setIds.run(ids, rowid);
    }
    return existing ? "replaced" : "inserted";
  }

  /** Ids of the records with an affected package in an ecosystem (any release of it). */
  idsInEcosystem(base: string): Map<string, number> {
    const rows = this.db
      .prepare(
        `SELECT DISTINCT v.id AS id, v.rowid AS rowid FROM affected a JOIN vulns v ON v.rowid = a.vuln
         WHERE a.ecosystem = ? OR (a.ecosystem >= ? AND a.ecosystem < ?)`,
      )
      .all(base, `${base}:`, `${base};`) as Array<{ id: string; rowid: number }>;
    return new Map(rows.map((r) => [r.id, r.rowid]));
  }

  /**
   * Drops a record's affected rows for one ecosystem (all releases), and the record itself when
   * nothing else is left: what a feed's new snapshot no longer lists.
   */
  dropFromEcosystem(rowid: number, base: string): void {
    this.db
      .prepare(
        "DELETE FROM affected WHERE vuln = ? AND (ecosystem = ? OR (ecosystem >= ? AND ecosystem < ?))",
      )
      .run(rowid, base, `${base}:`, `${base};`);
    if ((this.countAffected.get(rowid)?.n ?? 0) === 0) this.removeRow(rowid);
  }

  private removeRow(rowid: number): void {
    this.deleteAffected.run(rowid);
    this.deleteAliases.run(rowid);
    this.deleteVuln.run(rowid);
  }

  private insertChildren(rowid: number, row: VulnRow): void {
    for (const a of row.affected) this.insertAffected.run(rowid, a.ecosystem, a.package, a.data);
    for (const alias of row.aliases) this.insertAlias.run(rowid, alias, 0);
    for (const id of row.upstream) this.insertAlias.run(rowid, id, 1);
  }

  /** Records a feed's fetch facts and record count. */
  noteFeed(feed: {
    name: string;
    url?: string;
    etag?: string;
    lastModified?: string;
    updatedAt: string;
    records: number;
  }): void {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO feeds (name, url, etag, last_modified, updated_at, checked_at, records)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        feed.name,
        feed.url ?? null,
        feed.etag ?? null,
        feed.lastModified ?? null,
        feed.updatedAt,
        feed.updatedAt,
        feed.records,
      );
  }

  /** Recomputes the per-ecosystem summary (records and packages per ecosystem string). */
  summarize(): void {
    this.db.exec(`DELETE FROM ecosystems;
      INSERT INTO ecosystems (name, records, packages)
        SELECT ecosystem, COUNT(DISTINCT vuln), COUNT(DISTINCT package) FROM affected GROUP BY ecosystem;`);
  }
}

/** The ecosystem base names of a record's affected packages. */
export function recordEcosystems(record: OsvRecord): Set<string> {
  return new Set(
    (record.affected ?? []).flatMap((a) => (a.package ? [ecosystemBase(a.package.ecosystem)] : [])),
  );
}
