/** The `-o FORMAT` names and their renderers. */
import type { SbomResult } from "../sbom.ts";
import type { RenderOptions } from "./common.ts";
import { renderCycloneDx } from "./cyclonedx.ts";
import { renderDrydockJson } from "./drydock-json.ts";
import type { SbomFormat } from "./names.ts";
import { renderSpdx } from "./spdx.ts";
import { renderTable } from "./table.ts";

export { isSbomFormat, SBOM_FORMATS, type SbomFormat } from "./names.ts";

export function renderSbom(result: SbomResult, format: SbomFormat, options: RenderOptions): string {
  switch (format) {
    case "table":
      return renderTable(result);
    case "cyclonedx-json":
    case "cyclonedx-json@1.6":
      return renderCycloneDx(result, options, "1.6");
    case "cyclonedx-json@1.5":
      return renderCycloneDx(result, options, "1.5");
    case "spdx-json":
      return renderSpdx(result, options);
    case "json":
      return renderDrydockJson(result, options);
  }
}

export type { RenderOptions } from "./common.ts";
