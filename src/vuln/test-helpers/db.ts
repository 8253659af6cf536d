/** Databases for tests, built through the real import path. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { importIntoDb } from "../db/import.ts";
import { VulnStore } from "../db/store.ts";
import type { OsvRecord } from "../osv.ts";
import type { ScanPackage } from "../types.ts";

/** A database at `dir/vuln.db` holding `records` and whatever `paths` hold. */
export async function buildDb(dir: string, records: OsvRecord[], paths: string[] = []): Promise<string> {
  const dbPath = join(dir, "vuln.db");
  const file = join(dir, "records.json");
  writeFileSync(file, JSON.stringify(records));
  await importIntoDb({ dbPath, inputs: [file, ...paths], cwd: dir, now: new Date("2024-06-01T00:00:00Z") });
  return dbPath;
}

export function withStore<T>(dbPath: string, fn: (store: VulnStore) => T): T {
  const store = VulnStore.open(dbPath);
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

let counter = 0;

/** A package as drydock's catalogers write it. */
export function pkg(
  fields: Partial<ScanPackage> & Pick<ScanPackage, "name" | "version" | "type">,
): ScanPackage {
  counter++;
  return {
    id: `p${counter}`,
    locations: [{ path: "/lib/apk/db/installed", layerDiffId: "sha256:aaaa", layerIndex: 0 }],
    metadata: {},
    ...fields,
  };
}
