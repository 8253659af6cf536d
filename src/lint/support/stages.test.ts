import { describe, expect, it } from "vitest";
import { parseDockerfile } from "../../dockerfile/parse.ts";
import { isWholeContextCopy } from "./copy-args.ts";
import { expandKnown, rootBase, stageChain, variableAt, workdirAt } from "./stages.ts";

/** `%{X}` → `${X}`: Dockerfile variable syntax without template-looking string literals. */
function dollar(text: string): string {
  return text.replaceAll("%{", "${");
}

describe("stages", () => {
  const df = parseDockerfile(
    [
      "ARG BASE=debian:bookworm",
      dollar("FROM %{BASE} AS base"),
      "ENV A=1",
      "WORKDIR /app",
      "FROM base AS build",
      "ENV A 2",
      "WORKDIR src",
      "COPY --chown=1 . .",
      "FROM build",
      "",
    ].join("\n"),
  );

  it("expands global ARG defaults in FROM and follows FROM <stage>", () => {
    const last = df.stages[2]!;
    expect(stageChain(df, last).map((s) => s.index)).toEqual([2, 1, 0]);
    const base = rootBase(df, last);
    expect(base.kind === "image" && base.ref.repository).toBe("debian");
  });

  it("reads ENV values and WORKDIR through the chain", () => {
    const copy = df.stages[1]!.instructions.find((i) => i.keyword === "COPY")!;
    expect(variableAt(df, df.stages[1]!, copy, "A")).toBe("2");
    expect(variableAt(df, df.stages[0]!, null, "A")).toBe("1");
    expect(workdirAt(df, df.stages[1]!, copy)).toBe("/app/src");
    expect(isWholeContextCopy(copy)).toBe(true);
  });

  it("substitutes variables with defaults and reports unknown ones", () => {
    expect(expandKnown(dollar("a:%{T:-1}"), new Map())).toBe("a:1");
    expect(expandKnown(dollar("a:%{T:+x}"), new Map([["T", "v"]]))).toBe("a:x");
    expect(expandKnown("a:$T", new Map())).toBeNull();
  });
});
