/**
 * SPDX 2.3 JSON (https://spdx.github.io/spdx-spec/v2.3/): a document that DESCRIBES the
 * scanned subject (a CONTAINER package for images), which CONTAINS the operating system and
 * every package. Licences go in licenseDeclared as one SPDX expression; names that are not
 * SPDX ids become LicenseRef-* with their text in hasExtractedLicensingInfos. Nothing is
 * concluded (NOASSERTION), as the tool only reads what packages declare.
 */
import { createHash } from "node:crypto";
import { isSpdxExpression } from "../identity.ts";
import type { SbomPackage, SbomResult } from "../sbom.ts";
import { contentUuid, documentKey, isCompoundExpression, isoSeconds, type RenderOptions } from "./common.ts";

type Json = Record<string, unknown>;

const idString = (text: string) => text.replace(/[^A-Za-z0-9.-]+/g, "-").replace(/^-+|-+$/g, "") || "x";

const PURPOSE: Record<string, string> = {
  deb: "LIBRARY",
  apk: "LIBRARY",
  rpm: "LIBRARY",
};

class LicenseRefs {
  readonly infos = new Map<string, Json>();
  ref(text: string): string {
    const hash = createHash("sha256").update(text).digest("hex").slice(0, 8);
    const id = `LicenseRef-${idString(text).slice(0, 40)}-${hash}`;
    if (!this.infos.has(id)) this.infos.set(id, { licenseId: id, extractedText: text, name: text });
    return id;
  }
}

function declared(licenses: string[], refs: LicenseRefs): string {
  if (licenses.length === 0) return "NOASSERTION";
  const parts = licenses.map((l) => {
    if (isSpdxExpression(l)) return isCompoundExpression(l) && licenses.length > 1 ? `(${l})` : l;
    return refs.ref(l);
  });
  const expression = parts.join(" AND ");
  return isSpdxExpression(expression) || /LicenseRef-/.test(expression) ? expression : "NOASSERTION";
}

function spdxPackage(pkg: SbomPackage, refs: LicenseRefs): Json {
  const externalRefs: Json[] = [];
  for (const cpe of pkg.cpes) {
    externalRefs.push({ referenceCategory: "SECURITY", referenceType: "cpe23Type", referenceLocator: cpe });
  }
  if (pkg.purl) {
    externalRefs.push({
      referenceCategory: "PACKAGE-MANAGER",
      referenceType: "purl",
      referenceLocator: pkg.purl,
    });
  }
  const where = pkg.locations
    .map((l) => (l.layerDiffId ? `${l.path} (layer ${l.layerDiffId})` : l.path))
    .join(", ");
  const contains = pkg.metadata.contains as string[] | undefined;
  const out: Json = {
    name: pkg.name,
    SPDXID: `SPDXRef-Package-${idString(pkg.type)}-${idString(pkg.name)}-${pkg.id}`,
    versionInfo: pkg.version,
    downloadLocation: "NOASSERTION",
    filesAnalyzed: false,
    sourceInfo: `acquired package info from ${pkg.foundBy}: ${where}`,
    licenseConcluded: "NOASSERTION",
    licenseDeclared: declared(pkg.licenses, refs),
    copyrightText: "NOASSERTION",
    primaryPackagePurpose: PURPOSE[pkg.type] ?? (pkg.metadata.mainModule ? "APPLICATION" : "LIBRARY"),
  };
  if (contains && contains.length > 0) out.comment = `also provides: ${contains.join(", ")}`;
  if (externalRefs.length > 0) out.externalRefs = externalRefs;
  return out;
}

export function renderSpdx(result: SbomResult, options: RenderOptions): string {
  const refs = new LicenseRefs();
  const uuid = contentUuid("spdx", documentKey(result, options));
  const subjectName = result.source.reference ?? result.source.name;
  const subject: Json = {
    name: subjectName,
    SPDXID: `SPDXRef-${result.source.type === "image" ? "Image" : "Directory"}-${idString(subjectName)}`,
    ...(result.source.manifestDigest ? { versionInfo: result.source.manifestDigest } : {}),
    downloadLocation: "NOASSERTION",
    filesAnalyzed: false,
    licenseConcluded: "NOASSERTION",
    licenseDeclared: "NOASSERTION",
    copyrightText: "NOASSERTION",
    primaryPackagePurpose: result.source.type === "image" ? "CONTAINER" : "SOURCE",
  };
  const packages: Json[] = [subject];
  const relationships: Json[] = [
    { spdxElementId: "SPDXRef-DOCUMENT", relationshipType: "DESCRIBES", relatedSpdxElement: subject.SPDXID },
  ];
  if (result.distro) {
    const d = result.distro;
    const os: Json = {
      name: d.id,
      SPDXID: `SPDXRef-OperatingSystem-${idString(d.id)}-${idString(d.versionId ?? "unknown")}`,
      ...(d.versionId ? { versionInfo: d.versionId } : {}),
      downloadLocation: "NOASSERTION",
      filesAnalyzed: false,
      licenseConcluded: "NOASSERTION",
      licenseDeclared: "NOASSERTION",
      copyrightText: "NOASSERTION",
      primaryPackagePurpose: "OPERATING-SYSTEM",
      ...(d.prettyName ? { description: d.prettyName } : {}),
    };
    packages.push(os);
    relationships.push({
      spdxElementId: subject.SPDXID,
      relationshipType: "CONTAINS",
      relatedSpdxElement: os.SPDXID,
    });
  }
  for (const pkg of result.packages) {
    const entry = spdxPackage(pkg, refs);
    packages.push(entry);
    relationships.push({
      spdxElementId: subject.SPDXID,
      relationshipType: "CONTAINS",
      relatedSpdxElement: entry.SPDXID,
    });
  }
  const document: Json = {
    spdxVersion: "SPDX-2.3",
    dataLicense: "CC0-1.0",
    SPDXID: "SPDXRef-DOCUMENT",
    name: subjectName,
    documentNamespace: `https://spdx.org/spdxdocs/drydock/${idString(subjectName)}-${uuid}`,
    creationInfo: {
      created: isoSeconds(options.timestamp),
      creators: [`Tool: drydock-${options.toolVersion}`],
    },
    packages,
    relationships,
  };
  if (refs.infos.size > 0)
    document.hasExtractedLicensingInfos = [...refs.infos.values()].sort((a, b) =>
      String(a.licenseId) < String(b.licenseId) ? -1 : 1,
    );
  return `${JSON.stringify(document, null, 2)}\n`;
}
