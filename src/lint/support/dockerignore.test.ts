import { describe, expect, it } from "vitest";
import { cleanPath, DockerIgnore, excludesGitDir, readIgnoreFile } from "./dockerignore.ts";

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

describe(".dockerignore edge cases", () => {
  it("treats an unbalanced [ as matching nothing instead of failing", () => {
    expect(new DockerIgnore("[\na[").excludes("a[")).toBe(false);
    expect(readIgnoreFile("[")!.excludes("src/app.js")).toBe(false);
  });

  it("cleans the path asked about like the patterns", () => {
    const ignore = new DockerIgnore("dist\n");
    expect(ignore.excludes("./dist/")).toBe(true);
    expect(ignore.excludes("src/../dist/a.js")).toBe(true);
    expect(ignore.excludes("./")).toBe(false);
  });
});
