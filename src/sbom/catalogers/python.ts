/**
 * Installed Python distributions: `*.dist-info/METADATA` (+ `RECORD`) and `*.egg-info`
 * (directory with PKG-INFO, or a single file), in site-packages and Debian's dist-packages.
 * Core metadata: https://packaging.python.org/en/latest/specifications/core-metadata/ (RFC 822
 * headers; `License-Expression` from metadata 2.4, else `License`, else licence classifiers).
 * RECORD: https://packaging.python.org/en/latest/specifications/recording-installed-packages/.
 */
import { posix } from "node:path";
import { normalizeLicense, normalizeLicenses, purl } from "../identity.ts";
import type { Cataloger, CatalogInput, Package } from "../types.ts";

const NAME = "python-installed-package-cataloger";
const MiB = 1024 * 1024;

const isDistInfoMetadata = (p: string) => /\/[^/]+\.dist-info\/METADATA$/.test(p);
const isEggInfoPkgInfo = (p: string) => /\/[^/]+\.egg-info\/PKG-INFO$/.test(p);
const isEggInfoFile = (p: string) => /\/[^/]+\.egg-info$/.test(p);
const isRecord = (p: string) =>
  /\/[^/]+\.dist-info\/RECORD$/.test(p) || /\/[^/]+\.egg-info\/installed-files\.txt$/.test(p);

/** Headers of a core-metadata file (the body after the first blank line is the description). */
export function parseCoreMetadata(text: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  let last: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line === "") break;
    if ((line[0] === " " || line[0] === "\t") && last) {
      const values = headers.get(last)!;
      values[values.length - 1] += `\n${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim();
    const list = headers.get(last) ?? [];
    list.push(line.slice(colon + 1).trim());
    headers.set(last, list);
  }
  return headers;
}

function licensesOf(headers: Map<string, string[]>): string[] {
  const expression = headers.get("License-Expression")?.[0];
  if (expression) return [normalizeLicense(expression)];
  const license = headers.get("License")?.[0];
  // Some projects paste the whole licence text into License: keep short values only.
  if (license && license !== "UNKNOWN" && !license.includes("\n") && license.length <= 100) {
    return [normalizeLicense(license)];
  }
  const fromClassifiers = (headers.get("Classifier") ?? [])
    .filter((c) => c.startsWith("License :: "))
    .map((c) => c.split(" :: ").pop()!)
    .filter((c) => c !== "OSI Approved");
  return normalizeLicenses(fromClassifiers.map(classifierLicense));
}

const CLASSIFIERS: Record<string, string> = {
  "MIT License": "MIT",
  "BSD License": "BSD-3-Clause",
  "Apache Software License": "Apache-2.0",
  "Python Software Foundation License": "PSF-2.0",
  "Mozilla Public License 2.0 (MPL 2.0)": "MPL-2.0",
  "ISC License (ISCL)": "ISC",
  "GNU General Public License v2 (GPLv2)": "GPL-2.0-only",
  "GNU General Public License v3 (GPLv3)": "GPL-3.0-only",
  "GNU Lesser General Public License v3 (LGPLv3)": "LGPL-3.0-only",
};
const classifierLicense = (name: string) => CLASSIFIERS[name] ?? name;

/** RECORD lines are CSV `path,hash,size`; installed-files.txt has one path per line. */
function recordFiles(text: string, siteDir: string, recordPath: string): string[] {
  const base = recordPath.endsWith("installed-files.txt") ? posix.dirname(recordPath) : siteDir;
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === "") continue;
    let path = line;
    if (line.startsWith('"')) path = line.slice(1, line.indexOf('"', 1));
    else if (!recordPath.endsWith("installed-files.txt")) path = line.split(",")[0]!;
    out.push(posix.normalize(posix.join(base, path)));
  }
  return out;
}

function catalog(input: CatalogInput): Package[] {
  const { files } = input;
  const packages: Package[] = [];
  const records = new Map(files.find(isRecord).map((ref) => [`${ref.layer}\u0000${ref.path}`, ref]));
  for (const ref of files.find((p) => isDistInfoMetadata(p) || isEggInfoPkgInfo(p) || isEggInfoFile(p))) {
    const content = files.read(ref);
    if (!content) continue;
    const headers = parseCoreMetadata(content.toString("utf8"));
    const name = headers.get("Name")?.[0];
    const version = headers.get("Version")?.[0];
    if (!name || !version) continue;
    const infoDir = isEggInfoFile(ref.path) ? ref.path : posix.dirname(ref.path);
    const siteDir = posix.dirname(infoDir);
    const recordPath = infoDir.endsWith(".dist-info")
      ? `${infoDir}/RECORD`
      : `${infoDir}/installed-files.txt`;
    const record = records.get(`${ref.layer}\u0000${recordPath}`);
    const recordText = record ? files.read(record)?.toString("utf8") : undefined;
    const metadata: Record<string, unknown> = { sitePackages: siteDir };
    const author = headers.get("Author")?.[0];
    if (author) metadata.author = author;
    const homepage = headers.get("Home-page")?.[0];
    if (homepage) metadata.homepage = homepage;
    packages.push({
      name,
      version,
      type: "python",
      foundBy: NAME,
      purl: purl("pypi", undefined, name, version),
      cpes: [],
      licenses: licensesOf(headers),
      locations: [files.location(ref)],
      metadata,
      // Files the distribution installed: its own metadata plus RECORD's list.
      ownedFiles: [ref.path, ...(recordText ? recordFiles(recordText, siteDir, recordPath) : [])],
    });
  }
  return packages;
}

export const cataloger: Cataloger = {
  name: NAME,
  capture: [
    { matches: (p) => isDistInfoMetadata(p) || isEggInfoPkgInfo(p) || isEggInfoFile(p), maxBytes: 8 * MiB },
    { matches: isRecord, maxBytes: 16 * MiB },
  ],
  catalog,
};
