import { describe, expect, it } from "vitest";
import { hashBytes, PathTable, pathHash } from "./path-table.ts";

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
    expect(table.collisionFallback).toBe(false);
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

  it("keeps its keys when room is reserved, before or between insertions", () => {
    const paths = Array.from({ length: 3000 }, (_, i) => `/r/${i}`);
    const arena = Buffer.from(paths.join(""), "utf8");
    const table = new PathTable();
    const buffer = table.addBuffer(arena);
    let start = 0;
    for (const [i, path] of paths.entries()) {
      if (i === 0 || i === 1000) table.reserve(i + 2000);
      const end = start + path.length;
      table.insert(buffer, start, end, hashBytes(arena, start, end), i);
      start = end;
    }
    table.reserve(10); // less than it holds: nothing to do
    expect(paths.every((path, i) => table.values[table.findString(path)] === i)).toBe(true);
  });

  it("tells keys with equal hashes apart by their bytes", () => {
    const arena = Buffer.from("/a/x/b/y/c/z", "utf8");
    const table = new PathTable();
    const buffer = table.addBuffer(arena);
    // The same hash for all three, as a collision would give.
    for (let i = 0; i < 3; i++) table.insert(buffer, i * 4, i * 4 + 4, 42, i);
    for (let i = 0; i < 3; i++) expect(table.values[table.find(arena, i * 4, i * 4 + 4, 42)]).toBe(i);
    expect(table.find(Buffer.from("/d/w"), 0, 4, 42)).toBe(-1);
  });

  it("is seeded: blocks built to collide from FNV-1a's public start do not from another", () => {
    // "7yzlaaaa" and "e6apaaaa" reach the same state from FNV-1a's published offset basis: with
    // that fixed start, a hostile layer could fill a table with colliding paths.
    const hash = (text: string, seed?: number) => hashBytes(Buffer.from(text), 0, text.length, seed);
    const publicStart = 0x811c9dc5 | 0;
    expect(hash("7yzlaaaa", publicStart)).toBe(hash("e6apaaaa", publicStart));
    expect(hash("7yzlaaaa", 12345)).not.toBe(hash("e6apaaaa", 12345));
    // The process's own start is random: not the published one.
    expect(hash("7yzlaaaa")).not.toBe(hash("7yzlaaaa", publicStart));
  });

  it("hashes a path's directory in the same pass as hashBytes would", () => {
    const bytes = Buffer.from("/usr/lib/libc.so", "utf8");
    pathHash.of(bytes, 0, bytes.length);
    expect(pathHash.hash).toBe(hashBytes(bytes, 0, bytes.length));
    expect(pathHash.dirLength).toBe(8);
    expect(pathHash.dirHash).toBe(hashBytes(bytes, 0, 8));
  });

  it("falls back to a Map when hashes collide far beyond chance", () => {
    const paths = Array.from({ length: 3000 }, (_, i) => `/flood/${i}`);
    const arena = Buffer.from(paths.join(""), "utf8");
    const table = new PathTable();
    const buffer = table.addBuffer(arena);
    const ranges: Array<[number, number]> = [];
    let start = 0;
    for (const [i, path] of paths.entries()) {
      ranges.push([start, start + path.length]);
      // Every key the same hash: a probe would walk all earlier keys without the fallback.
      expect(table.insert(buffer, start, start + path.length, 7, i)).toBe(i);
      start += path.length;
    }
    expect(table.collisionFallback).toBe(true);
    for (const [i, [s, e]] of ranges.entries()) expect(table.values[table.find(arena, s, e, 7)]).toBe(i);
    expect(table.find(Buffer.from("/flood/x"), 0, 8, 7)).toBe(-1);
    expect(table.values[table.findString("/flood/2999")]).toBe(2999);
    table.addString("/flood/new");
    table.addString("/flood/0"); // already there
    expect(table.size).toBe(3001);
    expect(table.findString("/flood/new")).toBe(3000);
  });
});
