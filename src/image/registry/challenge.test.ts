import { describe, expect, it } from "vitest";
import { parseAuthenticate } from "./challenge.ts";

describe("parseAuthenticate", () => {
  it("reads a Bearer challenge with quoted params (Docker Hub's shape)", () => {
    const header =
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push"';
    expect(parseAuthenticate(header)).toEqual([
      {
        scheme: "bearer",
        params: {
          realm: "https://auth.docker.io/token",
          service: "registry.docker.io",
          scope: "repository:samalba/my-app:pull,push",
        },
      },
    ]);
  });

  it("splits several challenges in one header and lower-cases schemes and names", () => {
    const challenges = parseAuthenticate('Basic realm="reg", BEARER Realm="https://t/token", Service=svc');
    expect(challenges).toEqual([
      { scheme: "basic", params: { realm: "reg" } },
      { scheme: "bearer", params: { realm: "https://t/token", service: "svc" } },
    ]);
  });

  it("unescapes quoted strings and keeps commas inside them", () => {
    const [challenge] = parseAuthenticate('Bearer realm="a\\"b,c", error="insufficient_scope"');
    expect(challenge?.params).toEqual({ realm: 'a"b,c', error: "insufficient_scope" });
  });

  it("accepts token params, spaces around '=' and a token68", () => {
    expect(parseAuthenticate("Basic realm = plain , charset=UTF-8")).toEqual([
      { scheme: "basic", params: { realm: "plain", charset: "UTF-8" } },
    ]);
    expect(parseAuthenticate("Negotiate abc+/def==, Basic realm=x")).toEqual([
      { scheme: "negotiate", params: {}, token68: "abc+/def==" },
      { scheme: "basic", params: { realm: "x" } },
    ]);
  });

  it("copes with empty and malformed headers", () => {
    expect(parseAuthenticate("")).toEqual([]);
    expect(parseAuthenticate("Bearer")).toEqual([{ scheme: "bearer", params: {} }]);
    expect(parseAuthenticate('Bearer realm="unterminated')).toEqual([
      { scheme: "bearer", params: { realm: "unterminated" } },
    ]);
    expect(parseAuthenticate("@@@, Basic")).toEqual([{ scheme: "basic", params: {} }]);
  });
});
