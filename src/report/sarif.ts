/**
 * The SARIF 2.1.0 log drydock writes (lint and scan findings): one run whose tool is drydock.
 * Spec: https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 */
import { DRYDOCK_HOME } from "./lint/options.ts";

export interface SarifRun {
  version: string;
  /** reportingDescriptor objects; results refer to them by `ruleIndex`. */
  rules: readonly unknown[];
  results: readonly unknown[];
  /** How result columns count (lint findings count UTF-16 code units). */
  columnKind?: "utf16CodeUnits" | "unicodeCodePoints";
}

/** The log as pretty-printed JSON, ending with a newline. */
export function renderSarifLog(run: SarifRun): string {
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "drydock",
            version: run.version,
            semanticVersion: run.version,
            informationUri: DRYDOCK_HOME,
            rules: run.rules,
          },
        },
        ...(run.columnKind ? { columnKind: run.columnKind } : {}),
        results: run.results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
