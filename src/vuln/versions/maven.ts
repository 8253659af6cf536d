/**
 * Maven versions, ordered like Maven 3.9's ComparableVersion: items split at `.`, `-` and at
 * digit/letter changes; numbers by value; qualifiers alpha (a) < beta (b) < milestone (m) <
 * rc (cr) < snapshot < "" (ga, final, release) < sp < other qualifiers (alphabetically); trailing
 * zero and release items dropped, so 1 = 1.0 = 1.0.0 = 1-ga; `-` opens a sub-list (1-1 > 1.0).
 *
 * Spec: https://maven.apache.org/pom.html#version-order-specification
 * Reference implementation: maven-artifact's ComparableVersion.java at tag maven-3.9.9,
 * https://github.com/apache/maven (Maven 4's ComparableVersion adds qualifier+number combination
 * items and orders some of those differently; Maven 3 resolves most projects' dependencies today).
 *
 * Digits are ASCII digits only (Java's Character.isDigit also takes other Unicode digits).
 *
 * Used for the OSV ecosystem Maven.
 */
import {
  compareDigits,
  compareStrings,
  type Ordering,
  rememberParses,
  sign,
  type VersionScheme,
} from "./types.ts";

type Item = NumberItem | QualifierItem | ListItem;

interface NumberItem {
  type: "number";
  /** The digits without leading zeros, except that an all-zero run is kept whole (Maven's quirk). */
  digits: string;
  /** Java's int (up to 9 digits), long (up to 18) or BigInteger item: 0, 1 or 2. */
  width: number;
}

interface QualifierItem {
  type: "qualifier";
  value: string;
}

interface ListItem {
  type: "list";
  items: Item[];
}

const QUALIFIERS = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];
const RELEASE_INDEX = String(QUALIFIERS.indexOf(""));
const ALIASES: Readonly<Record<string, string>> = { ga: "", final: "", release: "", cr: "rc" };
const ONE_LETTER: Readonly<Record<string, string>> = { a: "alpha", b: "beta", m: "milestone" };

export const maven: VersionScheme = {
  name: "maven",
  compare: (a, b) => compareItems(parsedVersion(a), parsedVersion(b)),
  // Maven orders any string; we call a version valid when it is non-empty and has no whitespace.
  isValid: (version) => /^\S+$/.test(version),
};

const parsedVersion = rememberParses((version: string) => parseMavenVersion(version));

export function parseMavenVersion(version: string): ListItem {
  const text = version.toLowerCase();
  const root = newList();
  let list = root;
  const opened: ListItem[] = [root];
  const openSubList = () => {
    const sub = newList();
    list.items.push(sub);
    list = sub;
    opened.push(sub);
  };
  let previousWasDigit = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "." || c === "-") {
      list.items.push(i === start ? number("0") : parseItem(previousWasDigit, text.slice(start, i)));
      start = i + 1;
      if (c === "-") openSubList();
    } else if (isDigit(c)) {
      if (!previousWasDigit && i > start) {
        // A qualifier followed by digits (1.0.RC1): the qualifier and its number go in sub-lists,
        // as if written 1.0-RC-1.
        if (list.items.length > 0) openSubList();
        list.items.push(qualifier(text.slice(start, i), true));
        start = i;
        openSubList();
      }
      previousWasDigit = true;
    } else {
      if (previousWasDigit && i > start) {
        list.items.push(parseItem(true, text.slice(start, i)));
        start = i;
        openSubList();
      }
      previousWasDigit = false;
    }
  }
  if (text.length > start) {
    // A trailing qualifier after a dot counts as after a hyphen (1.0.x = 1-x).
    if (!previousWasDigit && list.items.length > 0) openSubList();
    list.items.push(parseItem(previousWasDigit, text.slice(start)));
  }
  for (const sub of opened.reverse()) normalize(sub);
  return root;
}

function parseItem(isNumber: boolean, text: string): Item {
  return isNumber ? number(text) : qualifier(text, false);
}

function number(text: string): NumberItem {
  const digits = /^0+$/.test(text) ? text : text.replace(/^0+/, "");
  return { type: "number", digits, width: digits.length <= 9 ? 0 : digits.length <= 18 ? 1 : 2 };
}

function qualifier(text: string, followedByDigit: boolean): QualifierItem {
  const expanded = followedByDigit && text.length === 1 ? (ONE_LETTER[text] ?? text) : text;
  return { type: "qualifier", value: ALIASES[expanded] ?? expanded };
}

function newList(): ListItem {
  return { type: "list", items: [] };
}

/** Drops trailing null items (0, release qualifiers, empty lists), looking past non-empty lists. */
function normalize(list: ListItem): void {
  for (let i = list.items.length - 1; i >= 0; i--) {
    const item = list.items[i]!;
    if (isNull(item)) list.items.splice(i, 1);
    else if (item.type !== "list") break;
  }
}

function isNull(item: Item): boolean {
  if (item.type === "number") return isZero(item);
  if (item.type === "qualifier") return item.value === "";
  return item.items.length === 0;
}

function isZero(item: NumberItem): boolean {
  return /^0+$/.test(item.digits);
}

/** Known qualifiers by rank, unknown ones after all of them, alphabetically. */
function comparableQualifier(value: string): string {
  const index = QUALIFIERS.indexOf(value);
  return index === -1 ? `${QUALIFIERS.length}-${value}` : String(index);
}

/** Compares an item with another or, when `other` is null, with the absence of an item. */
function compareItems(item: Item, other: Item | null): Ordering {
  switch (item.type) {
    case "number":
      if (other === null) return isZero(item) ? 0 : 1;
      if (other.type === "number") {
        // Items of different Java types order by type, so a long 0000000000 is above an int 5.
        return item.width === other.width
          ? compareDigits(item.digits, other.digits)
          : sign(item.width - other.width);
      }
      return 1; // 1.1 > 1-sp, 1.1 > 1-1
    case "qualifier":
      if (other === null) return compareStrings(comparableQualifier(item.value), RELEASE_INDEX);
      if (other.type === "qualifier") {
        return compareStrings(comparableQualifier(item.value), comparableQualifier(other.value));
      }
      return -1; // 1.any < 1.1, 1.any < 1-1
    case "list":
      if (other === null) {
        for (const child of item.items) {
          const order = compareItems(child, null);
          if (order !== 0) return order;
        }
        return 0;
      }
      if (other.type === "number") return -1; // 1-1 < 1.0.x
      if (other.type === "qualifier") return 1; // 1-1 > 1-sp
      return compareLists(item.items, other.items);
  }
}

function compareLists(left: Item[], right: Item[]): Ordering {
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const l = left[i];
    const r = right[i];
    const order =
      l === undefined ? (r === undefined ? 0 : sign(-compareItems(r, null))) : compareItems(l, r ?? null);
    if (order !== 0) return order;
  }
  return 0;
}

function isDigit(c: string): boolean {
  return c >= "0" && c <= "9";
}
