import type { Rule } from "../types.ts";

/**
 * A stage named `scratch` or `context`, names BuildKit gives a meaning of their own
 * (hadolint DL3063; message as hadolint's). Stage names are case-insensitive.
 */
export const rule: Rule = {
  code: "DL3063",
  severity: "warning",
  message: "stage name should not be a reserved word",
  aliases: ["ReservedStageName"],
  check({ dockerfile }) {
    return dockerfile.stages
      .filter((s) => s.name === "scratch" || s.name === "context")
      .map((s) => ({ line: s.from.line }));
  },
};
