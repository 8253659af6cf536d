import { type EscapeChar, instructionWords, unquote } from "../support/words.ts";
import type { Rule } from "../types.ts";

const MAX_PORT = 65535;

/**
 * A port number out of range in EXPOSE (hadolint DL3011): `port[/proto]` or
 * `low-high[/proto]`. Ports written with variables are known only at build time and skipped.
 */
function hasInvalidPort(spec: string, escapeChar: EscapeChar): boolean {
  const ports = unquote(spec, escapeChar)
    .replace(/\/[A-Za-z]*$/, "")
    .split("-");
  return ports.some((port) => /^\d+$/.test(port) && Number(port) > MAX_PORT);
}

export const rule: Rule = {
  code: "DL3011",
  severity: "error",
  message: "Valid UNIX ports range from 0 to 65535",
  check({ dockerfile }) {
    const invalid = (spec: string) => hasInvalidPort(spec, dockerfile.escape);
    return dockerfile.instructions
      .filter((i) => i.keyword === "EXPOSE" && instructionWords(i, dockerfile.escape).some(invalid))
      .map((i) => ({ line: i.line }));
  },
};
