import { basename, dirname, isAbsolute, relative, sep } from "node:path";
import { isWholeContextCopy } from "../support/copy-args.ts";
import { excludesGitDir } from "../support/dockerignore.ts";
import type { Rule, RuleContext, RuleHit } from "../types.ts";

/**
 * DD003: the whole build context is copied but no `.dockerignore` keeps `.git` out of it
 * (docs/rules/DD003.md; https://docs.docker.com/build/concepts/context/#dockerignore-files).
 * BuildKit reads `<Dockerfile name>.dockerignore` next to the Dockerfile in preference to the
 * context's `.dockerignore`; we do the same. Skipped when the context is unknown (stdin).
 */
export const rule: Rule = {
  code: "DD003",
  severity: "warning",
  message:
    "The whole build context is copied but no .dockerignore excludes .git: the repository history (and any local secrets) end up in the image",
  check(ctx) {
    if (ctx.context.dir === null) return [];
    const copy = ctx.dockerfile.instructions.find((i) => isWholeContextCopy(i, ctx.dockerfile.escape));
    if (!copy) return [];
    const ignore = readIgnoreFile(ctx);
    if (!ignore) {
      return [
        {
          line: copy.line,
          message:
            "The whole build context is copied but the context has no .dockerignore: .git, .env files and local build output are sent to the builder and copied into the image. Add a .dockerignore that excludes at least .git",
        },
      ] satisfies RuleHit[];
    }
    if (excludesGitDir(ignore.text)) return [];
    return [
      {
        line: copy.line,
        message: `The whole build context is copied but ${ignore.name} does not exclude .git: the repository history is copied into the image. Add a line \`.git\` to ${ignore.name}`,
      },
    ];
  },
};

/** The ignore file BuildKit would use: `<Dockerfile>.dockerignore` first, then `.dockerignore`. */
function readIgnoreFile(ctx: RuleContext): { name: string; text: string } | null {
  for (const name of ignoreFileCandidates(ctx)) {
    const text = ctx.context.readFile(name);
    if (text !== null) return { name, text };
  }
  return null;
}

function ignoreFileCandidates(ctx: RuleContext): string[] {
  const candidates: string[] = [];
  const file = ctx.file;
  if (file && file !== "-" && ctx.context.dir) {
    const own = `${basename(file)}.dockerignore`;
    // A relative path is relative to the caller's directory, which we cannot see from here; in
    // that case the usual set-up (context = the Dockerfile's directory) is assumed.
    const dir = isAbsolute(file) ? relative(ctx.context.dir, dirname(file)) : "";
    if (!dir.startsWith("..") && !isAbsolute(dir)) candidates.push(dir ? `${dir}${sep}${own}` : own);
  }
  candidates.push(".dockerignore");
  return candidates;
}
