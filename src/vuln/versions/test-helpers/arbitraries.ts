/**
 * fast-check generators of well-formed versions for each scheme. The alphabets are small on
 * purpose, so that generated versions often share prefixes or compare equal: those are the cases
 * where comparators go wrong.
 */
import fc from "fast-check";

const join = (parts: string[]) => parts.join("");
const number = fc.oneof(
  fc.constantFrom("0", "1", "2", "9", "10", "11", "100"),
  fc.nat({ max: 99999 }).map(String),
);
/** A number that may have leading zeros. */
const paddedNumber = fc.oneof(number, fc.constantFrom("00", "01", "007", "0010"));

/** Debian versions: [epoch:]upstream[-revision]; `:` only with an epoch, `-` only with a revision. */
export const dpkgVersion: fc.Arbitrary<string> = fc
  .record({
    epoch: fc.option(fc.constantFrom("0", "1", "2", "10"), { nil: undefined }),
    revision: fc.option(
      fc
        .array(fc.oneof(paddedNumber, fc.constantFrom("a", "b", "Z", ".", "+", "~")), {
          minLength: 1,
          maxLength: 4,
        })
        .map(join),
      { nil: undefined },
    ),
    first: paddedNumber,
    rest: fc.array(
      fc.oneof(paddedNumber, fc.constantFrom("a", "b", "z", "A", ".", "+", "~", "~~", ":", "-")),
      { maxLength: 5 },
    ),
  })
  .map(({ epoch, revision, first, rest }) => {
    let upstream = first + join(rest);
    if (epoch === undefined) upstream = upstream.replaceAll(":", ".");
    if (revision === undefined) upstream = upstream.replaceAll("-", "+");
    return `${epoch === undefined ? "" : `${epoch}:`}${upstream}${revision === undefined ? "" : `-${revision}`}`;
  });

/** One rpm version or release field: runs of digits and letters with separators, `~` and `^`. */
const rpmField = fc
  .array(fc.oneof(paddedNumber, fc.constantFrom("a", "b", "rc", "git", "Z", ".", "_", "+", "~", "^")), {
    minLength: 1,
    maxLength: 6,
  })
  .map(join)
  .filter((field) => !field.includes(".."));

export const rpmVersion: fc.Arbitrary<string> = fc
  .record({
    epoch: fc.option(fc.constantFrom("0", "1", "2", "10"), { nil: undefined }),
    version: rpmField,
    release: fc.option(rpmField, { nil: undefined }),
  })
  .map(
    ({ epoch, version, release }) =>
      `${epoch === undefined ? "" : `${epoch}:`}${version}${release === undefined ? "" : `-${release}`}`,
  );

export interface ApkOptions {
  /** Allow a `~hash` part (apk-tools 3 only). */
  hash: boolean;
  /** Allow dotted numbers with leading zeros (ordered differently by apk-tools 2). */
  leadingZeros: boolean;
}

export function apkVersion(options: ApkOptions = { hash: true, leadingZeros: true }): fc.Arbitrary<string> {
  const dotted = options.leadingZeros ? paddedNumber : number;
  const suffix = fc
    .tuple(
      fc.constantFrom("alpha", "beta", "pre", "rc", "cvs", "svn", "git", "hg", "p"),
      fc.option(number, { nil: "" }),
    )
    .map(([word, n]) => `_${word}${n}`);
  return fc
    .record({
      first: number,
      dots: fc.array(
        dotted.map((n) => `.${n}`),
        { maxLength: 3 },
      ),
      letter: fc.option(fc.constantFrom("a", "b", "z"), { nil: "" }),
      suffixes: fc.array(suffix, { maxLength: 2 }),
      hash: options.hash
        ? fc.option(fc.constantFrom("~0", "~1234abcd", "~2345", "~ff"), { nil: "" })
        : fc.constant(""),
      revision: fc.option(
        number.map((n) => `-r${n}`),
        { nil: "" },
      ),
    })
    .map((p) => p.first + join(p.dots) + p.letter + join(p.suffixes) + p.hash + p.revision);
}

const semverIdentifier = fc.oneof(
  fc.constantFrom("alpha", "beta", "rc", "a-b", "x", "X", "0a", "-"),
  fc.constantFrom("0", "1", "2", "10", "11"),
);
const dotted = (ids: fc.Arbitrary<string>, max: number) =>
  fc.array(ids, { minLength: 1, maxLength: max }).map((a) => a.join("."));
const core = fc.tuple(number, number, number).map((n) => n.join("."));

export const semverVersion: fc.Arbitrary<string> = fc
  .record({
    core,
    pre: fc.option(dotted(semverIdentifier, 3), { nil: undefined }),
    build: fc.option(dotted(fc.constantFrom("build", "001", "sha", "1"), 2), { nil: undefined }),
  })
  .map(
    ({ core, pre, build }) =>
      core + (pre === undefined ? "" : `-${pre}`) + (build === undefined ? "" : `+${build}`),
  );

const timestamp = fc.constantFrom("20060102150405", "20191109021931", "20200101000000", "20191109021932");
const revision = fc.constantFrom("daa7c04131f5", "abcdefabcdef", "000000000000");

/** Go versions: semver with or without `v`, shorthands, pseudo-versions and `+incompatible`. */
export const goVersion: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom("v", ""),
    fc.oneof(
      semverVersion,
      fc
        .tuple(number, fc.option(number, { nil: undefined }))
        .map(([a, b]) => (b === undefined ? a : `${a}.${b}`)),
      fc.tuple(number, timestamp, revision).map(([major, t, h]) => `${major}.0.0-${t}-${h}`),
      fc.tuple(core, timestamp, revision).map(([base, t, h]) => `${base}-0.${t}-${h}`),
      fc
        .tuple(core, dotted(semverIdentifier, 2), timestamp, revision)
        .map(([base, pre, t, h]) => `${base}-${pre}.0.${t}-${h}`),
    ),
    fc.constantFrom("", "", "+incompatible"),
  )
  // +incompatible is build metadata: only a full version (no shorthand) may carry it.
  .map(
    ([v, version, incompatible]) =>
      v + version + (version.includes("+") || version.split(".").length < 3 ? "" : incompatible),
  );

const mavenToken = fc.oneof(
  number,
  fc.constantFrom(
    "alpha",
    "a",
    "beta",
    "b",
    "milestone",
    "m",
    "rc",
    "cr",
    "snapshot",
    "SNAPSHOT",
    "ga",
    "final",
  ),
  fc.constantFrom("release", "sp", "abc", "xyz", "RC", "Final", "pom"),
);

/**
 * Maven versions: numbers after dots, qualifiers after hyphens or glued to a number, and one
 * optional trailing dotted qualifier (1.0.Final). ComparableVersion itself is not transitive once
 * a qualifier sits between dots with more items after it (11.alpha < 11 < 11.release.1 <
 * 11.alpha), so that shape is left to maven.test.ts, which pins the cycle.
 */
export const mavenVersion: fc.Arbitrary<string> = fc
  .tuple(
    number,
    fc.array(
      fc.oneof(
        number.map((n) => `.${n}`),
        fc.tuple(fc.constantFrom("-", ""), mavenToken).map(([s, t]) => s + t),
      ),
      {
        maxLength: 5,
      },
    ),
    fc.constantFrom("", "", ".Final", ".RELEASE", ".GA", ".SNAPSHOT", ".xyz"),
  )
  .map(([first, rest, tail]) => first + rest.join("") + tail);

export const rubygemsVersion: fc.Arbitrary<string> = fc
  .tuple(
    number,
    fc.array(fc.oneof(number, fc.constantFrom("a", "b", "pre", "rc", "beta1", "a10", "0a")), {
      maxLength: 4,
    }),
    fc.option(dotted(fc.constantFrom("1", "a", "rc", "pre-1", "0"), 2), { nil: undefined }),
  )
  .map(([first, segments, pre]) => [first, ...segments].join(".") + (pre === undefined ? "" : `-${pre}`));

export const nugetVersion: fc.Arbitrary<string> = fc
  .record({
    numbers: fc.array(paddedNumber, { minLength: 1, maxLength: 4 }),
    labels: fc.option(
      dotted(fc.constantFrom("alpha", "Alpha", "BETA", "beta", "rc", "0", "1", "2", "10", "-1", "x-y"), 3),
      {
        nil: undefined,
      },
    ),
    metadata: fc.option(fc.constantFrom("build", "AA", "001.sha"), { nil: undefined }),
  })
  .map(
    ({ numbers, labels, metadata }) =>
      numbers.join(".") +
      (labels === undefined ? "" : `-${labels}`) +
      (metadata === undefined ? "" : `+${metadata}`),
  );

/** PEP 440 versions, in canonical and in the alternative spellings that normalize to them. */
export const pep440Version: fc.Arbitrary<string> = fc
  .record({
    epoch: fc.constantFrom("", "", "1!", "0!"),
    release: fc.array(paddedNumber, { minLength: 1, maxLength: 4 }).map((a) => a.join(".")),
    pre: fc.option(
      fc.tuple(
        fc.constantFrom("a", "b", "rc", "c", "alpha", "beta", "pre", "preview", "-a", ".rc", "RC"),
        fc.constantFrom("", "0", "1", "2", "10"),
      ),
      { nil: undefined },
    ),
    post: fc.option(fc.constantFrom(".post0", ".post1", "-1", ".r2", "post3", "-post1", ".rev0"), {
      nil: undefined,
    }),
    dev: fc.option(fc.constantFrom(".dev0", ".dev1", "dev", "-dev2"), { nil: undefined }),
    local: fc.option(fc.constantFrom("+abc", "+1", "+1.2", "+abc.5", "+0", "+ubuntu-1"), { nil: undefined }),
  })
  .map(
    (p) =>
      p.epoch + p.release + (p.pre ? p.pre.join("") : "") + (p.post ?? "") + (p.dev ?? "") + (p.local ?? ""),
  );
