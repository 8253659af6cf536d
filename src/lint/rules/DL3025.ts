import { parseJsonForm } from "../../dockerfile/parse.ts";
import type { Rule } from "../types.ts";

/** The command of `HEALTHCHECK [options] CMD <command>`, or null for `HEALTHCHECK NONE`. */
function healthcheckCommand(args: string): string | null {
  const match = /^CMD\s+([\s\S]*)$/i.exec(args.trim());
  return match ? match[1]! : null;
}

/**
 * CMD, ENTRYPOINT or HEALTHCHECK CMD in shell form (hadolint DL3025): the command then runs
 * under `/bin/sh -c` and does not receive signals such as SIGTERM.
 */
export const rule: Rule = {
  code: "DL3025",
  severity: "warning",
  message: "Use arguments JSON notation for CMD and ENTRYPOINT arguments",
  aliases: ["JSONArgsRecommended"],
  check({ dockerfile }) {
    return dockerfile.instructions
      .filter((i) => {
        if (i.keyword === "CMD" || i.keyword === "ENTRYPOINT") return i.json === null && i.args !== "";
        if (i.keyword !== "HEALTHCHECK") return false;
        const command = healthcheckCommand(i.args);
        return command !== null && parseJsonForm(command) === null;
      })
      .map((i) => ({ line: i.line }));
  },
};
