import { describe, expect, it } from "vitest";
import { knownImagePlatform } from "./image-facts.ts";
import { globMatches, imageName, isValidImageReference, parseImageRef } from "./images.ts";
import { parsePlatform } from "./platforms.ts";

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
