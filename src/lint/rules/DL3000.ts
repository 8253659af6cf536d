import type { Rule } from "../types.ts";

/** WORKDIR must be absolute (quotes stripped; variables and Windows drives accepted). */
export const rule: Rule = {
  code: "DL3000",
  severity: "error",
  message: "Use absolute WORKDIR",
  aliases: ["WorkdirRelativePath"],
  check({ dockerfile }) {
    return dockerfile.instructions
      .filter((i) => i.keyword === "WORKDIR")
      .filter((i) => {
        const dir = i.args.replace(/^["']|["']$/g, "");
        return !(dir.startsWith("/") || dir.startsWith("$") || /^[A-Za-z]:[\\/]/.test(dir));
      })
      .map((i) => ({ line: i.line }));
  },
};
