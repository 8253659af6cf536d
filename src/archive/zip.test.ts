import { describe, expect, it } from "vitest";
import { makeZip } from "./test-helpers/zip-writer.ts";
import { readZipDirectory, readZipEntry, ZipFormatError, zipBytesOf } from "./zip.ts";

describe("zip reader", () => {
  const archive = makeZip([
    { name: "META-INF/MANIFEST.MF", data: "Manifest-Version: 1.0\n" },
    { name: "lib/inner.jar", data: Buffer.alloc(5000, 7), method: 0 },
    { name: "données.txt", data: "é" },
  ]);
  const bytes = zipBytesOf(archive);

  it("lists the central directory and reads stored and deflated entries", () => {
    const entries = readZipDirectory(bytes);
    expect(entries.map((e) => [e.name, e.method, e.size])).toEqual([
      ["META-INF/MANIFEST.MF", 8, 22],
      ["lib/inner.jar", 0, 5000],
      ["données.txt", 8, 2],
    ]);
    expect(readZipEntry(bytes, entries[0]!).toString()).toBe("Manifest-Version: 1.0\n");
    const stored = readZipEntry(bytes, entries[1]!);
    expect(stored.equals(Buffer.alloc(5000, 7))).toBe(true);
    // A copy: the caller's buffer (or read window) is not pinned by the result.
    expect(stored.buffer).not.toBe(archive.buffer);
  });

  it("bounds what an entry may expand to", () => {
    const [manifest] = readZipDirectory(bytes);
    expect(() => readZipEntry(bytes, manifest!, 10)).toThrow(/larger than 10 bytes/);
  });

  it("rejects a wrong CRC-32 and an entry whose data says it is larger than declared", () => {
    const badCrc = zipBytesOf(makeZip([{ name: "a", data: "hello", badCrc: true }]));
    expect(() => readZipEntry(badCrc, readZipDirectory(badCrc)[0]!)).toThrow(
      "a: damaged zip entry (CRC-32 mismatch)",
    );
    const [entry] = readZipDirectory(bytes);
    expect(() => readZipEntry(bytes, { ...entry!, size: 5 })).toThrow(ZipFormatError);
  });

  it("rejects what is not a zip", () => {
    expect(() => readZipDirectory(zipBytesOf(Buffer.from("not a zip at all, just text")))).toThrow(
      /no end of central directory record/,
    );
  });
});
