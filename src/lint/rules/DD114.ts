import { undefinedVariables } from "../support/undefined-vars.ts";
import type { Rule } from "../types.ts";

/**
 * BuildKit's UndefinedVar (https://docs.docker.com/reference/build-checks/undefined-var/): a
 * variable used where BuildKit expands it (ENV, LABEL, COPY/ADD, WORKDIR, USER, VOLUME,
 * STOPSIGNAL, ARG defaults, RUN --mount; not the shell commands of RUN/CMD/ENTRYPOINT) that no
 * ARG or ENV in scope declares. It expands to an empty string, silently.
 *
 * BuildKit also knows the base image's environment; drydock knows it only for `scratch`, the
 * PATH-only official images (alpine, busybox, debian, ubuntu) and stages built on them.
 * Elsewhere it reports only clear mistakes (see buildkit/variables.ts) to avoid flagging
 * variables the image sets.
 */
export const rule: Rule = {
  code: "DD114",
  severity: "warning",
  message: "Variables should be defined before their use",
  aliases: ["UndefinedVar"],
  check({ dockerfile }) {
    return undefinedVariables(dockerfile).map(({ instruction, name, suggestion }) => ({
      line: instruction.line,
      message: `Usage of undefined variable '$${name}'${suggestion ? ` (did you mean $${suggestion}?)` : ""}`,
    }));
  },
};
