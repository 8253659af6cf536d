/**
 * Alpine package versions as apk-tools 2 orders them: the apk of Alpine 3.22 and earlier
 * (2.14.x; Alpine 3.23 moved to apk-tools 3, see apk.ts). Installed versions and the secdb/OSV
 * fixed versions of those releases were written for this order.
 *
 * Spec: apk-version(8) of the 2.14 line; Gentoo's `{digit}{.digit}...{letter}{_suf{#}}...{-r#}`.
 * Reference implementation: apk-tools v2.14.9 src/version.c (next_token, get_token,
 * apk_version_compare_blob_fuzzy, apk_version_validate), https://gitlab.alpinelinux.org/alpine/apk-tools
 * (GitHub mirror alpinelinux/apk-tools, tag v2.14.9, commit 8a70001db15a).
 *
 * Where it differs from apk-tools 3 (apk.ts): a dotted number with leading zeros reads as a
 * negative count of its zeros (all but the last) followed by the rest as a number, so
 * 8.2.0 > 8.2.001 and 8.2.0015 > 8.2.002 (apk-tools 3 compares such numbers as strings); there
 * is no `~hash` part (the `~` is an invalid token: comparison stops there, so 1.0~1234 equals
 * 1.0~2345); a version need not start with a digit; `_suffix` words match by prefix. Like apk
 * itself, compare takes any string and never throws.
 */
import type { Ordering, VersionScheme } from "./types.ts";

/** Token kinds in apk-tools 2's order; a later kind may not precede an earlier one. */
const INVALID = -1;
const DIGIT_OR_ZERO = 0;
const DIGIT = 1;
const LETTER = 2;
const SUFFIX = 3;
const SUFFIX_NUMBER = 4;
const REVISION_NUMBER = 5;
const END = 6;

const PRE_SUFFIXES = ["alpha", "beta", "pre", "rc"];
const POST_SUFFIXES = ["cvs", "svn", "git", "hg", "p"];
/** apk-tools 2 rejects digit runs of 18 digits or more (its values are 64-bit). */
const MAX_DIGITS = 18;

/** A token's value: numbers up to 15 digits as numbers, longer ones (up to 17) as bigints. */
type Value = number | bigint;

const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
const isLower = (c: string | undefined) => c !== undefined && c >= "a" && c <= "z";

/** Reads one version: `kind` is the kind of the token the next read returns. */
class Reader {
  kind = DIGIT;
  private position = 0;
  private readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  private get left(): number {
    return this.text.length - this.position;
  }

  /** The kind of the token at the current position, given the kind before it (next_token). */
  private nextKind(): number {
    const c = this.text[this.position];
    let next = INVALID;
    if (this.left === 0 || c === "\0") next = END;
    else if ((this.kind === DIGIT || this.kind === DIGIT_OR_ZERO) && isLower(c)) next = LETTER;
    else if (this.kind === LETTER && isDigit(c)) next = DIGIT;
    else if (this.kind === SUFFIX && isDigit(c)) next = SUFFIX_NUMBER;
    else {
      if (c === ".") next = DIGIT_OR_ZERO;
      else if (c === "_") next = SUFFIX;
      else if (c === "-") {
        if (this.text[this.position + 1] === "r") {
          next = REVISION_NUMBER;
          this.position++;
        }
      }
      this.position++;
    }
    const allowedBackStep =
      (next === DIGIT_OR_ZERO && this.kind === DIGIT) ||
      (next === SUFFIX && this.kind === SUFFIX_NUMBER) ||
      (next === DIGIT && this.kind === LETTER);
    return next < this.kind && !allowedBackStep ? INVALID : next;
  }

  /** The value of the token of kind `this.kind`; moves on and sets the next kind (get_token). */
  read(): Value {
    if (this.left <= 0) {
      this.kind = END;
      return 0;
    }
    let length = 0;
    let value: Value = 0;
    let following = INVALID;
    switch (this.kind) {
      // biome-ignore lint/suspicious/noFallthroughSwitchClause: apk-tools falls through to DIGIT
      case DIGIT_OR_ZERO:
        if (this.text[this.position] === "0") {
          // Leading zeros: all but the last count, negatively; the rest reads as a number.
          while (length + 1 < this.left && this.text[this.position + length + 1] === "0") length++;
          value = -length;
          following = DIGIT;
          break;
        }
      case DIGIT:
      case SUFFIX_NUMBER:
      case REVISION_NUMBER: {
        while (length < this.left && isDigit(this.text[this.position + length])) length++;
        if (length >= MAX_DIGITS) return this.invalid();
        const digits = this.text.slice(this.position, this.position + length);
        value = length === 0 ? 0 : length <= 15 ? Number(digits) : BigInt(digits);
        break;
      }
      case LETTER:
        value = this.text.charCodeAt(this.position);
        length = 1;
        break;
      case SUFFIX: {
        const rest = this.text.slice(this.position);
        const pre = PRE_SUFFIXES.findIndex((s) => rest.startsWith(s));
        const post = pre >= 0 ? -1 : POST_SUFFIXES.findIndex((s) => rest.startsWith(s));
        if (pre < 0 && post < 0) return this.invalid();
        value = pre >= 0 ? pre - PRE_SUFFIXES.length : post;
        length = (pre >= 0 ? PRE_SUFFIXES[pre]! : POST_SUFFIXES[post]!).length;
        break;
      }
      default:
        return this.invalid();
    }
    this.position += length;
    if (this.left === 0) this.kind = END;
    else if (following !== INVALID) this.kind = following;
    else this.kind = this.nextKind();
    return value;
  }

  private invalid(): Value {
    this.kind = INVALID;
    return -1;
  }
}

const order = (a: Value, b: Value): Ordering => (a < b ? -1 : a > b ? 1 : 0);

/** apk_version_compare_blob: token by token, then the longer version wins unless it goes on with a pre-release suffix. */
function compare(a: string, b: string): Ordering {
  const left = new Reader(a);
  const right = new Reader(b);
  let x: Value = 0;
  let y: Value = 0;
  while (left.kind === right.kind && left.kind !== END && left.kind !== INVALID && order(x, y) === 0) {
    x = left.read();
    y = right.read();
  }
  const byValue = order(x, y);
  if (byValue !== 0) return byValue;
  const [leftKind, rightKind] = [left.kind, right.kind];
  if (leftKind === rightKind) return 0;
  // Equal so far and one side goes on: a pre-release suffix makes it older, anything else newer.
  if (leftKind === SUFFIX && left.read() < 0) return -1;
  if (rightKind === SUFFIX && right.read() < 0) return 1;
  return leftKind > rightKind ? -1 : 1;
}

export const apk2: VersionScheme = {
  name: "apk2",
  compare,
  isValid(version) {
    const reader = new Reader(version);
    while (reader.kind !== END && reader.kind !== INVALID) reader.read();
    return reader.kind === END;
  },
};
