/**
 * Package identity: purls (package-url spec, https://github.com/package-url/purl-spec, with
 * the qualifiers syft writes), stable package ids, and licence expressions normalised to SPDX
 * (https://spdx.github.io/spdx-spec/v2.3/SPDX-license-expressions/) where that is certain.
 */
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { PackageURL } from "packageurl-js";
import parseSpdx from "spdx-expression-parse";
import type { Package } from "./types.ts";

export function purl(
  type: string,
  namespace: string | undefined,
  name: string,
  version: string | undefined,
  qualifiers?: Record<string, string | undefined>,
  subpath?: string,
): string {
  const defined: Record<string, string> = {};
  for (const [key, value] of Object.entries(qualifiers ?? {})) if (value) defined[key] = value;
  const hasQualifiers = Object.keys(defined).length > 0;
  // `~` is unreserved (RFC 3986); syft leaves it as is in qualifier values, so do we.
  return new PackageURL(
    type,
    namespace || undefined,
    name,
    version || undefined,
    hasQualifiers ? defined : undefined,
    subpath || undefined,
  )
    .toString()
    .replace(/%7E/g, "~");
}

/** A stable id for a package: same package, same place, same id across runs. */
export function packageId(pkg: Pick<Package, "type" | "name" | "version" | "purl" | "locations">): string {
  const first = pkg.locations[0];
  const key = [
    pkg.type,
    pkg.name,
    pkg.version,
    pkg.purl ?? "",
    first?.path ?? "",
    first?.layerDiffId ?? "",
  ].join("\u0000");
  return createHash("sha256").update(key).digest("hex").slice(0, 16);
}

/** True when the text is a valid SPDX licence expression (ids from the SPDX list). */
export function isSpdxExpression(text: string): boolean {
  try {
    parseSpdx(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Short names Debian copyright files, RPM headers and package metadata use for licences that
 * have an SPDX id (DEP-5 "License short name" table and common spellings).
 */
const LICENSE_ALIASES: Record<string, string> = {
  "gpl-1": "GPL-1.0-only",
  "gpl-1+": "GPL-1.0-or-later",
  "gpl-2": "GPL-2.0-only",
  "gpl-2+": "GPL-2.0-or-later",
  "gpl-2.0": "GPL-2.0-only",
  "gpl-2.0+": "GPL-2.0-or-later",
  "gpl-3": "GPL-3.0-only",
  "gpl-3+": "GPL-3.0-or-later",
  "gpl-3.0": "GPL-3.0-only",
  "gpl-3.0+": "GPL-3.0-or-later",
  gplv2: "GPL-2.0-only",
  "gplv2+": "GPL-2.0-or-later",
  gplv3: "GPL-3.0-only",
  "gplv3+": "GPL-3.0-or-later",
  "lgpl-2": "LGPL-2.0-only",
  "lgpl-2+": "LGPL-2.0-or-later",
  "lgpl-2.0": "LGPL-2.0-only",
  "lgpl-2.0+": "LGPL-2.0-or-later",
  "lgpl-2.1": "LGPL-2.1-only",
  "lgpl-2.1+": "LGPL-2.1-or-later",
  "lgpl-3": "LGPL-3.0-only",
  "lgpl-3+": "LGPL-3.0-or-later",
  "lgpl-3.0": "LGPL-3.0-only",
  "lgpl-3.0+": "LGPL-3.0-or-later",
  "lgplv2+": "LGPL-2.0-or-later",
  "lgplv2.1+": "LGPL-2.1-or-later",
  "agpl-3": "AGPL-3.0-only",
  "agpl-3+": "AGPL-3.0-or-later",
  "gfdl-1.2": "GFDL-1.2-only",
  "gfdl-1.2+": "GFDL-1.2-or-later",
  "gfdl-1.3": "GFDL-1.3-only",
  "gfdl-1.3+": "GFDL-1.3-or-later",
  "gfdl-nis": "GFDL-1.2-no-invariants-only",
  expat: "MIT",
  "mit/x11": "MIT",
  bsd: "BSD-3-Clause",
  "bsd-2-clause": "BSD-2-Clause",
  "bsd-3-clause": "BSD-3-Clause",
  "bsd-4-clause": "BSD-4-Clause",
  "apache-2": "Apache-2.0",
  "apache-2.0": "Apache-2.0",
  "apache 2.0": "Apache-2.0",
  "apache license 2.0": "Apache-2.0",
  "apache license, version 2.0": "Apache-2.0",
  "apache software license": "Apache-2.0",
  "asl 2.0": "Apache-2.0",
  "mpl-1.1": "MPL-1.1",
  "mpl-2.0": "MPL-2.0",
  zlib: "Zlib",
  isc: "ISC",
  "psf-2": "PSF-2.0",
  python: "Python-2.0",
  artistic: "Artistic-1.0-Perl",
  "artistic-2": "Artistic-2.0",
  "cc0-1.0": "CC0-1.0",
  cc0: "CC0-1.0",
  "public-domain": "LicenseRef-public-domain",
  ruby: "Ruby",
  openssl: "OpenSSL",
  curl: "curl",
  "unicode-data": "Unicode-DFS-2015",
};

const LICENSE_IDS = new Map<string, string>();
function spdxIdFor(token: string): string | undefined {
  if (LICENSE_IDS.size === 0) {
    for (const id of [...listIds("spdx-license-ids"), ...listIds("spdx-license-ids/deprecated.json")])
      LICENSE_IDS.set(id.toLowerCase(), id);
  }
  return LICENSE_IDS.get(token.toLowerCase());
}

const require = createRequire(import.meta.url);
function listIds(module: string): string[] {
  try {
    return require(module) as string[];
  } catch {
    return [];
  }
}

/**
 * One licence as written by a package (a name, an id, or an expression) as an SPDX expression
 * when it can be made one without guessing; otherwise the text as found, trimmed.
 */
export function normalizeLicense(raw: string): string {
  const text = raw.trim().replace(/\s+/g, " ");
  if (text === "") return text;
  if (isSpdxExpression(text)) return text;
  const alias = LICENSE_ALIASES[text.toLowerCase()];
  if (alias) return alias;
  const id = spdxIdFor(text);
  if (id) return id;
  // "GPL-2+ or Artistic", "MIT and BSD-3-clause": map each operand, keep the operators.
  const parts = text
    .split(/\s+(and|or|AND|OR|with|WITH)\s+|\s*([|&,])\s*/)
    .filter((p) => p !== undefined && p !== "");
  if (parts.length > 1) {
    const mapped: string[] = [];
    for (const part of parts) {
      const op = part.toLowerCase();
      if (op === "and" || op === "&" || op === ",") mapped.push("AND");
      else if (op === "or" || op === "|") mapped.push("OR");
      else if (op === "with") mapped.push("WITH");
      else {
        const single = LICENSE_ALIASES[op] ?? spdxIdFor(part) ?? (isSpdxExpression(part) ? part : undefined);
        if (!single) return text;
        mapped.push(single);
      }
    }
    const expression = mapped.join(" ");
    if (isSpdxExpression(expression)) return expression;
  }
  return text;
}

/** Normalised, de-duplicated, sorted licences. */
export function normalizeLicenses(raw: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const r of raw) {
    const n = normalizeLicense(r);
    if (n !== "") out.add(n);
  }
  return [...out].sort();
}
