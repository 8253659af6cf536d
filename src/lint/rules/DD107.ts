import { isValidImageReference } from "../support/images.ts";
import { defaultMetaArgs, expandedBaseName, fromWords } from "../support/stages.ts";
import type { Rule, RuleHit } from "../types.ts";

/**
 * BuildKit's InvalidDefaultArgInFrom (https://docs.docker.com/reference/build-checks/invalid-default-arg-in-from/):
 * a FROM built from global ARGs must name a valid image when no `--build-arg` is given.
 * With the defaults only, `ARG TAG` + `FROM alpine:${TAG}` gives `alpine:`, and `ARG IMAGE`
 * + `FROM $IMAGE` gives an empty name: such a build fails unless every caller passes the
 * argument. An error, since the default build cannot succeed.
 */
export const rule: Rule = {
  code: "DD107",
  severity: "error",
  message: "Default value for global ARG results in an empty or invalid base image name",
  aliases: ["InvalidDefaultArgInFrom"],
  check({ dockerfile }) {
    const metaArgs = defaultMetaArgs(dockerfile);
    const hits: RuleHit[] = [];
    for (const { from } of dockerfile.stages) {
      const word = fromWords(from, dockerfile.escape)[0];
      if (word === undefined || !word.includes("$")) continue;
      const expansion = expandedBaseName(dockerfile, from, metaArgs);
      // A word BuildKit cannot expand fails the build with its own error; not this check's.
      if (expansion.error || isValidImageReference(expansion.result)) continue;
      hits.push({
        line: from.line,
        message: `Default value for ARG ${word} results in empty or invalid base image name`,
      });
    }
    return hits;
  },
};
