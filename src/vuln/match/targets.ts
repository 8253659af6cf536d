/**
 * What to look up for a package: the OSV ecosystem (with the distro release for OS packages),
 * the name the records use and the version to compare.
 *  - Debian/Ubuntu: records name the source package and list source versions (OSV ecosystem
 *    table; trivy's Debian driver does the same), so dpkg's `Source:` name and version are used.
 *  - Alpine: records name the origin (the APKBUILD), as secdb does; subpackages share its version.
 *  - RPM distros: records name the source RPM (Rocky, Alma, SUSE) or a binary RPM (Red Hat), so
 *    both names are looked up; versions are compared as [epoch:]version-release.
 *  - Language packages: the ecosystem of the purl type (or of drydock's package type), names
 *    normalised as the registry does (PyPI per PEP 503).
 * Releases: `Debian:12`, `Ubuntu:22.04:LTS`, `Alpine:v3.20`, `Rocky Linux:9`, from os-release
 * or the purl's `distro=` qualifier (`debian-12`, `alpine-3.20.3`, or trivy's bare `3.20.3`).
 */
import { PackageURL } from "packageurl-js";
import { packageKey } from "../osv.ts";
import type { DistroRelease, ScanPackage } from "../types.ts";
import { versionSchemeFor } from "../versions/index.ts";
import type { VersionScheme } from "../versions/types.ts";

export interface MatchTarget {
  /** OSV ecosystem base name (`Debian`, `PyPI`). */
  base: string;
  /** Exact ecosystem strings to look in. */
  ecosystems: string[];
  /** Lookup keys (normalised names). */
  names: string[];
  /** The name the records use, when it is not the package's name. */
  matchedName?: string;
  version: string;
  scheme: VersionScheme | null;
  /** An OS package: its distro's rating of a vulnerability comes first. */
  distro: boolean;
}

/** Our package types (purl types where one exists) to OSV ecosystems. */
const LANGUAGE_ECOSYSTEMS: Record<string, string> = {
  python: "PyPI",
  pypi: "PyPI",
  npm: "npm",
  "go-module": "Go",
  golang: "Go",
  "java-archive": "Maven",
  maven: "Maven",
  gem: "RubyGems",
  "rust-crate": "crates.io",
  cargo: "crates.io",
  dotnet: "NuGet",
  nuget: "NuGet",
  "php-composer": "Packagist",
  composer: "Packagist",
  hex: "Hex",
  pub: "Pub",
  hackage: "Hackage",
  cran: "CRAN",
  swift: "SwiftURL",
};

const DEBIAN_CODENAMES: Record<string, string> = {
  buzz: "1.1",
  rex: "1.2",
  bo: "1.3",
  hamm: "2.0",
  slink: "2.1",
  potato: "2.2",
  woody: "3.0",
  sarge: "3.1",
  etch: "4",
  lenny: "5",
  squeeze: "6",
  wheezy: "7",
  jessie: "8",
  stretch: "9",
  buster: "10",
  bullseye: "11",
  bookworm: "12",
  trixie: "13",
  forky: "14",
  duke: "15",
};

export interface ParsedPurl {
  type: string;
  namespace?: string;
  name: string;
  version?: string;
  qualifiers: Record<string, string>;
}

const PURLS = new Map<string, ParsedPurl | null>();

/** A purl's parts (parsed once: SBOM reading and matching both need them). */
export function parsePurl(text: string | undefined): ParsedPurl | undefined {
  if (!text) return undefined;
  const cached = PURLS.get(text);
  if (cached !== undefined) return cached ?? undefined;
  if (PURLS.size > 100_000) PURLS.clear();
  const parsed = parsePurlText(text);
  PURLS.set(text, parsed ?? null);
  return parsed;
}

function parsePurlText(text: string): ParsedPurl | undefined {
  try {
    const p = PackageURL.fromString(text);
    return {
      type: p.type,
      ...(p.namespace ? { namespace: p.namespace } : {}),
      name: p.name,
      ...(p.version ? { version: p.version } : {}),
      qualifiers: (p.qualifiers as Record<string, string> | undefined) ?? {},
    };
  } catch {
    return undefined;
  }
}

const major = (version: string | undefined) => /^(\d+)/.exec(version ?? "")?.[1];
const majorMinor = (version: string | undefined) => /^(\d+\.\d+)/.exec(version ?? "")?.[1];

/**
 * A distro from a purl `distro=` qualifier: syft's `debian-12`, `alpine-3.20.3`, `ubuntu-22.04`,
 * `rhel-9.3`; trivy's `debian-12.5` or a bare version (`3.20.3`), with the id from the purl
 * namespace.
 */
export function distroFromQualifier(
  qualifier: string | undefined,
  namespace?: string,
): DistroRelease | undefined {
  if (!qualifier) return namespace ? { id: namespace.toLowerCase() } : undefined;
  const match = /^([a-z][a-z0-9._]*?)-(\d[\w.~+-]*)$/i.exec(qualifier);
  if (match) return { id: match[1]!.toLowerCase(), versionId: match[2]! };
  if (/^\d/.test(qualifier) && namespace) return { id: namespace.toLowerCase(), versionId: qualifier };
  return { id: qualifier.toLowerCase() };
}

/** Whether an Ubuntu release is LTS: even years' April releases. */
function ubuntuLts(version: string): boolean {
  const m = /^(\d\d)\.04$/.exec(version);
  return m !== null && Number(m[1]) % 2 === 0;
}

/**
 * The OSV ecosystems of a distro release, given the ecosystem strings the database holds
 * (Red Hat's are product streams: `Red Hat:enterprise_linux:9::appstream`).
 */
export function distroEcosystems(
  distro: DistroRelease,
  known: readonly string[],
): { base: string; ecosystems: string[] } | undefined {
  const id = distro.id.toLowerCase();
  const version = distro.versionId;
  switch (id) {
    case "debian": {
      const release =
        major(version) ?? (distro.versionCodename ? DEBIAN_CODENAMES[distro.versionCodename] : undefined);
      return { base: "Debian", ecosystems: release ? [`Debian:${release}`] : [] };
    }
    case "ubuntu": {
      const release = majorMinor(version);
      if (!release) return { base: "Ubuntu", ecosystems: [] };
      const exact = known.filter((e) => e === `Ubuntu:${release}` || e === `Ubuntu:${release}:LTS`);
      return {
        base: "Ubuntu",
        ecosystems:
          exact.length > 0 ? exact : [ubuntuLts(release) ? `Ubuntu:${release}:LTS` : `Ubuntu:${release}`],
      };
    }
    case "alpine": {
      const release = majorMinor(version);
      return { base: "Alpine", ecosystems: release ? [`Alpine:v${release}`] : [] };
    }
    case "wolfi":
      return { base: "Wolfi", ecosystems: ["Wolfi"] };
    case "chainguard":
      return { base: "Chainguard", ecosystems: ["Chainguard"] };
    case "rocky":
      return { base: "Rocky Linux", ecosystems: major(version) ? [`Rocky Linux:${major(version)}`] : [] };
    case "almalinux":
      return { base: "AlmaLinux", ecosystems: major(version) ? [`AlmaLinux:${major(version)}`] : [] };
    case "rhel":
    case "redhat": {
      const m = major(version);
      const streams = m ? known.filter((e) => new RegExp(`^Red Hat:enterprise_linux:${m}(:|$)`).test(e)) : [];
      return { base: "Red Hat", ecosystems: streams };
    }
    case "opensuse":
    case "opensuse-leap":
    case "opensuse-tumbleweed":
    case "sles":
    case "suse": {
      const base = id === "sles" || id === "suse" ? "SUSE" : "openSUSE";
      const name = distro.prettyName;
      return { base, ecosystems: name ? known.filter((e) => e === `${base}:${name}`) : [] };
    }
    case "photon":
      return {
        base: "Photon OS",
        ecosystems: majorMinor(version) ? [`Photon OS:${majorMinor(version)}`] : [],
      };
    case "mageia":
      return { base: "Mageia", ecosystems: major(version) ? [`Mageia:${major(version)}`] : [] };
    default:
      return undefined;
  }
}

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;

/** syft's `upstream=` qualifier: `openssl` or `glibc@2.36-9`; rpm: `openssl-3.0.7-27.el9.src.rpm`. */
function upstreamQualifier(value: string | undefined): { name?: string; version?: string } {
  if (!value) return {};
  const at = value.indexOf("@");
  return at < 0 ? { name: value } : { name: value.slice(0, at), version: value.slice(at + 1) };
}

/** `openssl-3.0.7-27.el9.src.rpm` -> `openssl` (name-version-release.arch.rpm). */
export function sourceRpmName(sourceRpm: string): string | undefined {
  const m = /^(.+)-[^-]+-[^-]+\.(?:src|nosrc)\.rpm$/.exec(sourceRpm.trim());
  return m?.[1];
}

function osTarget(
  pkg: ScanPackage,
  kind: "deb" | "apk" | "rpm",
  purl: ParsedPurl | undefined,
  distro: DistroRelease | undefined,
  known: readonly string[],
): MatchTarget | undefined {
  const own =
    purl?.qualifiers.distro || purl?.namespace
      ? distroFromQualifier(purl?.qualifiers.distro, purl?.namespace)
      : undefined;
  // The image's os-release is more precise than a purl namespace alone.
  const release = own?.versionId ? own : (distro ?? own);
  if (!release) return undefined;
  const resolved = distroEcosystems(release, known);
  if (!resolved) return undefined;
  const upstream = upstreamQualifier(purl?.qualifiers.upstream);
  let names: string[];
  let version = pkg.version;
  const epoch = text(String(pkg.metadata.epoch ?? "")) ?? purl?.qualifiers.epoch;
  const withEpoch = (v: string) => (epoch && epoch !== "0" && !v.includes(":") ? `${epoch}:${v}` : v);
  if (kind === "deb") {
    names = [text(pkg.metadata.source) ?? upstream.name ?? pkg.name];
    // trivy writes a deb's epoch as a purl qualifier, syft inside the version.
    version = text(pkg.metadata.sourceVersion) ?? upstream.version ?? withEpoch(pkg.version);
  } else if (kind === "apk") {
    names = [text(pkg.metadata.origin) ?? upstream.name ?? pkg.name];
  } else {
    const srpm = text(pkg.metadata.sourceRpm) ?? purl?.qualifiers.upstream;
    const source = srpm ? (sourceRpmName(srpm) ?? srpm) : undefined;
    names = [...new Set([...(source ? [source] : []), pkg.name])];
    version = withEpoch(version);
  }
  const matchedName = names[0] !== pkg.name ? names[0] : undefined;
  // The release picks the scheme where a distro changed its order (Alpine 3.23: apk-tools 3).
  const scheme = versionSchemeFor(resolved.ecosystems[0] ?? resolved.base);
  return {
    base: resolved.base,
    ecosystems: resolved.ecosystems,
    names: names.map((n) => packageKey(resolved.base, n)),
    ...(matchedName ? { matchedName } : {}),
    version,
    scheme,
    distro: true,
  };
}

function languageName(base: string, pkg: ScanPackage, purl: ParsedPurl | undefined): string {
  if (purl?.namespace) {
    if (base === "Maven") return `${purl.namespace}:${purl.name}`;
    return `${purl.namespace}/${purl.name}`;
  }
  if (purl) return purl.name;
  if (base === "Maven" && typeof pkg.metadata.groupId === "string" && !pkg.name.includes(":"))
    return `${pkg.metadata.groupId}:${pkg.name}`;
  return pkg.name;
}

/** The lookup for one package, or undefined when drydock knows no ecosystem for it. */
export function matchTarget(
  pkg: ScanPackage,
  distro: DistroRelease | undefined,
  known: readonly string[],
): MatchTarget | undefined {
  const purl = parsePurl(pkg.purl);
  const kind = purl?.type ?? pkg.type;
  if (kind === "deb" || kind === "apk" || kind === "rpm") return osTarget(pkg, kind, purl, distro, known);
  const base = LANGUAGE_ECOSYSTEMS[kind] ?? LANGUAGE_ECOSYSTEMS[pkg.type];
  if (!base) return undefined;
  let name = languageName(base, pkg, purl);
  let version = pkg.version || purl?.version || "";
  // Go's standard library is the module "stdlib" at versions without the "go" prefix.
  if (base === "Go" && name === "stdlib") version = version.replace(/^go/, "");
  if (base === "Go" && (name === "go" || name === "golang.org/toolchain")) name = "stdlib";
  const matchedName = name !== pkg.name ? name : undefined;
  return {
    base,
    ecosystems: [base],
    names: [packageKey(base, name)],
    ...(matchedName ? { matchedName } : {}),
    version,
    scheme: versionSchemeFor(base),
    distro: false,
  };
}
