/**
 * PHP packages installed by Composer: `vendor/composer/installed.json` (Composer 1 writes an
 * array of packages, Composer 2 `{"packages": [...]}`; fields as in composer.json,
 * https://getcomposer.org/doc/04-schema.md). purl: pkg:composer/VENDOR/NAME@VERSION.
 */
import { normalizeLicenses, purl } from "../identity.ts";
import type { Cataloger, CatalogInput, Package } from "../types.ts";

const NAME = "php-composer-installed-cataloger";
const isInstalledJson = (p: string) => p.endsWith("/vendor/composer/installed.json");

interface ComposerPackage {
  name?: unknown;
  version?: unknown;
  license?: unknown;
  type?: unknown;
  homepage?: unknown;
}

function catalog(input: CatalogInput): Package[] {
  const { files } = input;
  const packages: Package[] = [];
  for (const ref of files.find(isInstalledJson)) {
    const content = files.read(ref);
    if (!content) continue;
    let json: unknown;
    try {
      json = JSON.parse(content.toString("utf8"));
    } catch {
      continue;
    }
    const list = (
      Array.isArray(json) ? json : ((json as { packages?: unknown }).packages ?? [])
    ) as ComposerPackage[];
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      if (typeof entry.name !== "string" || typeof entry.version !== "string") continue;
      const [vendor, name] = entry.name.includes("/") ? entry.name.split("/", 2) : [undefined, entry.name];
      const licenses = Array.isArray(entry.license)
        ? entry.license.filter((l): l is string => typeof l === "string")
        : typeof entry.license === "string"
          ? [entry.license]
          : [];
      const metadata: Record<string, unknown> = {};
      if (typeof entry.type === "string") metadata.composerType = entry.type;
      if (typeof entry.homepage === "string") metadata.homepage = entry.homepage;
      packages.push({
        name: entry.name,
        version: entry.version,
        type: "php-composer",
        foundBy: NAME,
        purl: purl("composer", vendor, name!, entry.version),
        cpes: [],
        licenses: normalizeLicenses(licenses),
        locations: [files.location(ref)],
        metadata,
      });
    }
  }
  return packages;
}

export const cataloger: Cataloger = {
  name: NAME,
  capture: [{ matches: isInstalledJson, maxBytes: 32 * 1024 * 1024 }],
  catalog,
};
