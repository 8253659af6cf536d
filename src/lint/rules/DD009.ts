import { copyPaths } from "../support/copy-args.ts";
import type { Rule, RuleHit } from "../types.ts";

/**
 * DD009: `ADD` of a remote URL without `--checksum` (docs/rules/DD009.md). `ADD --checksum`
 * for HTTP(S) sources is stable since Dockerfile syntax 1.6 (moby/buildkit#3979,
 * https://docs.docker.com/reference/dockerfile/#add---checksum); later versions accept a commit
 * hash for Git sources too. A Git source pinned to a full commit hash (`#<sha>`, or
 * `?commit=<sha>` / `?checksum=<sha>` from syntax 1.18) is verified by Git itself.
 */
export const rule: Rule = {
  code: "DD009",
  severity: "warning",
  message:
    "ADD downloads a remote file without --checksum: a changed or compromised file goes into the image unnoticed",
  check({ dockerfile }) {
    const hits: RuleHit[] = [];
    for (const outer of dockerfile.instructions) {
      const add = outer.onbuild ?? outer;
      if (add.keyword !== "ADD" || add.flags.some((f) => f.name === "checksum")) continue;
      const sources = copyPaths(add, dockerfile.escape)?.sources ?? [];
      const git = sources.find((s) => isGitSource(s) && !isPinnedGit(s));
      if (git) {
        hits.push({
          line: outer.line,
          message: `ADD clones ${git} at a moving ref: pin a commit (\`#<full sha>\`) or add --checksum=<commit sha>, or the next build may get different code`,
        });
        continue;
      }
      const url = sources.find((s) => /^(https?|ftp):\/\//i.test(s) && !isGitSource(s));
      if (url) {
        hits.push({
          line: outer.line,
          message: `ADD downloads ${url} without --checksum: a changed or compromised file goes into the image unnoticed. Add --checksum=sha256:<digest>`,
        });
      }
    }
    return hits;
  },
};

/** BuildKit's Git source detection: `git@`, `git://`, `ssh://`, or an http(s) URL to a `.git` repo. */
function isGitSource(source: string): boolean {
  if (/^(git@|git:\/\/|ssh:\/\/)/i.test(source)) return true;
  if (!/^https?:\/\//i.test(source)) return false;
  const path = source.replace(/[?#].*$/, "");
  return /\.git\/?$/i.test(path);
}

function isPinnedGit(source: string): boolean {
  const fragment = /#([^:]*)/.exec(source)?.[1] ?? "";
  if (isCommitHash(fragment)) return true;
  const query = /\?([^#]*)/.exec(source)?.[1] ?? "";
  return query.split("&").some((pair) => {
    const [key, value] = pair.split("=");
    return (key === "commit" || key === "checksum") && isCommitHash(value ?? "");
  });
}

function isCommitHash(text: string): boolean {
  return /^[0-9a-f]{40}$|^[0-9a-f]{64}$/i.test(text);
}
