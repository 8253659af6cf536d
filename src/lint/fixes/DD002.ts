import { adjacentRuns, mergeRuns, runAt } from "../support/apt-session.ts";
import type { Fixer } from "../types.ts";

/**
 * DD002 (a cleanup in a later RUN than the command that left the files; reported at the
 * cleanup RUN, the message naming the creating lines: "… that line 2 created"): merge the
 * RUNs from the first creator through the cleanup into one, e.g. `apt-get update`,
 * `apt-get install` and `rm -rf /var/lib/apt/lists/*`. Only when they are adjacent RUNs of
 * the stage (nothing in between could see the intermediate state) that merge safely.
 */
export const fixer: Fixer = {
  code: "DD002",
  fix(ctx, hit) {
    const cleanup = runAt(ctx, hit.line);
    const creators = /\bthat lines? ([\d, and]+) created\b/.exec(hit.message);
    if (!cleanup || !creators) return null;
    const lines = [...creators[1]!.matchAll(/\d+/g)].map((m) => Number(m[0]));
    const block = adjacentRuns(ctx, cleanup);
    const positions = lines.map((line) => block.findIndex((run) => run.outer.line === line));
    const to = block.indexOf(cleanup);
    if (positions.length === 0 || positions.some((p) => p === -1 || p >= to)) return null;
    const from = Math.min(...positions);
    return mergeRuns(
      ctx,
      block.slice(from, to + 1),
      "run the cleanup in the RUN that leaves the files",
      false,
    );
  },
};
