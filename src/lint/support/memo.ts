/**
 * Values worked out once per parsed object (a Dockerfile, an instruction, a shell command, a
 * word list) and shared by the rules that ask, kept on the object itself so they die with it.
 *
 * Why not a WeakMap: V8's young-generation collector (the scavenger) keeps every value of a
 * WeakMap alive and copies it, and only then drops the entries whose keys died. Per-file caches
 * in module-level WeakMaps thus survived every scavenge of the lint run, were promoted and left
 * for full collections: the values of one file's caches were copied about twice per file
 * (bench/lint/README.md, "Where the time went").
 */

import { MEMO_SLOT, Memoized } from "../../dockerfile/shapes.ts";

/**
 * The hidden slot: one small array per object, indexed by memo (non-enumerable: not in JSON, not
 * in deep equality). The parsers create their objects with the slot (a `Memoized` private field,
 * or `withMemoSlot`), so that caching a value does not change an object's hidden class; other
 * keys get it on first use.
 */
type Slotted = { [MEMO_SLOT]?: unknown[] };

let nextId = 0;

/** A WeakMap-like cache whose entries live on their keys. */
export class ObjectMemo<K extends object, V> {
  readonly #id = nextId++;

  get(key: K): V | undefined {
    const own = Memoized.memoOf(key);
    const values = own === null ? (key as Slotted)[MEMO_SLOT] : own;
    return values?.[this.#id] as V | undefined;
  }

  set(key: K, value: V): this {
    const own = Memoized.memoOf(key);
    if (own !== null) {
      let values = own;
      if (values === undefined) {
        values = [];
        Memoized.setMemo(key as Memoized, values);
      }
      values[this.#id] = value;
      return this;
    }
    let values = (key as Slotted)[MEMO_SLOT];
    if (values === undefined) {
      // A frozen or sealed key cannot hold the slot: its value is simply not kept.
      if (!Object.isExtensible(key)) return this;
      values = [];
      if (Object.hasOwn(key, MEMO_SLOT)) (key as Slotted)[MEMO_SLOT] = values;
      else Object.defineProperty(key, MEMO_SLOT, { value: values, writable: true });
    }
    values[this.#id] = value;
    return this;
  }
}
