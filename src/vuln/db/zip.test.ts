import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeZip } from "../../archive/test-helpers/zip-writer.ts";
import { tempDir } from "../test-helpers/records.ts";
import { CorruptArchiveError, looksLikeZip, zipFiles } from "./zip.ts";

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

async function read(bytes: Buffer, wanted = (_: string) => true) {
  const path = join(dir, "a.zip");
  writeFileSync(path, bytes);
  const out: Array<[string, string]> = [];
  for await (const f of zipFiles(path, wanted, "a.zip")) out.push([f.name, f.data.toString()]);
  return out;
}

describe("zip reader", () => {
  it("reads stored and deflated entries, skips folders and unwanted names", async () => {
    const zip = makeZip([
      { name: "vulns/", data: "", method: 0 },
      { name: "vulns/A.json", data: '{"id":"A"}', method: 0 },
      { name: "vulns/B.json", data: `{"id":"B","details":"${"x".repeat(5000)}"}` },
      { name: "README.txt", data: "hello" },
    ]);
    expect(looksLikeZip(zip)).toBe(true);
    const files = await read(zip, (name) => name.endsWith(".json"));
    expect(files.map(([name]) => name)).toEqual(["vulns/A.json", "vulns/B.json"]);
    expect(files[1]![1]).toHaveLength(5000 + '{"id":"B","details":""}'.length);
  });

  it("reads past a saturated entry count when there is no ZIP64 record", async () => {
    const files = Array.from({ length: 0x10000 + 5 }, (_, i) => ({
      name: `${i}.json`,
      data: "",
      method: 0 as const,
    }));
    const names = (await read(makeZip(files))).map(([name]) => name);
    expect(names).toHaveLength(0x10000 + 5);
    expect(names.at(-1)).toBe(`${0x10000 + 4}.json`);
  });

  it("reads an empty archive", async () => {
    expect(await read(makeZip([]))).toEqual([]);
  });

  it("rejects an entry whose offset points past the end of a large archive", async () => {
    // Larger than one read window, so that the offset is not inside the window already read.
    const zip = makeZip([
      { name: "big.bin", data: Buffer.alloc(12 * 1024 * 1024, 1), method: 0 },
      { name: "B.json", data: '{"id":"B"}' },
    ]);
    const directory = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    zip.writeUInt32LE(0x7fffffff, directory + 42); // B.json's local header offset
    const error = await read(zip).then(
      () => undefined,
      (e) => e as Error,
    );
    expect(error).toBeInstanceOf(CorruptArchiveError);
    expect(error!.message).toBe("a.zip: B.json: damaged zip entry (no local header)");
  });

  it("rejects damage with the archive's label", async () => {
    const zip = makeZip([
      { name: "A.json", data: '{"id":"A"}' },
      { name: "B.json", data: '{"id":"B"}' },
    ]);
    const attempt = (bytes: Buffer) =>
      read(bytes).then(
        () => undefined,
        (e) => e as Error,
      );

    const noEnd = await attempt(zip.subarray(0, zip.length - 10));
    expect(noEnd).toBeInstanceOf(CorruptArchiveError);
    expect(noEnd!.message).toMatch(
      /^a\.zip: not a readable zip archive \(no end of central directory record/,
    );

    // A flipped byte inside the deflated data of the first entry.
    const flipped = Buffer.from(zip);
    flipped[30 + "A.json".length + 2]! ^= 0xff;
    expect((await attempt(flipped))!.message).toMatch(/^a\.zip: A\.json: damaged zip entry/);

    // The local header of the second entry overwritten.
    const second = zip.indexOf(Buffer.from([0x50, 0x4b, 0x03, 0x04]), 4);
    const noHeader = Buffer.from(zip);
    noHeader.fill(0, second, second + 4);
    expect((await attempt(noHeader))!.message).toBe("a.zip: B.json: damaged zip entry (no local header)");

    expect((await attempt(Buffer.from("PK\u0003\u0004")))!.message).toBe(
      "a.zip: not a readable zip archive (too short to be a zip archive)",
    );
  });
});
