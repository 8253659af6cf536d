// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Dockerfile snippets use ${VAR} syntax.
import { describe, expect, it } from "vitest";
import { readIgnoreFile } from "./dockerignore.ts";
import { expandWord, literalWord, splitWords, suggestName } from "./expand.ts";
import { imageName, isValidImageReference, knownImagePlatform, parsePlatform } from "./images.ts";

const env: Record<string, string> = { A: "alpha", EMPTY: "", PATH: "/usr/bin:/bin", FILE: "archive.tar.gz" };
const lookup = (name: string) => env[name];

describe("expandWord (BuildKit shell/lex.go semantics)", () => {
  it.each([
    ["$A-${A}", "alpha-alpha"],
    ["${MISSING:-def}", "def"],
    ["${EMPTY-def}", ""],
    ["${EMPTY:-def}", "def"],
    ["${A:+set}${MISSING+set}", "set"],
    ["${FILE%.gz}", "archive.tar"],
    ["${FILE%%.*}", "archive"],
    ["${FILE#*.}", "tar.gz"],
    ["${FILE##*.}", "gz"],
    ["${PATH/bin/sbin}", "/usr/sbin:/bin"],
    ["${PATH//bin/sbin}", "/usr/sbin:/sbin"],
    ["'$A' \"$A\"", "$A alpha"],
    ["\\$A", "$A"],
    ['"\\$A \\n"', "$A \\n"],
    ["$ 100%", "$ 100%"],
  ])("%s → %s", (word, expected) => {
    expect(expandWord(word, lookup).result).toBe(expected);
  });

  it("records matched and unmatched names, nested defaults included", () => {
    const expansion = expandWord("${A}${B:-${C}}$D", lookup);
    expect([...expansion.matched]).toEqual(["A"]);
    expect([...expansion.unmatched]).toEqual(["C", "B", "D"]);
  });

  it("reports what BuildKit refuses", () => {
    expect(expandWord("${MISSING?no}", lookup).error).toBe("MISSING: no");
    expect(expandWord("${A", lookup).error).toBeDefined();
    expect(expandWord("${:x}", lookup).error).toBeDefined();
    expect(expandWord("'open", lookup).error).toBeDefined();
  });

  it("follows the escape directive and raw heredoc bodies", () => {
    expect(expandWord("`$A", lookup, { escape: "`" }).result).toBe("$A");
    expect(expandWord("'$A'", lookup, { processQuotes: false }).result).toBe("'alpha'");
  });
});

describe("word helpers", () => {
  it("splits like BuildKit's parser, keeping quotes", () => {
    expect(splitWords(`a "b c" 'd e' f\\ g`)).toEqual(["a", '"b c"', "'d e'", "f\\ g"]);
    expect(literalWord('"b c"')).toBe("b c");
  });
  it("suggests names within distance 2", () => {
    expect(suggestName("PAHT", ["PATH", "HOME"])).toBe("PATH");
    expect(suggestName("XYZW", ["PATH"])).toBeUndefined();
  });
});

describe("images", () => {
  it.each([
    ["alpine", true],
    ["alpine:3.20", true],
    ["registry.example.com:5000/team/app:1.0@sha256:" + "a".repeat(64), true],
    ["busybox:", false],
    ["", false],
    ["Builder", false],
    ["a".repeat(64), false],
  ])("reference %s valid: %s", (ref, valid) => {
    expect(isValidImageReference(ref)).toBe(valid);
  });
  it("splits names and knows a few platforms", () => {
    expect(imageName("docker.io/library/alpine:3")).toEqual({
      registry: "docker.io",
      repository: "alpine",
      tag: "3",
    });
    expect(knownImagePlatform("mcr.microsoft.com/windows/nanoserver:ltsc2022")).toEqual({ os: "windows" });
    expect(knownImagePlatform("python:3.12-windowsservercore-ltsc2022")).toEqual({ os: "windows" });
    expect(knownImagePlatform("python:3.12-slim")).toEqual({ os: "linux" });
    expect(knownImagePlatform("myorg/app:1")).toEqual({});
  });
  it("parses platforms as containerd does", () => {
    expect(parsePlatform("linux/x86_64")).toEqual({ os: "linux", arch: "amd64", variant: undefined });
    expect(parsePlatform("windows")).toEqual({ os: "windows" });
    expect(parsePlatform("aarch64")).toEqual({ arch: "arm64" });
    expect(parsePlatform("linux//")).toBeNull();
  });
});

describe(".dockerignore", () => {
  it("reads patterns and refuses to judge exceptions", () => {
    const matcher = readIgnoreFile("# build output\n dist \n\n*.log\n")!;
    expect(matcher.excludes("dist/app.js")).toBe(true);
    expect(matcher.excludes("./app.log")).toBe(true);
    expect(matcher.excludes("src/app.log")).toBe(false);
    expect(matcher.excludes("/dist")).toBe(true);
    expect(matcher.excludes(".")).toBe(false);
    expect(readIgnoreFile("*\n!src")).toBeNull();
    expect(readIgnoreFile("# nothing\n")).toBeNull();
  });
});
