/**
 * Packages from SBOM files, for `drydock scan sbom:FILE`:
 *  - CycloneDX JSON (https://cyclonedx.org/docs/1.6/json/): components (nested too) with purls;
 *    the distro from the `operating-system` component; locations and source packages from
 *    drydock's (`drydock:...`), syft's (`syft:location:N:path`) and trivy's
 *    (`aquasecurity:trivy:SrcName`, `SrcVersion`, `SrcRelease`, `SrcEpoch`, `FilePath`,
 *    `LayerDiffID`) properties.
 *  - SPDX 2.x JSON (https://spdx.github.io/spdx-spec/v2.3/): packages' PACKAGE-MANAGER purl
 *    external refs; the distro from the OPERATING-SYSTEM package; trivy's
 *    `sourceInfo: "built package from: glibc 2.36-9+deb12u4"`.
 *  - syft JSON (`artifacts`, `distro`) and drydock's own JSON (`drydock-sbom/1`).
 * Otherwise the distro comes from purl `distro=` qualifiers (matching reads them per package).
 */
import { UsageError } from "../errors.ts";
import { parsePurl } from "./match/targets.ts";
import type { DistroRelease, Location, ScanPackage } from "./types.ts";

export type SbomFileFormat = "cyclonedx" | "spdx" | "syft" | "drydock";

export interface SbomFileInput {
  format: SbomFileFormat;
  distro?: DistroRelease;
  packages: ScanPackage[];
  /** The subject the SBOM describes (image or directory name), when it says. */
  subject?: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Our package types from purl types (drydock's catalogers name types this way). */
const TYPE_FROM_PURL: Record<string, string> = {
  deb: "deb",
  apk: "apk",
  rpm: "rpm",
  pypi: "python",
  npm: "npm",
  golang: "go-module",
  maven: "java-archive",
  gem: "gem",
  cargo: "rust-crate",
  nuget: "dotnet",
  composer: "php-composer",
};

function distroFromOs(name: string | undefined, version: string | undefined): DistroRelease | undefined {
  if (!name) return undefined;
  return { id: name.toLowerCase(), ...(version ? { versionId: version } : {}) };
}

/** Source package facts as the matcher reads them (metadata.source, sourceVersion, origin, sourceRpm, epoch). */
function sourceMetadata(
  type: string,
  facts: { name?: string; version?: string; release?: string; epoch?: string },
): Json {
  const out: Json = {};
  if (!facts.name) return out;
  if (type === "apk") out.origin = facts.name;
  else if (type === "rpm") out.sourceRpm = facts.name;
  else out.source = facts.name;
  if (type === "deb" && facts.version) {
    const epoch = facts.epoch && facts.epoch !== "0" ? `${facts.epoch}:` : "";
    out.sourceVersion = `${epoch}${facts.version}${facts.release ? `-${facts.release}` : ""}`;
  }
  return out;
}

let counter = 0;
const nextId = (prefix: string) => `${prefix}-${++counter}`;

function scanPackage(fields: {
  id?: string;
  name?: string;
  version?: string;
  type?: string;
  purl?: string;
  locations?: Location[];
  metadata?: Json;
}): ScanPackage | undefined {
  const purl = parsePurl(fields.purl);
  const type = fields.type ?? (purl ? (TYPE_FROM_PURL[purl.type] ?? purl.type) : undefined);
  const name = fields.name ?? purl?.name;
  const version = fields.version ?? purl?.version;
  if (!type || !name || !version) return undefined;
  return {
    id: fields.id ?? nextId("sbom"),
    name,
    version,
    type,
    ...(fields.purl ? { purl: fields.purl } : {}),
    locations: fields.locations ?? [],
    metadata: fields.metadata ?? {},
  };
}

function cycloneDxProperties(component: Json): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of list(component.properties)) {
    if (!isObject(p) || typeof p.name !== "string" || typeof p.value !== "string") continue;
    out.set(p.name, [...(out.get(p.name) ?? []), p.value]);
  }
  return out;
}

function cycloneDxLocations(props: Map<string, string[]>): Location[] {
  const byIndex = new Map<string, Location>();
  for (const [name, values] of props) {
    const m = /^(?:drydock|syft):location:(\d+):(path|layerDiffId|layerID)$/.exec(name);
    if (!m) continue;
    const location = byIndex.get(m[1]!) ?? { path: "" };
    if (m[2] === "path") location.path = values[0]!;
    else location.layerDiffId = values[0]!;
    byIndex.set(m[1]!, location);
  }
  const locations = [...byIndex.entries()].sort((a, b) => Number(a[0]) - Number(b[0])).map(([, l]) => l);
  const trivyPath = props.get("aquasecurity:trivy:FilePath")?.[0];
  const trivyLayer = props.get("aquasecurity:trivy:LayerDiffID")?.[0];
  if (locations.length === 0 && (trivyPath || trivyLayer)) {
    locations.push({
      path: trivyPath ? `/${trivyPath.replace(/^\/+/, "")}` : "",
      ...(trivyLayer ? { layerDiffId: trivyLayer } : {}),
    });
  }
  return locations.filter((l) => l.path !== "" || l.layerDiffId);
}

function readCycloneDx(doc: Json): SbomFileInput {
  const packages: ScanPackage[] = [];
  let distro: DistroRelease | undefined;
  const visit = (components: unknown[]) => {
    for (const c of components) {
      if (!isObject(c)) continue;
      visit(list(c.components));
      if (c.type === "operating-system") {
        distro ??= distroFromOs(str(c.name), str(c.version));
        continue;
      }
      const purl = str(c.purl);
      if (!purl) continue;
      const props = cycloneDxProperties(c);
      const one = (key: string) => props.get(key)?.[0];
      const type = one("drydock:package:type") ?? one("syft:package:type");
      const metadata: Json = {};
      for (const [name, values] of props) {
        const m = /^drydock:metadata:([A-Za-z]+)$/.exec(name);
        if (m) metadata[m[1]!] = values.length === 1 ? values[0] : values;
      }
      const parsed = parsePurl(purl);
      const kind = type ?? (parsed ? TYPE_FROM_PURL[parsed.type] : undefined) ?? "";
      Object.assign(
        metadata,
        sourceMetadata(kind, {
          name: one("aquasecurity:trivy:SrcName"),
          version: one("aquasecurity:trivy:SrcVersion"),
          release: one("aquasecurity:trivy:SrcRelease"),
          epoch: one("aquasecurity:trivy:SrcEpoch"),
        }),
      );
      if (typeof c.group === "string" && kind === "java-archive") metadata.groupId ??= c.group;
      const pkg = scanPackage({
        id: str(c["bom-ref"]),
        name: str(c.name),
        version: str(c.version),
        ...(type ? { type } : {}),
        purl,
        locations: cycloneDxLocations(props),
        metadata,
      });
      if (pkg) packages.push(pkg);
    }
  };
  visit(list(doc.components));
  const metadata = isObject(doc.metadata) ? doc.metadata : {};
  const subject = isObject(metadata.component) ? str(metadata.component.name) : undefined;
  if (isObject(metadata.component)) visit(list(metadata.component.components));
  return { format: "cyclonedx", ...(distro ? { distro } : {}), packages, ...(subject ? { subject } : {}) };
}

function readSpdx(doc: Json): SbomFileInput {
  const packages: ScanPackage[] = [];
  let distro: DistroRelease | undefined;
  for (const p of list(doc.packages)) {
    if (!isObject(p)) continue;
    if (p.primaryPackagePurpose === "OPERATING-SYSTEM") {
      distro ??= distroFromOs(str(p.name), str(p.versionInfo));
      continue;
    }
    const ref = list(p.externalRefs).find(
      (r) =>
        isObject(r) &&
        /^PACKAGE[-_]MANAGER$/.test(String(r.referenceCategory)) &&
        r.referenceType === "purl" &&
        typeof r.referenceLocator === "string",
    ) as Json | undefined;
    const purl = ref ? str(ref.referenceLocator) : undefined;
    if (!purl) continue;
    const parsed = parsePurl(purl);
    const kind = parsed ? (TYPE_FROM_PURL[parsed.type] ?? parsed.type) : "";
    // trivy: "built package from: glibc 2.36-9+deb12u4".
    const built = /built package from:\s*(\S+)\s+(\S+)/.exec(str(p.sourceInfo) ?? "");
    const metadata = built ? sourceMetadata(kind, { name: built[1]!, version: built[2]! }) : {};
    const pkg = scanPackage({
      id: str(p.SPDXID),
      name: str(p.name),
      version: str(p.versionInfo),
      purl,
      metadata,
    });
    if (pkg) packages.push(pkg);
  }
  return {
    format: "spdx",
    ...(distro ? { distro } : {}),
    packages,
    ...(str(doc.name) ? { subject: str(doc.name)! } : {}),
  };
}

function readSyft(doc: Json): SbomFileInput {
  const packages: ScanPackage[] = [];
  for (const a of list(doc.artifacts)) {
    if (!isObject(a)) continue;
    const m = isObject(a.metadata) ? a.metadata : {};
    const metadata: Json = {};
    if (str(m.source)) metadata.source = m.source;
    if (str(m.sourceVersion)) metadata.sourceVersion = m.sourceVersion;
    if (str(m.originPackage)) metadata.origin = m.originPackage;
    if (str(m.sourceRpm)) metadata.sourceRpm = m.sourceRpm;
    if (m.epoch !== undefined && m.epoch !== null) metadata.epoch = m.epoch;
    const locations = list(a.locations).flatMap((l) =>
      isObject(l) && typeof l.path === "string"
        ? [{ path: l.path, ...(str(l.layerID) ? { layerDiffId: str(l.layerID)! } : {}) }]
        : [],
    );
    const purl = str(a.purl);
    const parsed = parsePurl(purl);
    const pkg = scanPackage({
      id: str(a.id),
      name: str(a.name),
      version: str(a.version),
      ...(parsed ? { type: TYPE_FROM_PURL[parsed.type] ?? parsed.type } : {}),
      ...(purl ? { purl } : {}),
      locations,
      metadata,
    });
    if (pkg) packages.push(pkg);
  }
  const d = isObject(doc.distro) ? doc.distro : {};
  const distro = str(d.id)
    ? { id: str(d.id)!.toLowerCase(), ...(str(d.versionID) ? { versionId: str(d.versionID)! } : {}) }
    : undefined;
  const source = isObject(doc.source) ? str(doc.source.name) : undefined;
  return { format: "syft", ...(distro ? { distro } : {}), packages, ...(source ? { subject: source } : {}) };
}

function readDrydock(doc: Json): SbomFileInput {
  const packages = list(doc.packages).flatMap((p) => {
    if (!isObject(p)) return [];
    const pkg = scanPackage({
      id: str(p.id),
      name: str(p.name),
      version: str(p.version),
      type: str(p.type),
      purl: str(p.purl),
      locations: list(p.locations).filter(isObject) as unknown as Location[],
      metadata: isObject(p.metadata) ? p.metadata : {},
    });
    return pkg ? [pkg] : [];
  });
  const d = isObject(doc.distro) ? doc.distro : undefined;
  const distro =
    d && str(d.id)
      ? {
          id: str(d.id)!,
          ...(str(d.versionId) ? { versionId: str(d.versionId)! } : {}),
          ...(str(d.versionCodename) ? { versionCodename: str(d.versionCodename)! } : {}),
          ...(str(d.prettyName) ? { prettyName: str(d.prettyName)! } : {}),
        }
      : undefined;
  const source = isObject(doc.source) ? str(doc.source.name) : undefined;
  return {
    format: "drydock",
    ...(distro ? { distro } : {}),
    packages,
    ...(source ? { subject: source } : {}),
  };
}

/** Reads an SBOM document; `name` labels it in errors. */
export function readSbomDocument(text: string, name: string): SbomFileInput {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `${name}: not a JSON SBOM (${(error as Error).message})`,
      "scan reads CycloneDX JSON, SPDX JSON, syft JSON and drydock JSON",
    );
  }
  if (!isObject(doc)) throw new UsageError(`${name}: not an SBOM document`);
  if (doc.bomFormat === "CycloneDX") return readCycloneDx(doc);
  if (typeof doc.spdxVersion === "string") return readSpdx(doc);
  if (doc.schema === "drydock-sbom/1") return readDrydock(doc);
  if (Array.isArray(doc.artifacts)) return readSyft(doc);
  throw new UsageError(`${name}: not a CycloneDX, SPDX, syft or drydock JSON SBOM`);
}
