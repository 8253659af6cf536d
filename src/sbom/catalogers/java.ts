/**
 * Java archives (jar, war, ear and the plugin variants), nested archives included
 * (`app.war:WEB-INF/lib/x.jar`). Identity from `META-INF/maven/GROUP/ARTIFACT/pom.properties`
 * (every one found is a package: shaded jars carry several), else from `META-INF/MANIFEST.MF`
 * (JAR File Specification: Implementation-*, Specification-*, Bundle-* OSGi headers) and the
 * file name (`name-1.2.3.jar`). purl: pkg:maven/GROUP/ARTIFACT@VERSION.
 * Archives are read whole during the layer pass (central directory at the end), up to
 * MAX_ARCHIVE bytes; only the identities found are kept.
 */
import { posix } from "node:path";
import {
  readZipDirectory,
  readZipEntry,
  type ZipBytes,
  type ZipEntry,
  zipBytesOf,
} from "../../archive/zip.ts";
import { normalizeLicenses, purl } from "../identity.ts";
import type { Cataloger, CatalogInput, Package } from "../types.ts";

const NAME = "java-archive-cataloger";
const MiB = 1024 * 1024;
const MAX_ARCHIVE = 256 * MiB;
const MAX_NESTED = 256 * MiB;
const MAX_DEPTH = 4;
const ARCHIVE = /\.(?:jar|war|ear|par|sar|nar|jpi|hpi|kar|lpkg)$/i;
const isArchive = (p: string) => ARCHIVE.test(p);

export interface JavaIdentity {
  /** Archive path; nested archives as `outer.jar:inner.jar`. */
  archive: string;
  groupId?: string;
  artifactId: string;
  version: string;
  source: "pom.properties" | "manifest";
  licenses?: string[];
  /** pom.properties path inside the archive. */
  pomPath?: string;
}

export function parseManifest(text: string): Map<string, string> {
  const main = new Map<string, string>();
  let last: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line === "") break; // main section only
    if (line.startsWith(" ") && last) {
      main.set(last, main.get(last)! + line.slice(1));
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim();
    main.set(last, line.slice(colon + 1).trim());
  }
  return main;
}

export function parseProperties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith("!")) continue;
    const match = /^([^=:\s]+)\s*[=:\s]\s*(.*)$/.exec(line);
    if (match) out.set(match[1]!, match[2]!);
  }
  return out;
}

/** `commons-lang3-3.12.0.jar` -> name and version. */
export function nameFromFile(path: string): { name: string; version?: string } {
  const base = posix.basename(path).replace(ARCHIVE, "");
  const match = /^(.+?)[-_](\d[\w.\-+]*)$/.exec(base);
  return match ? { name: match[1]!, version: match[2]! } : { name: base };
}

/** The archive's identity when it has no pom.properties for itself. */
function manifestIdentity(archive: string, manifest: Map<string, string>): JavaIdentity | undefined {
  const file = nameFromFile(archive.split(":").pop()!);
  const version =
    manifest.get("Implementation-Version") ??
    manifest.get("Bundle-Version") ??
    manifest.get("Specification-Version") ??
    file.version;
  if (!version) return undefined;
  const symbolic = manifest.get("Bundle-SymbolicName")?.split(";")[0]?.trim();
  const groupId =
    manifest.get("Implementation-Vendor-Id") ??
    (symbolic?.includes(".") ? symbolic.slice(0, symbolic.lastIndexOf(".")) : undefined);
  const licenses = manifest.get("Bundle-License");
  return {
    archive,
    ...(groupId ? { groupId } : {}),
    artifactId: file.name,
    version,
    source: "manifest",
    ...(licenses && !licenses.includes("://") ? { licenses: normalizeLicenses([licenses]) } : {}),
  };
}

/** The archive's entries; undefined when it is not a readable zip (a damaged jar is skipped). */
function listZip(bytes: ZipBytes): ZipEntry[] | undefined {
  try {
    return readZipDirectory(bytes);
  } catch {
    return undefined;
  }
}

/** An entry's content; undefined when damaged, unsupported or over `maxBytes`. */
function entryContent(bytes: ZipBytes, entry: ZipEntry, maxBytes: number): Buffer | undefined {
  try {
    return readZipEntry(bytes, entry, maxBytes);
  } catch {
    return undefined;
  }
}

export function javaIdentities(archiveBytes: Buffer, archive: string, depth = 0): JavaIdentity[] {
  const bytes = zipBytesOf(archiveBytes);
  const entries = listZip(bytes);
  if (!entries) return [];
  const out: JavaIdentity[] = [];
  let manifest: Map<string, string> | undefined;
  const nested: Array<{ name: string; bytes: Buffer }> = [];
  for (const entry of entries) {
    if (entry.name === "META-INF/MANIFEST.MF") {
      const content = entryContent(bytes, entry, MiB);
      if (content) manifest = parseManifest(content.toString("utf8"));
    } else if (/^META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/.test(entry.name)) {
      const content = entryContent(bytes, entry, MiB);
      if (!content) continue;
      const props = parseProperties(content.toString("utf8"));
      const artifactId = props.get("artifactId");
      const version = props.get("version");
      if (!artifactId || !version) continue;
      const groupId = props.get("groupId");
      out.push({
        archive,
        ...(groupId ? { groupId } : {}),
        artifactId,
        version,
        source: "pom.properties",
        pomPath: entry.name,
      });
    } else if (depth < MAX_DEPTH && isArchive(entry.name) && !entry.name.endsWith("/")) {
      const content = entryContent(bytes, entry, MAX_NESTED);
      if (content) nested.push({ name: entry.name, bytes: content });
    }
  }
  const file = nameFromFile(archive.split(":").pop()!);
  const ownPom = out.some((id) => id.artifactId === file.name || (out.length === 1 && !file.version));
  if (!ownPom && manifest) {
    const identity = manifestIdentity(archive, manifest);
    if (
      identity &&
      !out.some((id) => id.artifactId === identity.artifactId && id.version === identity.version)
    ) {
      out.push(identity);
    }
  } else if (!ownPom && !manifest && out.length === 0 && file.version) {
    out.push({ archive, artifactId: file.name, version: file.version, source: "manifest" });
  }
  for (const inner of nested) out.push(...javaIdentities(inner.bytes, `${archive}:${inner.name}`, depth + 1));
  return out;
}

async function extractArchive(
  path: string,
  stream: AsyncIterable<Buffer>,
): Promise<JavaIdentity[] | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  try {
    const found = javaIdentities(Buffer.concat(chunks), path);
    return found.length > 0 ? found : undefined;
  } catch {
    return undefined;
  }
}

function catalog(input: CatalogInput): Package[] {
  const { files } = input;
  const packages: Package[] = [];
  for (const ref of files.find(isArchive)) {
    const identities = files.extracted(ref) as JavaIdentity[] | undefined;
    for (const id of identities ?? []) {
      const metadata: Record<string, unknown> = { archive: id.archive, identifiedBy: id.source };
      if (id.groupId) metadata.groupId = id.groupId;
      if (id.pomPath) metadata.pomProperties = id.pomPath;
      packages.push({
        name: id.artifactId,
        version: id.version,
        type: "java-archive",
        foundBy: NAME,
        purl: purl("maven", id.groupId ?? id.artifactId, id.artifactId, id.version),
        cpes: [],
        licenses: id.licenses ?? [],
        locations: [files.location(ref)],
        metadata,
      });
    }
  }
  return packages;
}

export const cataloger: Cataloger = {
  name: NAME,
  capture: [{ matches: isArchive, maxBytes: MAX_ARCHIVE, extract: extractArchive }],
  catalog,
};
