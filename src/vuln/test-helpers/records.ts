/**
 * OSV records written for tests, in the shapes the real feeds use: Debian's DEBIAN-CVE records
 * (source package, `Debian:12`, urgency in ecosystem_specific, no CVSS), Alpine's (origin,
 * `Alpine:v3.18`), GitHub advisories (GHSA rating in database_specific), plus temporary
 * folders and the fixture paths.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixturesDir } from "../../test-helpers/shared.ts";
import type { OsvRecord } from "../osv.ts";

export const PYPA_VULNS = () => join(fixturesDir(), "osv-pypa", "vulns");
export const ALPINE_SECDB = () => join(fixturesDir(), "alpine-secdb");

export const CRITICAL_V3 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"; // 9.8
export const HIGH_V3 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"; // 7.5
export const MEDIUM_V3 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"; // 6.1

export function debianRecord(options: {
  cve: string;
  source: string;
  release?: string;
  fixed?: string;
  urgency?: string;
  modified?: string;
}): OsvRecord {
  return {
    id: `DEBIAN-${options.cve}`,
    modified: options.modified ?? "2024-05-01T00:00:00Z",
    upstream: [options.cve],
    details: `${options.cve} in ${options.source}.`,
    affected: [
      {
        package: { ecosystem: `Debian:${options.release ?? "12"}`, name: options.source },
        ranges: [
          {
            type: "ECOSYSTEM",
            events: [{ introduced: "0" }, ...(options.fixed ? [{ fixed: options.fixed }] : [])],
          },
        ],
        ...(options.urgency ? { ecosystem_specific: { urgency: options.urgency } } : {}),
      },
    ],
  };
}

export function alpineRecord(options: {
  id: string;
  origin: string;
  release?: string;
  fixed?: string;
  lastAffected?: string;
  cvss?: string;
  modified?: string;
}): OsvRecord {
  return {
    id: options.id,
    modified: options.modified ?? "2024-05-01T00:00:00Z",
    summary: `${options.id} in ${options.origin}`,
    ...(options.cvss ? { severity: [{ type: "CVSS_V3", score: options.cvss }] } : {}),
    affected: [
      {
        package: { ecosystem: `Alpine:${options.release ?? "v3.18"}`, name: options.origin },
        ranges: [
          {
            type: "ECOSYSTEM",
            events: [
              { introduced: "0" },
              ...(options.fixed ? [{ fixed: options.fixed }] : []),
              ...(options.lastAffected ? [{ last_affected: options.lastAffected }] : []),
            ],
          },
        ],
      },
    ],
  };
}

export function ghsaRecord(options: {
  id: string;
  ecosystem: string;
  name: string;
  introduced?: string;
  fixed?: string;
  rating?: string;
  aliases?: string[];
  cvss?: string;
  modified?: string;
  withdrawn?: string;
}): OsvRecord {
  return {
    id: options.id,
    modified: options.modified ?? "2024-05-01T00:00:00Z",
    ...(options.withdrawn ? { withdrawn: options.withdrawn } : {}),
    aliases: options.aliases ?? [],
    summary: `${options.id} in ${options.name}`,
    ...(options.cvss ? { severity: [{ type: "CVSS_V3", score: options.cvss }] } : {}),
    affected: [
      {
        package: { ecosystem: options.ecosystem, name: options.name },
        ranges: [
          {
            type: "ECOSYSTEM",
            events: [
              { introduced: options.introduced ?? "0" },
              ...(options.fixed ? [{ fixed: options.fixed }] : []),
            ],
          },
        ],
      },
    ],
    ...(options.rating ? { database_specific: { severity: options.rating } } : {}),
  };
}

/** A temporary folder removed by the returned function. */
export function tempDir(prefix = "drydock-vuln-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
