/**
 * The scan model: packages to match (from drydock's SBOM code or an SBOM file), the distro
 * release they belong to, and findings: one per vulnerability per package, with every id it
 * goes by, the fixed version, its severity and where the package was found.
 */
import type { Location } from "../sbom/types.ts";
import type { Severity } from "./severity/severity.ts";

export type { Location } from "../sbom/types.ts";

/**
 * A package as the matcher reads it. Same fields as drydock's SBOM packages (src/sbom/types.ts);
 * `type` is a string because SBOM files may name types drydock's catalogers do not produce.
 * Metadata read: `source`/`sourceVersion` (dpkg), `origin` (apk), `sourceRpm`/`epoch` (rpm),
 * `groupId` (Maven).
 */
export interface ScanPackage {
  id: string;
  name: string;
  version: string;
  type: string;
  purl?: string;
  locations: Location[];
  metadata: Record<string, unknown>;
}

/** The distro release packages were installed from (os-release ID and VERSION_ID). */
export interface DistroRelease {
  id: string;
  versionId?: string;
  versionCodename?: string;
  prettyName?: string;
}

export interface FindingPackage {
  id: string;
  name: string;
  version: string;
  type: string;
  purl?: string;
  /** OSV ecosystem it was matched in (`Debian:12`, `PyPI`). */
  ecosystem: string;
  /** The name the record lists when it is not the package's own (source package, apk origin). */
  matchedName?: string;
  /** The version compared when it is not the package's own (Debian source version). */
  matchedVersion?: string;
}

export interface Finding {
  /** The id shown: the matched record's (a CVE id when one of the matched records is the CVE). */
  id: string;
  /** Every other id of the vulnerability: the matched records' ids and their aliases. */
  aliases: string[];
  /** Upstream ids a distro record refers to (OSV `upstream`): used for ignore rules too. */
  upstream: string[];
  /** The OSV records that matched. */
  records: string[];
  summary?: string;
  severity: Severity;
  package: FindingPackage;
  /** The lowest version that fixes it, when one is known. */
  fixedVersion?: string;
  fixState: "fixed" | "not-fixed";
  locations: Location[];
  references: string[];
  published?: string;
}

/** Every id a finding goes by: shown id, aliases and upstream ids. */
export function findingIds(finding: Pick<Finding, "id" | "aliases" | "upstream">): string[] {
  return [finding.id, ...finding.aliases, ...finding.upstream];
}
