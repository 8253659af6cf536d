// trivy needs a Java DB as soon as an image holds a jar, and cannot download one here: an empty
// database with trivy-java-db's schema (pkg/db/db.go: artifacts, indices) and a metadata.json
// that is not due for update lets it run offline. Jars are then identified from their own
// pom.properties and manifests only, as drydock does. Used by the SBOM e2e test (helpers/trivy.ts)
// and the image benchmark (`node test/e2e/helpers/trivy-java-db.mjs CACHE_DIR` before each run).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";

const SCHEMA = [
  "CREATE TABLE IF NOT EXISTS artifacts(id INTEGER PRIMARY KEY, group_id TEXT, artifact_id TEXT)",
  "CREATE TABLE IF NOT EXISTS indices(artifact_id INTEGER, version TEXT, sha1 BLOB, archive_type TEXT, foreign key (artifact_id) references artifacts(id))",
  "CREATE UNIQUE INDEX IF NOT EXISTS artifacts_idx ON artifacts(artifact_id, group_id)",
  "CREATE INDEX IF NOT EXISTS indices_artifact_idx ON indices(artifact_id)",
  "CREATE UNIQUE INDEX IF NOT EXISTS indices_sha1_idx ON indices(sha1)",
];

/** Writes an empty Java DB into trivy's cache directory `cacheDir`. */
export function writeEmptyJavaDb(cacheDir) {
  const dir = join(cacheDir, "java-db");
  mkdirSync(dir, { recursive: true });
  const db = new Database(join(dir, "trivy-java.db"));
  db.exec(SCHEMA.join(";"));
  db.close();
  const now = new Date().toISOString();
  writeFileSync(
    join(dir, "metadata.json"),
    JSON.stringify({ Version: 1, NextUpdate: "2999-01-01T00:00:00Z", UpdatedAt: now, DownloadedAt: now }),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const cacheDir = process.argv[2];
  if (!cacheDir) throw new Error("usage: trivy-java-db.mjs CACHE_DIR");
  writeEmptyJavaDb(cacheDir);
}
