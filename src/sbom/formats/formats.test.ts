import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { sampleResult } from "../test-helpers/sample.ts";
import { renderSbom } from "./index.ts";

const schema = (name: string) =>
  JSON.parse(readFileSync(new URL(`../__fixtures__/schemas/${name}`, import.meta.url), "utf8")) as Record<
    string,
    unknown
  >;

function cycloneDxValidator(version: "1.5" | "1.6") {
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats.default(ajv);
  // Formats ajv-formats lacks; the documents use neither.
  ajv.addFormat("iri-reference", true).addFormat("idn-email", true);
  // The bom schema refers to its neighbours by file name, relative to its own $id.
  for (const file of [
    "spdx.SNAPSHOT.schema.json",
    "jsf-0.82.SNAPSHOT.schema.json",
    "cryptography-defs.SNAPSHOT.schema.json",
  ]) {
    ajv.addSchema({ ...schema(file), $id: `http://cyclonedx.org/schema/${file}` });
  }
  return ajv.compile(schema(`bom-${version}.SNAPSHOT.schema.json`));
}

const options = { timestamp: new Date(1_700_000_000_000), toolVersion: "0.1.0" };

describe("sbom/formats", () => {
  for (const version of ["1.5", "1.6"] as const) {
    it(`CycloneDX ${version} validates against the official schema`, async () => {
      const text = renderSbom(await sampleResult(), `cyclonedx-json@${version}`, options);
      const validate = cycloneDxValidator(version);
      const doc = JSON.parse(text);
      expect(validate(doc) ? [] : validate.errors).toEqual([]);
      expect(doc.specVersion).toBe(version);
    });
  }

  it("CycloneDX: purls, licences as ids, expressions or names, layer properties", async () => {
    const doc = JSON.parse(renderSbom(await sampleResult(), "cyclonedx-json", options));
    expect(doc.metadata.timestamp).toBe("2023-11-14T22:13:20Z");
    expect(doc.components[0]).toMatchObject({ type: "operating-system", name: "debian", version: "12" });
    const byName = Object.fromEntries(doc.components.map((c: { name: string }) => [c.name, c]));
    expect(byName.libssl3.purl).toBe(
      "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12&upstream=openssl",
    );
    expect(byName.libssl3.licenses).toEqual([
      { license: { id: "Apache-2.0" } },
      { license: { name: "Some-Odd-Licence" } },
    ]);
    expect(byName["@scope/x"].licenses).toEqual([{ expression: "(MIT OR Apache-2.0)" }]);
    expect(byName["left-pad"].licenses).toEqual([{ license: { id: "WTFPL" } }]);
    expect(byName["python3-six"].properties).toContainEqual({
      name: "drydock:metadata:contains",
      value: "pkg:pypi/six@1.16.0",
    });
    expect(byName["left-pad"].properties).toContainEqual({
      name: "drydock:location:0:layerDiffId",
      value: `sha256:${"3".repeat(64)}`,
    });
  });

  it("SPDX 2.3: required fields, licence refs, relationships", async () => {
    const doc = JSON.parse(renderSbom(await sampleResult(), "spdx-json", options));
    expect(doc).toMatchObject({
      spdxVersion: "SPDX-2.3",
      dataLicense: "CC0-1.0",
      SPDXID: "SPDXRef-DOCUMENT",
    });
    expect(doc.creationInfo).toEqual({ created: "2023-11-14T22:13:20Z", creators: ["Tool: drydock-0.1.0"] });
    const ids = new Set<string>();
    for (const pkg of doc.packages) {
      // The fields SPDX 2.3 requires of every package (clauses 7.1, 7.2, 7.7, 7.8).
      expect(pkg).toHaveProperty("name");
      expect(pkg.SPDXID).toMatch(/^SPDXRef-[A-Za-z0-9.-]+$/);
      expect(pkg).toHaveProperty("downloadLocation");
      ids.add(pkg.SPDXID);
    }
    expect(ids.size).toBe(doc.packages.length);
    for (const r of doc.relationships) {
      expect(r.spdxElementId === "SPDXRef-DOCUMENT" || ids.has(r.spdxElementId)).toBe(true);
      expect(ids.has(r.relatedSpdxElement)).toBe(true);
    }
    const ssl = doc.packages.find((p: { name: string }) => p.name === "libssl3");
    expect(ssl.licenseDeclared).toMatch(/^Apache-2\.0 AND LicenseRef-Some-Odd-Licence-[0-9a-f]{8}$/);
    expect(doc.hasExtractedLicensingInfos.map((l: { extractedText: string }) => l.extractedText)).toEqual(
      ["SEE LICENSE IN LICENSE.txt", "Some-Odd-Licence"].sort((a, b) =>
        `LicenseRef-${a}` < `LicenseRef-${b}` ? -1 : 1,
      ),
    );
    expect(ssl.externalRefs).toEqual([
      {
        referenceCategory: "PACKAGE-MANAGER",
        referenceType: "purl",
        referenceLocator:
          "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12&upstream=openssl",
      },
    ]);
  });

  it("is byte-identical for the same input and time", async () => {
    for (const format of ["cyclonedx-json", "spdx-json", "json", "table"] as const) {
      const a = renderSbom(await sampleResult(), format, options);
      const b = renderSbom(await sampleResult(), format, options);
      expect(a).toBe(b);
    }
  });

  it("renders a table", async () => {
    const text = renderSbom(await sampleResult(), "table", options);
    expect(text.split("\n").slice(0, 3)).toEqual([
      "Debian GNU/Linux 12 (bookworm)",
      "NAME         VERSION           TYPE  LAYER",
      "base-files   12.4+deb12u5      deb   1",
    ]);
    expect(text).toContain("6 packages\n");
  });
});

describe("sbom/formats vendored schemas", () => {
  it("are the files @cyclonedx/cyclonedx-library ships (res/schema)", () => {
    for (const file of [
      "bom-1.5.SNAPSHOT.schema.json",
      "bom-1.6.SNAPSHOT.schema.json",
      "spdx.SNAPSHOT.schema.json",
      "jsf-0.82.SNAPSHOT.schema.json",
      "cryptography-defs.SNAPSHOT.schema.json",
    ]) {
      const shipped = readFileSync(
        new URL(`../../../node_modules/@cyclonedx/cyclonedx-library/res/schema/${file}`, import.meta.url),
        "utf8",
      );
      expect(JSON.parse(shipped)).toEqual(schema(file));
    }
  });
});
