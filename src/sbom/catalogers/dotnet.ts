/**
 * .NET dependencies from `*.deps.json`, the file the .NET host reads to resolve assemblies
 * (https://github.com/dotnet/sdk/blob/main/documentation/specs/runtime-configuration-file.md):
 * `libraries` keyed `Name/Version` with a type; NuGet packages (`type: package`) are reported,
 * project references and framework references are the application itself.
 * purl: pkg:nuget/NAME@VERSION.
 */
import { purl } from "../identity.ts";
import type { Cataloger, CatalogInput, Package } from "../types.ts";

const NAME = "dotnet-deps-cataloger";
const isDepsJson = (p: string) => p.endsWith(".deps.json");

interface Library {
  type?: string;
  sha512?: string;
  path?: string;
}

function catalog(input: CatalogInput): Package[] {
  const { files } = input;
  const packages: Package[] = [];
  for (const ref of files.find(isDepsJson)) {
    const content = files.read(ref);
    if (!content) continue;
    let json: { libraries?: Record<string, Library> };
    try {
      json = JSON.parse(content.toString("utf8").replace(/^\uFEFF/, "")) as typeof json;
    } catch {
      continue;
    }
    for (const [key, library] of Object.entries(json.libraries ?? {})) {
      if (library?.type !== "package") continue;
      const slash = key.lastIndexOf("/");
      if (slash <= 0) continue;
      const name = key.slice(0, slash);
      const version = key.slice(slash + 1);
      const metadata: Record<string, unknown> = {};
      if (library.sha512) metadata.sha512 = library.sha512;
      if (library.path) metadata.path = library.path;
      packages.push({
        name,
        version,
        type: "dotnet",
        foundBy: NAME,
        purl: purl("nuget", undefined, name, version),
        cpes: [],
        licenses: [],
        locations: [files.location(ref)],
        metadata,
      });
    }
  }
  return packages;
}

export const cataloger: Cataloger = {
  name: NAME,
  capture: [{ matches: isDepsJson, maxBytes: 32 * 1024 * 1024 }],
  catalog,
};
