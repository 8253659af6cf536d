import { describe, expect, it } from "vitest";
import { familiarName, formatReference, parseReference } from "./reference.ts";

describe("parseReference", () => {
  const cases: [string, string][] = [
    ["alpine", "docker.io/library/alpine:latest"],
    ["alpine:3.20", "docker.io/library/alpine:3.20"],
    ["bitnami/redis:7", "docker.io/bitnami/redis:7"],
    ["index.docker.io/library/ubuntu", "docker.io/library/ubuntu:latest"],
    ["localhost/app", "localhost/app:latest"],
    ["localhost:5000/team/app:v1", "localhost:5000/team/app:v1"],
    ["127.0.0.1:5000/app:1.0", "127.0.0.1:5000/app:1.0"],
    ["ghcr.io/astral-sh/uv:0.8.15", "ghcr.io/astral-sh/uv:0.8.15"],
    [
      "gcr.io/distroless/static@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
      "gcr.io/distroless/static@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    ],
    [
      "node:20@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
      "docker.io/library/node:20@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    ],
  ];
  for (const [input, canonical] of cases) {
    it(`${input} -> ${canonical}`, () => expect(formatReference(parseReference(input))).toBe(canonical));
  }

  it("rejects invalid references with a usage error", () => {
    for (const bad of ["", "UPPER/case", "a:b:c", "x@sha256:short", "a//b", "repo:-tag", "-lead"]) {
      expect(() => parseReference(bad), bad).toThrow(/invalid image reference/);
    }
  });

  it("gives the familiar short name", () => {
    expect(familiarName(parseReference("docker.io/library/alpine:3.20"))).toBe("alpine:3.20");
    expect(familiarName(parseReference("127.0.0.1:5000/app:1"))).toBe("127.0.0.1:5000/app:1");
  });
});
