/**
 * The vulnerability database's SQLite schema. One row per OSV record (`vulns`), its aliases and
 * upstream ids (`aliases`), one row per affected package (`affected`, looked up by ecosystem
 * and normalised package name), the feeds it was filled from (`feeds`: ETag/Last-Modified for
 * `db update`), a per-ecosystem summary (`ecosystems`) and the ecosystems scans asked for
 * (`seen`: what `db update` refreshes by default).
 *
 * `vulns.ids` repeats a record's aliases and upstream ids (JSON `{"a": [...], "u": [...]}`) so
 * that a scan loads a record with one read; `aliases` answers "which records go by this id".
 *
 * SCHEMA_VERSION changes whenever a table or a stored JSON shape changes; a database of another
 * version is never read (scan says to rebuild it) and import/update start a fresh one.
 */
import type { Database } from "better-sqlite3";

export const SCHEMA_VERSION = 1;

const TABLES = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS vulns (
  rowid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  modified TEXT NOT NULL,
  published TEXT,
  summary TEXT,
  severity TEXT,
  refs TEXT,
  ids TEXT
);
CREATE TABLE IF NOT EXISTS aliases (
  vuln INTEGER NOT NULL,
  alias TEXT NOT NULL,
  upstream INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS affected (
  vuln INTEGER NOT NULL,
  ecosystem TEXT NOT NULL,
  package TEXT NOT NULL,
  data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS feeds (
  name TEXT PRIMARY KEY,
  url TEXT,
  etag TEXT,
  last_modified TEXT,
  updated_at TEXT NOT NULL,
  checked_at TEXT NOT NULL,
  records INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS ecosystems (name TEXT PRIMARY KEY, records INTEGER NOT NULL, packages INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS seen (ecosystem TEXT PRIMARY KEY, at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS affected_by_vuln ON affected (vuln);
CREATE INDEX IF NOT EXISTS aliases_by_vuln ON aliases (vuln);
`;

/** Lookup indexes: built after a fresh bulk load (faster than maintaining them row by row). */
const LOOKUP_INDEXES = `
CREATE INDEX IF NOT EXISTS affected_by_package ON affected (ecosystem, package);
CREATE INDEX IF NOT EXISTS aliases_by_alias ON aliases (alias);
`;

export function createTables(db: Database): void {
  db.exec(TABLES);
  db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)").run(
    String(SCHEMA_VERSION),
  );
}

export function createLookupIndexes(db: Database): void {
  db.exec(LOOKUP_INDEXES);
}

export function dropLookupIndexes(db: Database): void {
  db.exec("DROP INDEX IF EXISTS affected_by_package; DROP INDEX IF EXISTS aliases_by_alias;");
}

/** The schema version a database says it has (0 when it has none). */
export function schemaVersionOf(db: Database): number {
  try {
    const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as
      | { value: string }
      | undefined;
    return row ? Number(row.value) : 0;
  } catch {
    return 0;
  }
}

export function readMeta(db: Database, key: string): string | undefined {
  const row = db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined;
  return row?.value;
}

export function writeMeta(db: Database, key: string, value: string): void {
  db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)").run(key, value);
}
