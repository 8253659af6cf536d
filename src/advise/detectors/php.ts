/**
 * PHP detection: composer.json / composer.lock, the PHP version (config.platform.php,
 * require.php), `ext-*` extensions, Laravel (artisan) and Symfony (bin/console, symfony.lock)
 * and the web root. Sources: shared/reference/base-images-and-generators.md §1.6, §2, §3 (PHP);
 * https://getcomposer.org/doc/04-schema.md (require, config.platform).
 */
import { PHP_BUILTIN_EXTENSIONS } from "../data/native-packages.ts";
import { lineOf } from "../project-files.ts";
import { resolveRuntime, type VersionRequest } from "../runtime.ts";
import type { Detection, Evidence, NativeFinding, PhpApp } from "../types.ts";
import { type DetectContext, toolVersionRequests } from "./common.ts";

interface ComposerJson {
  require?: Record<string, string>;
  config?: { platform?: Record<string, string> };
}

export function detectPhp(ctx: DetectContext): Detection | null {
  const { files } = ctx;
  const composer = files.json("composer.json") as ComposerJson | null;
  const hasComposer = files.isFile("composer.json");
  if (!hasComposer && !files.isFile("index.php") && !files.isFile("public/index.php")) return null;
  const notes: string[] = [];
  const markers: Evidence[] = [];
  const text = files.read("composer.json") ?? "";
  if (hasComposer) markers.push({ file: "composer.json" });
  else
    markers.push({
      file: files.isFile("index.php") ? "index.php" : "public/index.php",
      detail: "PHP entry file",
    });
  const hasLock = files.isFile("composer.lock");
  if (hasLock) markers.push({ file: "composer.lock" });
  else if (hasComposer) notes.push("no composer.lock: package versions are not locked; commit it");

  const requests: VersionRequest[] = [];
  const platform = composer?.config?.platform?.php;
  if (platform) {
    requests.push({
      requested: platform,
      kind: "pin",
      source: {
        file: "composer.json",
        line: lineOf(text, /"platform"/),
        detail: `config.platform.php ${platform}`,
      },
    });
  }
  requests.push(...toolVersionRequests(files, ["php"]));
  const required = composer?.require?.php;
  if (required) {
    requests.push({
      requested: required,
      kind: "range",
      dialect: "composer",
      source: { file: "composer.json", line: lineOf(text, /"php"\s*:/), detail: `require.php ${required}` },
    });
  }
  const runtime = resolveRuntime("php", requests, { date: ctx.date });

  const extensions = Object.keys(composer?.require ?? {})
    .filter((k) => k.startsWith("ext-"))
    .map((k) => k.slice(4).toLowerCase())
    .filter((e) => !PHP_BUILTIN_EXTENSIONS.includes(e));
  const native: NativeFinding[] = extensions.map((ext) => ({
    package: `ext-${ext}`,
    kind: "php-extension",
    source: { file: "composer.json", line: lineOf(text, `"ext-${ext}"`), detail: `ext-${ext}` },
    needsCompiler: true,
    note: `ext-${ext} is not built into the php image: docker-php-ext-install (or PECL) compiles it`,
  }));

  const laravel = files.isFile("artisan");
  const symfony = files.isFile("symfony.lock") || files.isFile("bin/console");
  const docroot = laravel || symfony || files.isFile("public/index.php") ? "public" : ".";
  const framework = laravel
    ? { name: "Laravel", source: { file: "artisan" } }
    : symfony
      ? { name: "Symfony", source: { file: files.isFile("symfony.lock") ? "symfony.lock" : "bin/console" } }
      : undefined;
  const app: PhpApp = {
    kind: "php",
    docroot,
    hasLock,
    extensions,
    writable: laravel
      ? ["storage", "bootstrap/cache"].filter((d) => files.isDir(d))
      : symfony
        ? ["var"].filter((d) => files.isDir(d))
        : [],
  };
  const source: Evidence = framework?.source ?? {
    file: docroot === "public" ? "public/index.php" : "index.php",
  };
  return {
    stack: "php",
    language: "PHP",
    markers,
    runtime,
    packageManager: {
      name: "composer",
      source: { file: hasComposer ? "composer.json" : "(none)" },
      ...(hasLock ? { lockfile: "composer.lock" } : {}),
    },
    ...(framework ? { framework } : {}),
    start: { argv: ["apache2-foreground"], source },
    port: {
      value: 8080,
      source: { file: source.file, detail: "Apache moved to 8080 so it can run as www-data" },
    },
    native,
    dependencies: Object.keys(composer?.require ?? {}),
    app,
    backendScore:
      framework || files.isFile("index.php") || files.isFile("public/index.php") ? 2 : hasComposer ? 1 : 0,
    notes,
  };
}
