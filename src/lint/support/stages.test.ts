import { describe, expect, it } from "vitest";
import { parseDockerfile } from "../../dockerfile/parse.ts";
import { isWholeContextCopy } from "./copy-args.ts";
import {
  expandKnown,
  parentStages,
  rootBase,
  stageBases,
  stageChain,
  stagesUsedAsBase,
  variableAt,
  workdirAt,
} from "./stages.ts";

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

describe("what a FROM builds on", () => {
  const kinds = (lines: string[]) =>
    stageBases(parseDockerfile(`${lines.join("\n")}\n`)).map((b) =>
      b.kind === "image" ? b.text : b.kind === "stage" ? `stage ${b.stage.index}` : b.kind,
    );

  it("substitutes what the global ARGs make certain, and nothing else", () => {
    expect(
      kinds(["ARG REG=docker.io/library", dollar("ARG BASE=%{REG}/debian:12"), dollar("FROM %{BASE}")]),
    ).toEqual(["docker.io/library/debian:12"]);
    // Platform ARGs depend on the builder; an undeclared variable has no value.
    expect(kinds([dollar("FROM %{TARGETARCH}/alpine")])).toEqual(["unknown"]);
    expect(kinds([dollar("ARG BASE=%{UNSET}/debian"), dollar("FROM %{BASE}")])).toEqual(["unknown"]);
    expect(kinds([dollar("FROM %{UNSET:-alpine:3.20}")])).toEqual(["alpine:3.20"]);
    expect(kinds(['FROM "alpine:3.20"', "FROM scratch"])).toEqual(["alpine:3.20", "scratch"]);
  });

  it("reads stage names case-insensitively, the latest earlier one winning", () => {
    const lines = [
      "FROM alpine AS base",
      "FROM debian AS base",
      "FROM BASE",
      dollar("ARG X=base"),
      "FROM base",
    ];
    expect(kinds(lines)).toEqual(["alpine", "debian", "stage 1", "stage 1"]);
    const df = parseDockerfile(`ARG S=base\nFROM alpine AS base\n${dollar("FROM %{S}")}\n`);
    // hadolint compares the word as written; the expanded reading follows the ARG.
    expect(parentStages(df)).toEqual([null, null]);
    expect([...stagesUsedAsBase(df, "expanded")]).toEqual([0]);
  });
});
