import type { Rule } from "../types.ts";

/**
 * ONBUILD may not trigger ONBUILD, FROM or MAINTAINER
 * (https://docs.docker.com/reference/dockerfile/#onbuild; hadolint DL3043).
 */
export const rule: Rule = {
  code: "DL3043",
  severity: "error",
  message: "`ONBUILD`, `FROM` or `MAINTAINER` triggered from within `ONBUILD` instruction.",
  check({ dockerfile }) {
    const forbidden = new Set(["ONBUILD", "FROM", "MAINTAINER"]);
    return dockerfile.instructions
      .filter((i) => i.onbuild !== undefined && forbidden.has(i.onbuild.keyword))
      .map((i) => ({ line: i.line }));
  },
};
