import { readPragmas } from "../pragmas.ts";
import type { Rule } from "../types.ts";

/**
 * Flags inline ignore pragmas (hadolint DL1001, off by default). Every ignore pragma counts:
 * hadolint's and drydock's, next-instruction, stage and global scope alike.
 */
export const rule: Rule = {
  code: "DL1001",
  severity: "ignore",
  // hadolint's text, double space included (its string literal joins two lines that way).
  message: "Please refrain from using inline ignore pragmas  `# hadolint ignore=DLxxxx`.",
  check({ dockerfile }) {
    return readPragmas(dockerfile).ignorePragmaLines.map((line) => ({ line }));
  },
};
