// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Dockerfile snippets use ${VAR} syntax.
import { describe, expect, it } from "vitest";
import { expandWord, literalWord, suggestName } from "./expand.ts";
import { splitWords } from "./words.ts";

const env: Record<string, string> = { A: "alpha", EMPTY: "", PATH: "/usr/bin:/bin", FILE: "archive.tar.gz" };
const lookup = (name: string) => env[name];

describe("expandWord (BuildKit shell/lex.go semantics)", () => {
  it.each([
    ["$A-${A}", "alpha-alpha"],
    ["${MISSING:-def}", "def"],
    ["${EMPTY-def}", ""],
    ["${EMPTY:-def}", "def"],
    ["${A:+set}${MISSING+set}", "set"],
    ["${FILE%.gz}", "archive.tar"],
    ["${FILE%%.*}", "archive"],
    ["${FILE#*.}", "tar.gz"],
    ["${FILE##*.}", "gz"],
    ["${PATH/bin/sbin}", "/usr/sbin:/bin"],
    ["${PATH//bin/sbin}", "/usr/sbin:/sbin"],
    ["'$A' \"$A\"", "$A alpha"],
    ["\\$A", "$A"],
    ['"\\$A \\n"', "$A \\n"],
    ["$ 100%", "$ 100%"],
  ])("%s → %s", (word, expected) => {
    expect(expandWord(word, lookup).result).toBe(expected);
  });

  it("records matched and unmatched names, nested defaults included", () => {
    const expansion = expandWord("${A}${B:-${C}}$D", lookup);
    expect([...expansion.matched]).toEqual(["A"]);
    expect([...expansion.unmatched]).toEqual(["C", "B", "D"]);
  });

  it("reports what BuildKit refuses", () => {
    expect(expandWord("${MISSING?no}", lookup).error).toBe("MISSING: no");
    expect(expandWord("${A", lookup).error).toBeDefined();
    expect(expandWord("${:x}", lookup).error).toBeDefined();
    expect(expandWord("'open", lookup).error).toBeDefined();
  });

  it("follows the escape directive and raw heredoc bodies", () => {
    expect(expandWord("`$A", lookup, { escape: "`" }).result).toBe("$A");
    expect(expandWord("'$A'", lookup, { processQuotes: false }).result).toBe("'alpha'");
  });
});

describe("word helpers", () => {
  it("splits like BuildKit's parser, keeping quotes", () => {
    expect(splitWords(`a "b c" 'd e' f\\ g`)).toEqual(["a", '"b c"', "'d e'", "f\\ g"]);
    expect(literalWord('"b c"')).toBe("b c");
  });
  it("suggests names within distance 2", () => {
    expect(suggestName("PAHT", ["PATH", "HOME"])).toBe("PATH");
    expect(suggestName("XYZW", ["PATH"])).toBeUndefined();
  });
});

describe("patterns BuildKit accepts and JavaScript would not compile as written", () => {
  it("trims with a `-` in the pattern and refuses a reversed range without throwing", () => {
    const tags = (name: string) => (name === "TAG" ? "3.12-slim" : undefined);
    expect(expandWord("${TAG%-*}", tags).result).toBe("3.12");
    expect(expandWord("${TAG/-/_}", tags).result).toBe("3.12_slim");
    expect(expandWord("${TAG%[z-a]}", tags).error).toBeDefined();
  });

  it("records variables whose empty value went into the result", () => {
    expect([...expandWord("${A}${B:-x}${C:+y}$D${E%x}", lookup).missing]).toEqual(["D", "E"]);
  });
});
