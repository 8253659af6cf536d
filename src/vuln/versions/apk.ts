/**
 * Alpine package versions: `digits{.digits}{letter}{_suffix{digits}}...{~hash}{-r#}`.
 *
 * Spec: apk-version(8), https://gitlab.alpinelinux.org/alpine/apk-tools/-/blob/master/doc/apk-version.8.scd
 * Reference implementation: apk-tools 3 src/version.c (tokenizer, apk_version_compare and
 * apk_version_validate), https://gitlab.alpinelinux.org/alpine/apk-tools
 *
 * apk-tools 2.x (the apk of Alpine 3.22 and earlier) differs in two places, both rare in real
 * package versions: it knows no `~hash` part (it stops comparing there), and it compares a dotted
 * number with leading zeros by its count of zeros then by value, where apk-tools 3 compares it as
 * a string.
 * This is apk-tools 3, the current upstream and the apk of Alpine 3.23 on; apk2.ts follows
 * apk-tools 2 for the releases before (apk2.test.ts lists the upstream vectors where the two
 * disagree; test/e2e/apk-version.e2e.test.ts checks them against apk-tools 2.14 itself).
 *
 * Used for the OSV ecosystems Alpine (3.23 and later, edge), Wolfi and Chainguard.
 */
import { compareDigits, compareStrings, type Ordering, sign, type VersionScheme } from "./types.ts";

/** Token kinds in the order a version may contain them; a later kind may not precede an earlier one. */
const Kind = {
  InitialDigits: 0,
  Digits: 1,
  Letter: 2,
  Suffix: 3,
  SuffixNumber: 4,
  CommitHash: 5,
  RevisionNumber: 6,
  End: 7,
  Invalid: 8,
} as const;
type Kind = (typeof Kind)[keyof typeof Kind];

/** Suffix ranks: pre-release suffixes sort before the bare version, post-release ones after. */
const SUFFIX_RANK: Readonly<Record<string, number>> = {
  alpha: 1,
  beta: 2,
  pre: 3,
  rc: 4,
  // 5 is the bare version
  cvs: 6,
  svn: 7,
  git: 8,
  hg: 9,
  p: 10,
};
const RELEASE_RANK = 5;

interface Token {
  kind: Kind;
  /** The token's text: digits, the letter, the suffix word or the hash. */
  text: string;
}

export const apk: VersionScheme = {
  name: "apk",
  compare(a, b) {
    const left = new Tokenizer(a);
    const right = new Tokenizer(b);
    let x = left.first();
    let y = right.first();
    while (x.kind === y.kind && x.kind < Kind.End) {
      const order = compareTokens(x, y);
      if (order !== 0) return order;
      x = left.next(x.kind);
      y = right.next(y.kind);
    }
    if (x.kind === y.kind) return 0;
    // Equal so far and one side goes on: a pre-release suffix makes it older, anything else newer.
    if (x.kind === Kind.Suffix && SUFFIX_RANK[x.text]! < RELEASE_RANK) return -1;
    if (y.kind === Kind.Suffix && SUFFIX_RANK[y.text]! < RELEASE_RANK) return 1;
    return x.kind > y.kind ? -1 : 1;
  },
  isValid(version) {
    const tokens = new Tokenizer(version);
    let token = tokens.first();
    while (token.kind < Kind.End) token = tokens.next(token.kind);
    return token.kind === Kind.End;
  },
};

function compareTokens(x: Token, y: Token): Ordering {
  switch (x.kind) {
    case Kind.Digits:
      // A dotted number with a leading zero compares as a string (the Gentoo rule: 1.05 < 1.1).
      if (x.text.startsWith("0") || y.text.startsWith("0")) return compareStrings(x.text, y.text);
      return compareDigits(x.text, y.text);
    case Kind.InitialDigits:
    case Kind.SuffixNumber:
    case Kind.RevisionNumber:
      return compareDigits(x.text, y.text);
    case Kind.Letter:
      return compareStrings(x.text, y.text);
    case Kind.Suffix:
      return sign(SUFFIX_RANK[x.text]! - SUFFIX_RANK[y.text]!);
    default:
      return compareStrings(x.text, y.text);
  }
}

class Tokenizer {
  private position = 0;
  private readonly version: string;

  constructor(version: string) {
    this.version = version;
  }

  first(): Token {
    const digits = this.take(isDigit);
    return digits === "" ? invalid() : { kind: Kind.InitialDigits, text: digits };
  }

  /** Reads the token after one of kind `previous`, checking that it may follow it. */
  next(previous: Kind): Token {
    const c = this.version[this.position];
    if (c === undefined) return { kind: Kind.End, text: "" };
    if (c >= "a" && c <= "z") {
      if (previous > Kind.Digits) return invalid();
      this.position++;
      return { kind: Kind.Letter, text: c };
    }
    if (c === ".") {
      if (previous > Kind.Digits) return invalid();
      this.position++;
      return this.digits(Kind.Digits);
    }
    if (c >= "0" && c <= "9") {
      // Only after a suffix word: a letter ends the numeric part, and digit runs are read whole.
      if (previous !== Kind.Suffix) return invalid();
      return this.digits(Kind.SuffixNumber);
    }
    if (c === "_") {
      if (previous > Kind.SuffixNumber) return invalid();
      this.position++;
      const word = this.take((ch) => ch >= "a" && ch <= "z");
      return Object.hasOwn(SUFFIX_RANK, word) ? { kind: Kind.Suffix, text: word } : invalid();
    }
    if (c === "~") {
      if (previous >= Kind.CommitHash) return invalid();
      this.position++;
      const hash = this.take((ch) => isDigit(ch) || (ch >= "a" && ch <= "f"));
      return hash === "" ? invalid() : { kind: Kind.CommitHash, text: hash };
    }
    if (c === "-") {
      if (previous >= Kind.RevisionNumber || this.version[this.position + 1] !== "r") return invalid();
      this.position += 2;
      return this.digits(Kind.RevisionNumber);
    }
    return invalid();
  }

  private digits(kind: Kind): Token {
    const digits = this.take(isDigit);
    return digits === "" ? invalid() : { kind, text: digits };
  }

  private take(accept: (c: string) => boolean): string {
    const start = this.position;
    while (this.position < this.version.length && accept(this.version[this.position]!)) this.position++;
    return this.version.slice(start, this.position);
  }
}

function invalid(): Token {
  return { kind: Kind.Invalid, text: "" };
}

function isDigit(c: string): boolean {
  return c >= "0" && c <= "9";
}
