/**
 * Helpers that give the objects of a parse one hidden class (V8 "map") per kind of object.
 *
 * Why: V8 optimises a function for the maps it has seen. An object that changes map after the
 * function was optimised (a property added later, an empty array that got its first object)
 * throws the optimised code away ("wrong map" deopts) and the function is optimised again.
 * In a lint run that churn cost about a third of the optimising compiler's work, which itself
 * is about half the run's CPU (bench/lint/README.md, "Where the time went").
 */

/**
 * The hidden slot where the linter keeps values worked out once per parsed object
 * (src/lint/support/memo.ts). The parsers create their objects with it, so that caching a
 * value later does not change an object's map.
 */
export const MEMO_SLOT: unique symbol = Symbol("drydock.memo");

/**
 * The slot's descriptor, made once: a lint run gives the slot to about 100,000 objects, and
 * building a descriptor object for each call was a measurable part of `withMemoSlot`.
 */
const EMPTY_SLOT: PropertyDescriptor = Object.freeze({ value: undefined, writable: true });

/**
 * Base class of the parsed objects made most often (instructions, shell commands): their memo
 * slot is a private field, set up with the object by its constructor. Giving each of them the
 * slot with `withMemoSlot` (`Object.defineProperty`, a call into the runtime) was about 3% of
 * a lint run. A private field is no property at all: not in keys, JSON, spread copies or deep
 * equality.
 */
export class Memoized {
  #memo: unknown[] | undefined = undefined;

  /** The memo values of `target` (undefined while none), or null when it is not a Memoized. */
  static memoOf(target: object): unknown[] | undefined | null {
    return #memo in target ? target.#memo : null;
  }

  static setMemo(target: Memoized, values: unknown[]): void {
    target.#memo = values;
  }
}

/** Gives `target` the (empty) memo slot: non-enumerable, so not in keys, JSON or deep equality. */
export function withMemoSlot<T extends object>(target: T): T {
  Object.defineProperty(target, MEMO_SLOT, EMPTY_SLOT);
  return target;
}

/**
 * A new, empty array for objects or strings. `[]` starts as an array of small integers and
 * changes map at its first object; a list that stays empty then has another map than the lists
 * that did not. This one has the map of a filled list from the start.
 */
export function objectList<T>(): T[] {
  const list: unknown[] = [""];
  list.pop();
  return list as T[];
}

/**
 * `items.map(f)` with one array map for every result. The builtin `map` makes a packed array,
 * but optimised code that inlines it makes a holey one, so the same list reached its readers
 * with either map depending on whether its maker was optimised yet.
 */
export function mapToList<T, U>(items: readonly T[], f: (item: T) => U): U[] {
  const list = objectList<U>();
  for (let k = 0; k < items.length; k++) list.push(f(items[k]!));
  return list;
}
