import { describe, expect, it } from "vitest";
import { buildModel } from "./model.ts";
import {
  findSecrets,
  mayBeCandidateBytes,
  SECRET_CAPTURE,
  SECRET_CAPTURE_BYTES,
  secretCandidate,
} from "./secrets.ts";
import { stackLayers } from "./stack.ts";
import { type FixtureEntry, fakeImage } from "./test-helpers/image.ts";

// Built at run time so that no secret-looking literal sits in the source.
const PEM = (kind: string) =>
  [
    `-----BEGIN ${kind}PRIVATE KEY-----`,
    "MIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA",
    `-----END ${kind}PRIVATE KEY-----`,
    "",
  ].join("\n");
const GITHUB_TOKEN = `ghp_${"a1B2c3D4e5".repeat(4)}`;

async function secrets(layers: FixtureEntry[][]) {
  const handle = await fakeImage(layers);
  const data = await handle.readLayers({ capture: [SECRET_CAPTURE] });
  const model = buildModel(data.map((l) => l.index));
  return findSecrets(model, stackLayers(model)).map((f) => ({
    path: f.path,
    rule: f.rule,
    severity: f.severity,
    layer: f.layer,
    visible: f.visible,
    ...(f.hiddenBy !== undefined ? { hiddenBy: f.hiddenBy } : {}),
  }));
}

describe("secret detection", () => {
  it("confirms private keys by content and reports a key deleted later as still extractable", async () => {
    const found = await secrets([
      [
        { name: "root/.ssh/id_rsa", content: PEM("RSA ") },
        { name: "app/server.key", content: PEM("") },
        {
          name: "etc/ssl/certs/ca.pem",
          content: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
        },
      ],
      [{ name: "root/.ssh/.wh.id_rsa", content: "" }],
    ]);
    expect(found).toEqual([
      { path: "/app/server.key", rule: "private-key", severity: "high", layer: 0, visible: true },
      {
        path: "/root/.ssh/id_rsa",
        rule: "private-key",
        severity: "high",
        layer: 0,
        visible: false,
        hiddenBy: 1,
      },
    ]);
  });

  it("checks credential files by content and .env files by name or content", async () => {
    const found = await secrets([
      [
        { name: "app/.env", content: "DATABASE_PASSWORD=hunter22\n" },
        { name: "app/.env.example", content: "DATABASE_PASSWORD=changeme\n" },
        { name: "srv/.env.production", content: "# nothing secret\n" },
        { name: "root/.npmrc", content: `//registry.npmjs.org/:_authToken=${GITHUB_TOKEN}\n` },
        { name: "home/app/.npmrc", content: "registry=https://registry.npmjs.org/\n" },
        { name: "root/.docker/config.json", content: '{"auths":{"r.example":{"auth":"dXNlcjpwYXNz"}}}' },
        { name: "root/.aws/credentials", content: "[default]\naws_secret_access_key = abcdEFGH1234\n" },
        {
          name: "app/config/service-account.json",
          content: `{"type":"service_account","private_key":"${PEM("").replaceAll("\n", "\\n")}"}`,
        },
        { name: "app/settings.json", content: `{"token":"${GITHUB_TOKEN}"}` },
      ],
    ]);
    expect(found.map((f) => [f.path, f.rule, f.severity])).toEqual([
      ["/app/.env", "dotenv", "high"],
      ["/app/config/service-account.json", "cloud-service-account", "high"],
      ["/root/.aws/credentials", "aws-credentials", "high"],
      ["/root/.docker/config.json", "docker-config", "high"],
      ["/root/.npmrc", "npmrc-token", "high"],
      ["/srv/.env.production", "dotenv", "medium"],
    ]);
  });

  it("skips vendored test fixtures and documentation", () => {
    expect(secretCandidate("/usr/lib/python3/site-packages/cryptography/tests/key.pem")).toBeUndefined();
    expect(secretCandidate("/app/node_modules/ssh2/test/fixtures/id_rsa")).toBeUndefined();
    expect(secretCandidate("/usr/share/doc/openssl/demo.key")).toBeUndefined();
    expect(secretCandidate("/app/id_rsa")?.id).toBe("private-key");
    expect(secretCandidate("/usr/bin/python3")).toBeUndefined();
  });

  it("reports a key store by name, and a large key file as unchecked", async () => {
    const found = await secrets([
      [
        { name: "app/keystore.p12", content: "binary" },
        { name: "etc/ssh/ssh_host_ed25519_key", content: "x".repeat(SECRET_CAPTURE_BYTES + 1) },
      ],
    ]);
    expect(found.map((f) => [f.path, f.rule, f.severity])).toEqual([
      ["/app/keystore.p12", "keystore", "medium"],
      ["/etc/ssh/ssh_host_ed25519_key", "ssh-host-key", "medium"],
    ]);
  });

  it("filters names on their bytes without rejecting any candidate", () => {
    const names = [
      ".env",
      ".env.production",
      ".npmrc",
      "id_ed25519",
      "ssh_host_rsa_key",
      "server.KEY",
      "a.Pem",
      "cert.p12",
      "store.keystore",
      "sa-key.json",
      "credentials",
      "config",
      "terraform.tfstate.backup",
      "é.pem",
      // U+212A KELVIN SIGN lower-cases to "k": ".\u212Aey" is ".key" to the string filter.
      "x.\u212Aey",
      "x.pp\u212A",
      // Either case, in each of the last two bytes (the byte filter looks at those first).
      "KEY.PEM",
      "a.JkS",
      "service_account.JSON",
    ];
    for (const name of names) {
      const bytes = Buffer.from(`xx/${name}`);
      const where = ["/root/.aws/", "/root/.docker/", "/etc/ssh/", "/home/u/.kube/", "/app/"];
      const candidate = where.some((dir) => secretCandidate(dir + name) !== undefined);
      expect(candidate, name).toBe(true);
      expect(mayBeCandidateBytes(bytes, 3, bytes.length), name).toBe(true);
    }
    for (const name of [
      "libc.so.6",
      "index.js",
      "README",
      "a.pyc",
      ".pem",
      "x.jsonx",
      "core",
      "a.ks",
      "b.xks",
    ]) {
      const bytes = Buffer.from(name);
      expect(mayBeCandidateBytes(bytes, 0, bytes.length), name).toBe(false);
    }
  });
});
