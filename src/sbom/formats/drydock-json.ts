/** drydock's own SBOM JSON: the SbomResult as is, plus when and by what it was made. */
import type { SbomResult } from "../sbom.ts";
import { isoSeconds, type RenderOptions } from "./common.ts";

export function renderDrydockJson(result: SbomResult, options: RenderOptions): string {
  const { schema, ...rest } = result;
  return `${JSON.stringify({ schema, generated: { tool: "drydock", version: options.toolVersion, timestamp: isoSeconds(options.timestamp) }, ...rest }, null, 2)}\n`;
}
