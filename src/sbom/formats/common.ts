/** What every SBOM format shares: generation facts and deterministic identifiers. */
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { isSpdxExpression } from "../identity.ts";
import type { SbomResult } from "../sbom.ts";

export interface RenderOptions {
  /** Creation time written into the document (the CLI passes SOURCE_DATE_EPOCH when set). */
  timestamp: Date;
  toolVersion: string;
}

/** ISO 8601 without milliseconds, as both specs show it. */
export const isoSeconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

/** A name-based UUID (version 5 layout) from the document's content: same input, same UUID. */
export function contentUuid(...parts: string[]): string {
  const h = createHash("sha256").update(parts.join("\u0000")).digest("hex");
  const variant = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The content that identifies a document: source, scope, packages (not the time). */
export function documentKey(result: SbomResult, options: RenderOptions): string {
  return [
    result.source.type,
    result.source.name,
    result.source.manifestDigest ?? "",
    result.scope,
    isoSeconds(options.timestamp),
    ...result.packages.map((p) => p.id),
  ].join("\n");
}

const require = createRequire(import.meta.url);
const SPDX_IDS = new Set<string>([
  ...(require("spdx-license-ids") as string[]),
  ...(require("spdx-license-ids/deprecated.json") as string[]),
]);

export const isSpdxId = (text: string) => SPDX_IDS.has(text);

/** A licence that is a valid SPDX expression but not a single id (needs an expression slot). */
export const isCompoundExpression = (text: string) => !isSpdxId(text) && isSpdxExpression(text);
