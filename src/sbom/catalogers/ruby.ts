/**
 * Installed Ruby gems: the `specifications/*.gemspec` files RubyGems writes at install time
 * (`specifications/default/` holds the gems bundled with Ruby). They are Ruby source, always
 * in the generated shape `s.name = "rake".freeze`, read here with patterns, never evaluated.
 * purl: pkg:gem/NAME@VERSION.
 */
import { normalizeLicenses, purl } from "../identity.ts";
import type { Cataloger, CatalogInput, Package } from "../types.ts";

const NAME = "ruby-installed-gemspec-cataloger";
const isGemspec = (p: string) => /\/specifications\/(?:default\/)?[^/]+\.gemspec$/.test(p);

const STRING = /["']([^"']*)["']/g;

export function parseGemspec(text: string): {
  name?: string;
  version?: string;
  licenses: string[];
  homepage?: string;
} {
  const field = (key: string) => new RegExp(`^\\s*\\w+\\.${key}\\s*=\\s*(.+)$`, "m").exec(text)?.[1];
  const first = (value: string | undefined) => (value ? [...value.matchAll(STRING)][0]?.[1] : undefined);
  const all = (value: string | undefined) => (value ? [...value.matchAll(STRING)].map((m) => m[1]!) : []);
  // Gem::Version.new("1.2.3") or "1.2.3"
  const version = first(field("version"));
  const licenses = [...all(field("licenses")), ...all(field("license"))];
  const homepage = first(field("homepage"));
  const name = first(field("name"));
  return {
    ...(name ? { name } : {}),
    ...(version ? { version } : {}),
    licenses,
    ...(homepage ? { homepage } : {}),
  };
}

function catalog(input: CatalogInput): Package[] {
  const { files } = input;
  const packages: Package[] = [];
  for (const ref of files.find(isGemspec)) {
    const content = files.read(ref);
    if (!content) continue;
    const spec = parseGemspec(content.toString("utf8"));
    if (!spec.name || !spec.version) continue;
    packages.push({
      name: spec.name,
      version: spec.version,
      type: "gem",
      foundBy: NAME,
      purl: purl("gem", undefined, spec.name, spec.version),
      cpes: [],
      licenses: normalizeLicenses(spec.licenses),
      locations: [files.location(ref)],
      metadata: spec.homepage ? { homepage: spec.homepage } : {},
    });
  }
  return packages;
}

export const cataloger: Cataloger = {
  name: NAME,
  capture: [{ matches: isGemspec, maxBytes: 1024 * 1024 }],
  catalog,
};
