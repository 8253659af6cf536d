import { describe, expect, it } from "vitest";
import { hashBytes, PathTable } from "./path-table.ts";

describe("PathTable", () => {
  it("finds byte ranges and strings alike, across growth, non-ASCII included", () => {
    const paths = Array.from({ length: 5000 }, (_, i) => `/d${i % 37}/é${i}/f`);
    const arena = Buffer.from(paths.join(""), "utf8");
    const table = new PathTable(); // starts small: grows many times
    const buffer = table.addBuffer(arena);
    let start = 0;
    const ranges: Array<[number, number]> = [];
    for (const [i, path] of paths.entries()) {
      const end = start + Buffer.byteLength(path);
      ranges.push([start, end]);
      expect(table.insert(buffer, start, end, hashBytes(arena, start, end), i)).toBe(i);
      start = end;
    }
    expect(table.size).toBe(5000);
    for (const [i, [s, e]] of ranges.entries()) {
      expect(table.find(arena, s, e, hashBytes(arena, s, e))).toBe(i);
      expect(table.values[table.findString(paths[i]!)]).toBe(i);
    }
    expect(table.findString("/d1/é1")).toBe(-1);
    table.addString(paths[7]!); // already there: not added again
    table.addString("/new/ü");
    expect(table.size).toBe(5001);
    expect(table.findString("/new/ü")).toBe(5000);
  });
});
