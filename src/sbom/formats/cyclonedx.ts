/**
 * CycloneDX JSON, spec 1.6 (default) or 1.5 (https://cyclonedx.org/docs/1.6/json/): metadata
 * with the tool and the scanned subject, a component per package (purl, CPE, licences, and
 * drydock properties for type, cataloger, locations and layers), the distro as an
 * operating-system component, and a dependency entry listing what the subject contains.
 * Property names follow the CycloneDX property taxonomy convention `drydock:...`.
 */
import type { SbomPackage, SbomResult } from "../sbom.ts";
import {
  contentUuid,
  documentKey,
  isCompoundExpression,
  isoSeconds,
  isSpdxId,
  type RenderOptions,
} from "./common.ts";

export type CycloneDxVersion = "1.5" | "1.6";

type Json = Record<string, unknown>;

function licenses(list: string[]): Json[] | undefined {
  if (list.length === 0) return undefined;
  const compound = list.filter(isCompoundExpression);
  if (compound.length > 0 && compound.length + list.filter(isSpdxId).length === list.length) {
    // Only valid SPDX: one expression (the schema allows a single expression entry).
    const expression =
      list.length === 1 ? list[0]! : list.map((l) => (isCompoundExpression(l) ? `(${l})` : l)).join(" AND ");
    return [{ expression }];
  }
  return list.map((l) => (isSpdxId(l) ? { license: { id: l } } : { license: { name: l } }));
}

function properties(pkg: SbomPackage): Json[] {
  const out: Json[] = [
    { name: "drydock:package:type", value: pkg.type },
    { name: "drydock:package:foundBy", value: pkg.foundBy },
  ];
  pkg.locations.forEach((location, i) => {
    out.push({ name: `drydock:location:${i}:path`, value: location.path });
    if (location.layerDiffId)
      out.push({ name: `drydock:location:${i}:layerDiffId`, value: location.layerDiffId });
  });
  for (const [key, value] of Object.entries(pkg.metadata)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value) out.push({ name: `drydock:metadata:${key}`, value: String(item) });
    } else if (typeof value === "object") {
      for (const [k, v] of Object.entries(value as Json))
        out.push({ name: `drydock:metadata:${key}:${k}`, value: String(v) });
    } else {
      out.push({ name: `drydock:metadata:${key}`, value: String(value) });
    }
  }
  return out;
}

function component(pkg: SbomPackage): Json {
  const group = pkg.type === "java-archive" ? (pkg.metadata.groupId as string | undefined) : undefined;
  const out: Json = {
    "bom-ref": pkg.id,
    type: pkg.metadata.mainModule ? "application" : "library",
    ...(group ? { group } : {}),
    name: pkg.name,
    version: pkg.version,
  };
  const l = licenses(pkg.licenses);
  if (l) out.licenses = l;
  if (pkg.cpes[0]) out.cpe = pkg.cpes[0];
  if (pkg.purl) out.purl = pkg.purl;
  out.properties = properties(pkg);
  return out;
}

function subject(result: SbomResult): Json {
  const { source } = result;
  const name = source.reference ?? source.name;
  const ref = `subject:${contentUuid(source.type, name, source.manifestDigest ?? "")}`;
  if (source.type === "directory") return { "bom-ref": ref, type: "file", name };
  const out: Json = { "bom-ref": ref, type: "container", name };
  if (source.manifestDigest) out.version = source.manifestDigest;
  const props: Json[] = [];
  if (source.configDigest) props.push({ name: "drydock:image:configDigest", value: source.configDigest });
  if (source.platform) props.push({ name: "drydock:image:platform", value: source.platform });
  for (const layer of source.layers ?? []) {
    props.push({ name: `drydock:image:layer:${layer.index}:diffId`, value: layer.diffId });
  }
  if (props.length > 0) out.properties = props;
  return out;
}

export function renderCycloneDx(
  result: SbomResult,
  options: RenderOptions,
  version: CycloneDxVersion = "1.6",
): string {
  const root = subject(result);
  const components: Json[] = [];
  if (result.distro) {
    const d = result.distro;
    components.push({
      "bom-ref": `os:${d.id}@${d.versionId ?? ""}`,
      type: "operating-system",
      name: d.id,
      ...(d.versionId ? { version: d.versionId } : {}),
      ...(d.prettyName ? { description: d.prettyName } : {}),
    });
  }
  components.push(...result.packages.map(component));
  const bom: Json = {
    $schema: `http://cyclonedx.org/schema/bom-${version}.schema.json`,
    bomFormat: "CycloneDX",
    specVersion: version,
    serialNumber: `urn:uuid:${contentUuid("cyclonedx", version, documentKey(result, options))}`,
    version: 1,
    metadata: {
      timestamp: isoSeconds(options.timestamp),
      tools: { components: [{ type: "application", name: "drydock", version: options.toolVersion }] },
      component: root,
      properties: [{ name: "drydock:sbom:scope", value: result.scope }],
    },
    components,
    dependencies: [{ ref: root["bom-ref"], dependsOn: components.map((c) => c["bom-ref"] as string) }],
  };
  return `${JSON.stringify(bom, null, 2)}\n`;
}
