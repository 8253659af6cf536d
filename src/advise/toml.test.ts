import { describe, expect, it } from "vitest";
import { parseToml, TomlError, tomlArray, tomlString, tomlTable } from "./toml.ts";

describe("parseToml", () => {
  it("reads tables, dotted keys, arrays of tables and inline tables", () => {
    const doc = parseToml(`
# comment
title = "x" # trailing
[project]
name = 'demo'
requires-python = ">=3.10,<3.13"
dependencies = [
  "flask>=3",   # web
  "gunicorn",
]
urls.home = "https://example.com"

[tool.poetry.dependencies]
python = "^3.11"
psycopg = { version = "^3.1", extras = ["binary"] }

[[package]]
name = "a"
wheels = [{ url = "https://x/a-1.0-py3-none-any.whl" }]

[[package]]
name = "b"
sdist = { url = "https://x/b-1.0.tar.gz", size = 12_345 }
`);
    expect(doc.title).toBe("x");
    expect(tomlString(doc, "project", "name")).toBe("demo");
    expect(tomlString(doc, "project", "requires-python")).toBe(">=3.10,<3.13");
    expect(tomlArray(doc, "project", "dependencies")).toEqual(["flask>=3", "gunicorn"]);
    expect(tomlString(doc, "project", "urls", "home")).toBe("https://example.com");
    expect(tomlTable(doc, "tool", "poetry", "dependencies")?.psycopg).toEqual({
      version: "^3.1",
      extras: ["binary"],
    });
    const packages = tomlArray(doc, "package");
    expect(packages).toHaveLength(2);
    expect(packages[1]).toEqual({ name: "b", sdist: { url: "https://x/b-1.0.tar.gz", size: 12345 } });
  });

  it("reads every string form, numbers, booleans and dates", () => {
    const doc = parseToml(
      [
        'basic = "tab\\tquote\\" \\u00e9"',
        "literal = 'C:\\path'",
        'multi = """',
        "one \\",
        '   two"""',
        "raw = '''",
        "line",
        "'''",
        "hex = 0xff",
        "float = 1.5e3",
        "yes = true",
        "when = 2024-01-02T03:04:05Z",
      ].join("\n"),
    );
    expect(doc).toMatchObject({
      basic: 'tab\tquote" é',
      literal: "C:\\path",
      multi: "one two",
      raw: "line\n",
      hex: 255,
      float: 1500,
      yes: true,
      when: "2024-01-02T03:04:05Z",
    });
  });

  it("accepts multi-line inline tables (uv.lock writes them)", () => {
    const doc = parseToml('wheels = [\n  { url = "a",\n    size = 1 },\n]\n');
    expect(doc.wheels).toEqual([{ url: "a", size: 1 }]);
  });

  it("fails with the line number on invalid input", () => {
    expect(() => parseToml('a = 1\nb = "open\n')).toThrow(TomlError);
    expect(() => parseToml("a = 1\na = 2\n")).toThrow(/line 2: duplicate key a/);
  });
});
