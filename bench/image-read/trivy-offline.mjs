// Prepares a trivy cache directory for an offline SBOM run: trivy needs a Java DB as soon as an
// image holds a jar and cannot download one here, so this writes an empty one (trivy-java-db's
// schema, pkg/db/db.go, and a metadata.json not due for update). Same as the e2e helper
// test/e2e/helpers/trivy.ts. Usage: node bench/image-read/trivy-offline.mjs CACHE_DIR
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";

const cache = process.argv[2];
if (!cache) throw new Error("usage: trivy-offline.mjs CACHE_DIR");
const dir = join(cache, "java-db");
mkdirSync(dir, { recursive: true });
const db = new Database(join(dir, "trivy-java.db"));
db.exec(
  [
    "CREATE TABLE IF NOT EXISTS artifacts(id INTEGER PRIMARY KEY, group_id TEXT, artifact_id TEXT)",
    "CREATE TABLE IF NOT EXISTS indices(artifact_id INTEGER, version TEXT, sha1 BLOB, archive_type TEXT, foreign key (artifact_id) references artifacts(id))",
    "CREATE UNIQUE INDEX IF NOT EXISTS artifacts_idx ON artifacts(artifact_id, group_id)",
    "CREATE INDEX IF NOT EXISTS indices_artifact_idx ON indices(artifact_id)",
    "CREATE UNIQUE INDEX IF NOT EXISTS indices_sha1_idx ON indices(sha1)",
  ].join(";"),
);
db.close();
const now = new Date().toISOString();
writeFileSync(
  join(dir, "metadata.json"),
  JSON.stringify({ Version: 1, NextUpdate: "2999-01-01T00:00:00Z", UpdatedAt: now, DownloadedAt: now }),
);
