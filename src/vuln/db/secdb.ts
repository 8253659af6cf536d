/**
 * Alpine secdb files (https://secdb.alpinelinux.org/, the deprecated alpine-secdb repository):
 * per release and repository, each package's `secfixes` map a fixed version to the ids it
 * fixes. They become OSV-shaped records, one per id (`ALPINE-<id>`, aliased to the id), with an
 * affected entry per package and release (`Alpine:v3.11`): introduced "0", fixed <version>.
 * A fixed version of "0" means the release was never affected (grype's "NAK"): no entry.
 * Secdb lists only fixed issues; unfixed ones are not in it.
 */
import type { OsvAffected, OsvRecord } from "../osv.ts";

export interface SecdbDocument {
  distroversion: string;
  reponame?: string;
  packages: unknown[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A secdb document; an empty `packages:` (read as null or "" by YAML) is an empty list. */
export function isSecdbDocument(value: unknown): value is SecdbDocument {
  if (!isObject(value) || typeof value.distroversion !== "string" || !("packages" in value)) return false;
  const packages = value.packages;
  if (packages === null || packages === "") value.packages = [];
  return Array.isArray(value.packages);
}

/** Vulnerability ids in a secfixes entry: `CVE-2019-1234`, `XSA-123`, `GHSA-...`, `ZBX-1`. */
const ID = /^[A-Z][A-Z0-9]*-[A-Za-z0-9][A-Za-z0-9._:-]*$/;

/** `v3.11` (the OSV release suffix needs the `v`). */
export function alpineEcosystem(distroversion: string): string {
  const version = distroversion.trim();
  if (version === "edge") return "Alpine:edge";
  return `Alpine:${version.startsWith("v") ? version : `v${version}`}`;
}

/**
 * Records from one secdb document. `modified` is the import time: secdb carries no dates.
 * Throws with the field at fault when the document is not secdb-shaped.
 */
export function secdbRecords(doc: SecdbDocument, where: string, modified: string): OsvRecord[] {
  const ecosystem = alpineEcosystem(doc.distroversion);
  const byId = new Map<string, OsvRecord>();
  doc.packages.forEach((entry, i) => {
    const pkg = isObject(entry) ? entry.pkg : undefined;
    if (!isObject(pkg) || typeof pkg.name !== "string")
      throw new Error(`${where}: packages[${i}].pkg.name is missing`);
    const secfixes = pkg.secfixes;
    if (secfixes === undefined || secfixes === null) return;
    if (!isObject(secfixes)) throw new Error(`${where}: packages[${i}].pkg.secfixes must be a map`);
    for (const [fixed, ids] of Object.entries(secfixes)) {
      if (fixed.trim() === "0") continue;
      // Real files have empty entries (`7.4.0-r0:` with nothing under it): no ids, nothing to add.
      const list = Array.isArray(ids) ? ids : typeof ids === "string" ? [ids] : ids == null ? [] : undefined;
      if (!list) throw new Error(`${where}: ${pkg.name} ${fixed}: must list ids`);
      for (const text of list) {
        if (typeof text !== "string") continue;
        for (const id of text.split(/\s+/).filter((token) => ID.test(token))) {
          const recordId = `ALPINE-${id}`;
          const record = byId.get(recordId) ?? {
            id: recordId,
            modified,
            aliases: [id],
            summary: `${id} fixed in Alpine ${doc.distroversion}`,
            affected: [],
          };
          const affected: OsvAffected = {
            package: { ecosystem, name: pkg.name },
            ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: fixed.trim() }] }],
          };
          record.affected!.push(affected);
          byId.set(recordId, record);
        }
      }
    }
  });
  return [...byId.values()];
}
