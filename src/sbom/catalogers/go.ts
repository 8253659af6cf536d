/**
 * Go modules compiled into binaries, from the build info every Go binary carries (see
 * binary/go-buildinfo.ts): the main module, every dependency (a `=>` replacement wins, as it
 * is what was compiled in), and the standard library as syft reports it: `stdlib` at the Go
 * version (`go1.22.4`, purl pkg:golang/stdlib@1.22.4, CPE cpe:2.3:a:golang:go:1.22.4:-:...).
 */
import { EXECUTABLE_CAPTURE, type ExecutableFacts } from "../binary/executables.ts";
import type { GoBuildInfo, GoModule } from "../binary/go-buildinfo.ts";
import { purl } from "../identity.ts";
import type { Cataloger, CatalogInput, Location, Package } from "../types.ts";

const NAME = "go-module-binary-cataloger";

export function goPurl(modulePath: string, version: string): string {
  const cut = modulePath.lastIndexOf("/");
  return cut > 0
    ? purl("golang", modulePath.slice(0, cut), modulePath.slice(cut + 1), version)
    : purl("golang", undefined, modulePath, version);
}

/** `go1.21.5 X:boringcrypto` -> `go1.21.5`. */
const cleanGoVersion = (v: string) => v.split(/\s+/)[0]!;

/** The CPE syft gives the standard library: `go1.21rc2` -> `...:go:1.21:rc2:...`. */
export function stdlibCpe(goVersion: string): string | undefined {
  const match = /^go(\d+(?:\.\d+){0,2})((?:rc|beta)\d+)?/.exec(goVersion);
  if (!match) return undefined;
  return `cpe:2.3:a:golang:go:${match[1]}:${match[2] ?? "-"}:*:*:*:*:*:*`;
}

function modulePackage(
  mod: GoModule,
  info: GoBuildInfo,
  location: Location,
  isMain: boolean,
): Package | undefined {
  const effective = mod.replace && mod.replace.version !== "" ? mod.replace : mod;
  const path = mod.replace && mod.replace.version !== "" ? mod.replace.path : mod.path;
  if (path === "") return undefined;
  const metadata: Record<string, unknown> = { goCompiledVersion: cleanGoVersion(info.goVersion) };
  if (effective.sum) metadata.h1Digest = effective.sum;
  if (mod.replace) metadata.replacedModule = mod.path;
  if (isMain) {
    metadata.mainModule = true;
    if (Object.keys(info.settings).length > 0) metadata.buildSettings = info.settings;
  }
  return {
    name: path,
    version: effective.version,
    type: "go-module",
    foundBy: NAME,
    purl: goPurl(path, effective.version),
    cpes: [],
    licenses: [],
    locations: [location],
    metadata,
  };
}

export function goPackages(info: GoBuildInfo, location: Location): Package[] {
  const out: Package[] = [];
  if (info.main) {
    const main = modulePackage(info.main, info, location, true);
    if (main) out.push(main);
  }
  for (const dep of info.deps) {
    const pkg = modulePackage(dep, info, location, false);
    if (pkg) out.push(pkg);
  }
  const goVersion = cleanGoVersion(info.goVersion);
  const cpe = stdlibCpe(goVersion);
  out.push({
    name: "stdlib",
    version: goVersion,
    type: "go-module",
    foundBy: NAME,
    purl: purl("golang", undefined, "stdlib", goVersion.replace(/^go/, "")),
    cpes: cpe ? [cpe] : [],
    licenses: ["BSD-3-Clause"],
    locations: [location],
    metadata: { goCompiledVersion: goVersion },
  });
  return out;
}

function catalog(input: CatalogInput): Package[] {
  const { files } = input;
  const packages: Package[] = [];
  for (const ref of files.find(() => true)) {
    const facts = files.extracted(ref) as ExecutableFacts | undefined;
    if (facts?.go) packages.push(...goPackages(facts.go, files.location(ref)));
  }
  return packages;
}

export const cataloger: Cataloger = { name: NAME, capture: [EXECUTABLE_CAPTURE], catalog };
