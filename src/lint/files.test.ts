import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { findDockerfiles, isDockerfileName } from "./files.ts";

describe("isDockerfileName", () => {
  it("accepts the usual names", () => {
    for (const name of [
      "Dockerfile",
      "Containerfile",
      "api.Dockerfile",
      "Dockerfile.dev",
      "web.dockerfile",
    ]) {
      expect(isDockerfileName(name)).toBe(true);
    }
    for (const name of ["dockerfile.md", "Makefile", "Dockerfile-notes.txt"])
      expect(isDockerfileName(name)).toBe(false);
  });
});

describe("findDockerfiles", () => {
  it("walks directories, skipping .git, node_modules and .gitignore'd paths", async () => {
    const root = mkdtempSync(join(tmpdir(), "drydock-files-"));
    const files = {
      Dockerfile: "",
      "svc/api/Dockerfile.prod": "",
      "svc/web/web.Dockerfile": "",
      "node_modules/x/Dockerfile": "",
      ".git/Dockerfile": "",
      "build/Dockerfile": "",
      "svc/ignored-here/Dockerfile": "",
      "README.md": "",
    };
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(join(root, path, ".."), { recursive: true });
      writeFileSync(join(root, path), content);
    }
    writeFileSync(join(root, ".gitignore"), "build/\n");
    writeFileSync(join(root, "svc", ".gitignore"), "ignored-here\n");
    const found = (await findDockerfiles([root])).map((f) => relative(root, f)).sort();
    expect(found).toEqual(["Dockerfile", "svc/api/Dockerfile.prod", "svc/web/web.Dockerfile"]);
  });

  it("keeps explicitly named files whatever their name", async () => {
    const root = mkdtempSync(join(tmpdir(), "drydock-files-"));
    writeFileSync(join(root, "custom.txt"), "FROM a\n");
    expect(await findDockerfiles([join(root, "custom.txt")])).toEqual([join(root, "custom.txt")]);
  });
});
