/**
 * Compares `drydock sbom` (drydock JSON) with trivy's CycloneDX on the same image as sets of
 * name@version, split into OS packages and language packages, and explains every difference
 * with a rule that says why (and who is right).
 */
import type { TrivyBom, TrivyComponent } from "./trivy.ts";

export interface Entry {
  key: string;
  kind: "os" | "lang";
  /** trivy PkgType or drydock package type. */
  type: string;
  path: string;
  layerDiffId?: string;
}

const TRIVY_OS_TYPES = new Set([
  "debian",
  "ubuntu",
  "alpine",
  "redhat",
  "centos",
  "rocky",
  "alma",
  "fedora",
  "amazon",
  "oracle",
  "suse",
  "photon",
  "wolfi",
  "chainguard",
]);

const prop = (c: TrivyComponent, name: string) => c.properties?.find((p) => p.name === name)?.value;

export function trivyEntries(bom: TrivyBom): Entry[] {
  return (bom.components ?? [])
    .filter((c) => c.type === "library")
    .map((c) => {
      const type = prop(c, "aquasecurity:trivy:PkgType") ?? "";
      const kind = TRIVY_OS_TYPES.has(type) ? ("os" as const) : ("lang" as const);
      // PkgID carries the full OS version (epoch included), as dpkg and rpm print it; for rpm
      // it also ends in `.ARCH`, which is not part of the version.
      const arch = /[?&]arch=([^&]+)/.exec(c.purl ?? "")?.[1];
      const rawId = prop(c, "aquasecurity:trivy:PkgID");
      const id = arch && rawId?.endsWith(`.${arch}`) ? rawId.slice(0, -arch.length - 1) : rawId;
      const key = kind === "os" && id ? id : `${c.group ? `${c.group}:` : ""}${c.name}@${c.version ?? ""}`;
      const layer = prop(c, "aquasecurity:trivy:LayerDiffID");
      return {
        key,
        kind,
        type,
        path: `/${prop(c, "aquasecurity:trivy:FilePath") ?? ""}`,
        ...(layer ? { layerDiffId: layer } : {}),
      };
    });
}

interface DrydockPackage {
  name: string;
  version: string;
  type: string;
  metadata: Record<string, unknown>;
  locations: Array<{ path: string; layerDiffId?: string }>;
}

export function drydockEntries(result: { packages: DrydockPackage[] }): Entry[] {
  return result.packages.map((p) => {
    const kind = ["deb", "apk", "rpm"].includes(p.type) ? ("os" as const) : ("lang" as const);
    const group = p.type === "java-archive" ? (p.metadata.groupId as string | undefined) : undefined;
    const layer = p.locations[0]?.layerDiffId;
    return {
      key: `${group ? `${group}:` : ""}${p.name}@${p.version}`,
      kind,
      type: p.type,
      path: p.locations[0]?.path ?? "",
      ...(layer ? { layerDiffId: layer } : {}),
    };
  });
}

export interface Difference {
  side: "only trivy" | "only drydock";
  entry: Entry;
  reason?: string;
}

/** Reads a file of the image under comparison (rules look at a package's own metadata). */
export type ReadImageFile = (path: string) => string | undefined;

/** Known, explained differences: a predicate and the reason. */
export interface Rule {
  reason: string;
  applies(d: Difference, readFile: ReadImageFile): boolean;
}

export const LANGUAGE_RULES: Rule[] = [
  {
    reason:
      "trivy reads every package.json with a name and version; this one sits in a folder that does not carry the package's name (an example or fixture inside a package, e.g. node_modules/x/example/package.json), so it is neither installed nor a bundled copy: npm never installed it as a package (drydock is right)",
    applies: (d) => {
      if (d.side !== "only trivy" || d.entry.type !== "node-pkg") return false;
      const name = d.entry.key.slice(0, d.entry.key.lastIndexOf("@"));
      return !d.entry.path.endsWith(`/${name}/package.json`);
    },
  },
  {
    reason:
      'trivy reads every package.json with a name and version; this one is marked "private": true inside another package (a benchmark or build-helper folder such as fast-uri/benchmark): private packages are never published or installed, so it is not a package of the image (drydock is right)',
    applies: (d, readFile) => {
      if (d.side !== "only trivy" || d.entry.type !== "node-pkg") return false;
      if (/\/node_modules\/(?:@[^/]+\/)?[^/]+\/package\.json$/.test(d.entry.path)) return false;
      const text = readFile(d.entry.path);
      try {
        return text !== undefined && (JSON.parse(text) as { private?: unknown }).private === true;
      } catch {
        return false;
      }
    },
  },
  {
    reason:
      "trivy (this build) reports no Go standard library package; drydock, like syft, reports `stdlib` at the Go version each binary was compiled with (the component Go vulnerabilities are matched against), including for binaries built in GOPATH mode such as Debian's, which carry no module information (drydock is right)",
    applies: (d) =>
      d.side === "only drydock" && d.entry.type === "go-module" && d.entry.key.startsWith("stdlib@"),
  },
  {
    reason:
      "a Go binary's main module built from a work tree has the version (devel); trivy drops it, drydock reports it as syft does, so the binary's own module is in the inventory (no version to match, nothing lost either way)",
    applies: (d) =>
      d.side === "only drydock" && d.entry.type === "go-module" && d.entry.key.endsWith("@(devel)"),
  },
];

export interface Comparison {
  os: { trivy: number; drydock: number; differences: Difference[] };
  lang: {
    trivy: number;
    drydock: number;
    common: number;
    /** Share of trivy's language packages drydock also reports (same name@version). */
    agreement: number;
    /** common / union: both directions at once, for the record. */
    jaccard: number;
    differences: Difference[];
  };
  /** OS packages both found whose layer differs. */
  layerMismatches: string[];
}

function keyed(entries: Entry[], kind: "os" | "lang"): Map<string, Entry> {
  const map = new Map<string, Entry>();
  for (const e of entries) if (e.kind === kind && !map.has(e.key)) map.set(e.key, e);
  return map;
}

function differences(
  trivy: Map<string, Entry>,
  drydock: Map<string, Entry>,
  rules: Rule[],
  readFile: ReadImageFile,
): Difference[] {
  const out: Difference[] = [];
  for (const [key, entry] of trivy) if (!drydock.has(key)) out.push({ side: "only trivy", entry });
  for (const [key, entry] of drydock) if (!trivy.has(key)) out.push({ side: "only drydock", entry });
  for (const d of out) {
    const rule = rules.find((r) => r.applies(d, readFile));
    if (rule) d.reason = rule.reason;
  }
  return out.sort((a, b) => (a.entry.key < b.entry.key ? -1 : 1));
}

export function compare(
  trivy: Entry[],
  drydock: Entry[],
  readFile: ReadImageFile,
  rules: Rule[] = LANGUAGE_RULES,
): Comparison {
  const tOs = keyed(trivy, "os");
  const dOs = keyed(drydock, "os");
  const tLang = keyed(trivy, "lang");
  const dLang = keyed(drydock, "lang");
  const common = [...tLang.keys()].filter((k) => dLang.has(k)).length;
  const union = new Set([...tLang.keys(), ...dLang.keys()]).size;
  const layerMismatches: string[] = [];
  for (const [key, t] of tOs) {
    const d = dOs.get(key);
    if (d && t.layerDiffId && d.layerDiffId !== t.layerDiffId) {
      layerMismatches.push(`${key}: trivy ${t.layerDiffId}, drydock ${d.layerDiffId}`);
    }
  }
  return {
    os: { trivy: tOs.size, drydock: dOs.size, differences: differences(tOs, dOs, [], readFile) },
    lang: {
      trivy: tLang.size,
      drydock: dLang.size,
      common,
      agreement: tLang.size === 0 ? 1 : common / tLang.size,
      jaccard: union === 0 ? 1 : common / union,
      differences: differences(tLang, dLang, rules, readFile),
    },
    layerMismatches,
  };
}

export function formatComparison(name: string, c: Comparison): string {
  const lines = [
    `${name}: OS packages trivy ${c.os.trivy}, drydock ${c.os.drydock}; language packages trivy ${c.lang.trivy}, drydock ${c.lang.drydock}, common ${c.lang.common} (agreement ${(c.lang.agreement * 100).toFixed(1)}% of trivy's, Jaccard ${(c.lang.jaccard * 100).toFixed(1)}%)`,
  ];
  for (const d of [...c.os.differences, ...c.lang.differences]) {
    lines.push(
      `  ${d.side}: ${d.entry.key} (${d.entry.path})${d.reason ? `\n    reason: ${d.reason}` : "\n    UNEXPLAINED"}`,
    );
  }
  return lines.join("\n");
}
