import { describe, expect, it } from "vitest";
import { parseDockerfile } from "../../dockerfile/parse.ts";
import { parseShell } from "../../dockerfile/shell.ts";
import { invocation, parseArgs } from "./commands.ts";
import { cleanPath, DockerIgnore, excludesGitDir } from "./dockerignore.ts";
import { globMatches, parseImageRef } from "./image.ts";
import {
  expandVariables,
  isWholeContextCopy,
  rootBase,
  stageChain,
  variableAt,
  workdirAt,
} from "./stages.ts";

/** `%{X}` → `${X}`: Dockerfile variable syntax without template-looking string literals. */
function dollar(text: string): string {
  return text.replaceAll("%{", "${");
}

describe("dockerignore matching (BuildKit semantics)", () => {
  it("anchors patterns at the root, cleans them and lets the last match win", () => {
    const ignore = new DockerIgnore("# comment\n/node_modules/\n*.log\n!keep.log\nsrc/**/tmp\n");
    expect(ignore.excludes("node_modules")).toBe(true);
    expect(ignore.excludes("node_modules/a/b.js")).toBe(true);
    expect(ignore.excludes("app.log")).toBe(true);
    expect(ignore.excludes("logs/app.log")).toBe(false); // `*` does not cross `/`
    expect(ignore.excludes("keep.log")).toBe(false);
    expect(ignore.excludes("src/tmp")).toBe(true);
    expect(ignore.excludes("src/a/b/tmp/x")).toBe(true);
  });

  it("knows when .git is kept out", () => {
    expect(excludesGitDir(".git")).toBe(true);
    expect(excludesGitDir("./.git/")).toBe(true);
    expect(excludesGitDir("**/.git")).toBe(true);
    expect(excludesGitDir("*\n!app/")).toBe(true);
    expect(excludesGitDir(".git\n!.git")).toBe(false);
    expect(excludesGitDir("node_modules\n")).toBe(false);
    expect(excludesGitDir("sub/.git")).toBe(false);
  });

  it("cleans paths like Go's path.Clean", () => {
    expect(cleanPath("./a//b/../c/")).toBe("a/c");
    expect(cleanPath("/.git/")).toBe("/.git");
    expect(cleanPath("./")).toBe(".");
  });
});

describe("image references", () => {
  it("folds Docker Hub spellings and keeps other registries", () => {
    expect(parseImageRef("docker.io/library/python:3.12-alpine")).toMatchObject({
      registry: null,
      repository: "python",
      tag: "3.12-alpine",
    });
    expect(parseImageRef("localhost:5000/team/app@sha256:abc")).toMatchObject({
      registry: "localhost:5000",
      repository: "localhost:5000/team/app",
      name: "app",
      tag: null,
      digest: "sha256:abc",
    });
    expect(parseImageRef("public.ecr.aws/docker/library/golang:1.22").name).toBe("golang");
  });

  it("matches globs over the whole repository", () => {
    expect(globMatches("cgr.dev/chainguard/*", "cgr.dev/chainguard/python")).toBe(true);
    expect(globMatches("*/alpine", "alpine")).toBe(false);
  });
});

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
    expect(expandVariables(dollar("a:%{T:-1}"), new Map())).toBe("a:1");
    expect(expandVariables(dollar("a:%{T:+x}"), new Map([["T", "v"]]))).toBe("a:x");
    expect(expandVariables("a:$T", new Map())).toBeNull();
  });
});

describe("command reading", () => {
  it("reads python -m pip as pip and getopt-style flags", () => {
    const [command] = parseShell("python3 -m pip install -r req.txt -qe . --no-cache-dir");
    const inv = invocation(command!);
    expect(inv.program).toBe("pip");
    const parsed = parseArgs(inv.args, ["r", "e"]);
    expect(parsed.positional).toEqual(["install"]);
    expect(parsed.flags).toEqual([
      { name: "r", value: "req.txt" },
      { name: "q", value: null },
      { name: "e", value: "." },
      { name: "no-cache-dir", value: null },
    ]);
  });
});
