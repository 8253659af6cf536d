import { describe, expect, it } from "vitest";
import { parseDockerfile } from "../../dockerfile/parse.ts";
import { MEMO_SLOT, withMemoSlot } from "../../dockerfile/shapes.ts";
import { parseShell } from "../../dockerfile/shell.ts";
import { ObjectMemo } from "./memo.ts";

describe("ObjectMemo", () => {
  it("keeps one value per object and per memo", () => {
    const words = new ObjectMemo<object, string[]>();
    const flags = new ObjectMemo<object, string>();
    const a = {};
    const b = {};
    expect(words.get(a)).toBeUndefined();
    words.set(a, ["x"]);
    flags.set(a, "f");
    words.set(b, ["y"]);
    expect(words.get(a)).toEqual(["x"]);
    expect(flags.get(a)).toBe("f");
    expect(words.get(b)).toEqual(["y"]);
    expect(flags.get(b)).toBeUndefined();
  });

  it("is invisible to keys, JSON, spread copies and deep equality", () => {
    const memo = new ObjectMemo<{ args: string }, number>();
    const instruction = { args: "a b" };
    memo.set(instruction, 2);
    expect(Object.getOwnPropertyDescriptor(instruction, MEMO_SLOT)?.enumerable).toBe(false);
    expect(JSON.stringify(instruction)).toBe('{"args":"a b"}');
    // A changed copy must not inherit the original's cached values.
    expect(memo.get({ ...instruction, args: "c" })).toBeUndefined();
    expect(instruction).toStrictEqual({ args: "a b" });
  });

  it("does not cache on objects that cannot take a property", () => {
    const memo = new ObjectMemo<readonly string[], number>();
    const frozen = Object.freeze(["a"]);
    memo.set(frozen, 1);
    expect(memo.get(frozen)).toBeUndefined();
  });

  it("uses the slot that parsed objects are created with, invisibly", () => {
    const memo = new ObjectMemo<object, number>();
    const df = parseDockerfile("FROM alpine\nRUN apk add curl\n");
    const instruction = df.instructions[1]!;
    memo.set(instruction, 7);
    expect(memo.get(instruction)).toBe(7);
    // Instructions and shell commands hold the slot in a private field: no property at all.
    expect(Object.getOwnPropertySymbols(instruction)).toEqual([]);
    expect(JSON.stringify(instruction)).not.toContain("memo");
    expect(memo.get({ ...instruction })).toBeUndefined();
    const [command] = parseShell("apk add curl");
    memo.set(command!, 5);
    expect(memo.get(command!)).toBe(5);
    expect(Object.getOwnPropertySymbols(command)).toEqual([]);
    expect(command).toEqual({
      name: "apk",
      args: ["add", "curl"],
      rawArgs: ["add", "curl"],
      assignments: [],
      start: 0,
      end: 12,
      before: "",
      after: "",
    });
    expect(memo.get({ ...command! })).toBeUndefined();
    const words = withMemoSlot(["a", "b"]);
    memo.set(words, 3);
    expect(memo.get(words)).toBe(3);
    expect(words).toStrictEqual(["a", "b"]);
    const frozen = Object.freeze(withMemoSlot({ a: 1 }));
    memo.set(frozen, 1);
    expect(memo.get(frozen)).toBeUndefined();
  });
});
