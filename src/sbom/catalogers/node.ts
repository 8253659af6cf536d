/**
 * Installed npm packages: `node_modules/NAME/package.json` and `node_modules/@SCOPE/NAME/
 * package.json` at any depth (nested and global installs included), plus copies bundled inside
 * a package (`next/dist/compiled/@babel/runtime/package.json`): a package.json under
 * node_modules whose folder carries its name and that is not private. Other package.json files
 * in a package (`lib/package.json` holding only `"type": "module"`, private build helpers,
 * example and benchmark folders) are not packages. Fields:
 * https://docs.npmjs.com/cli/v10/configuring-npm/package-json (`license` string or the legacy
 * `{type}` / `licenses: [{type}]` forms).
 */
import { normalizeLicense, normalizeLicenses, purl } from "../identity.ts";
import type { Cataloger, CatalogInput, Package } from "../types.ts";

const NAME = "javascript-package-cataloger";
const PACKAGE_JSON = /\/node_modules\/(?:@[^/]+\/)?[^/@][^/]*\/package\.json$/;
const isInstalledPackageJson = (p: string) => PACKAGE_JSON.test(p);
const isUnderNodeModules = (p: string) => p.endsWith("/package.json") && p.includes("/node_modules/");

/** A bundled copy lives in a folder named like the package (`.../compiled/@babel/runtime`). */
const folderCarriesName = (path: string, name: string) => path.endsWith(`/${name}/package.json`);

type Json = Record<string, unknown>;

function licensesOf(manifest: Json): string[] {
  const found: string[] = [];
  const take = (value: unknown) => {
    if (typeof value === "string") found.push(value);
    else if (value && typeof value === "object" && typeof (value as Json).type === "string")
      found.push((value as Json).type as string);
  };
  take(manifest.license);
  if (Array.isArray(manifest.licenses)) manifest.licenses.forEach(take);
  if (Array.isArray(manifest.license)) manifest.license.forEach(take);
  return found.length === 1 ? [normalizeLicense(found[0]!)] : normalizeLicenses(found);
}

function catalog(input: CatalogInput): Package[] {
  const { files } = input;
  const packages: Package[] = [];
  for (const ref of files.find(isUnderNodeModules)) {
    const content = files.read(ref);
    if (!content) continue;
    let manifest: Json;
    try {
      manifest = JSON.parse(content.toString("utf8")) as Json;
    } catch {
      continue;
    }
    const name = manifest.name;
    const version = manifest.version;
    if (typeof name !== "string" || typeof version !== "string" || name === "" || version === "") continue;
    const installed = isInstalledPackageJson(ref.path);
    if (!installed && (manifest.private === true || !folderCarriesName(ref.path, name))) continue;
    const slash = name.startsWith("@") ? name.indexOf("/") : -1;
    const metadata: Record<string, unknown> = {};
    if (!installed) metadata.bundled = true;
    if (typeof manifest.homepage === "string") metadata.homepage = manifest.homepage;
    if (manifest.private === true) metadata.private = true;
    packages.push({
      name,
      version,
      type: "npm",
      foundBy: NAME,
      purl:
        slash > 0
          ? purl("npm", name.slice(0, slash), name.slice(slash + 1), version)
          : purl("npm", undefined, name, version),
      cpes: [],
      licenses: licensesOf(manifest),
      locations: [files.location(ref)],
      metadata,
      ownedFiles: [ref.path],
    });
  }
  return packages;
}

export const cataloger: Cataloger = {
  name: NAME,
  capture: [{ matches: isUnderNodeModules, maxBytes: 4 * 1024 * 1024 }],
  catalog,
};
