/**
 * PHP with Apache: Composer installs vendor/ from composer.json and composer.lock in the
 * composer image (no dev packages, cache mounted), the autoloader is dumped after the source
 * is copied; the php:X-apache runtime gets the production php.ini, the extensions composer.json
 * requires (docker-php-ext-install, headers removed again in the same RUN with the php image's
 * own apt-mark recipe), Apache on 8080 so it runs as www-data, and Laravel/Symfony's public/
 * as document root. Sources: docker init's PHP template
 * (shared/reference/base-images-and-generators.md §1.1) and the php image's documentation
 * (https://github.com/docker-library/docs/tree/master/php).
 */
import { PHP_EXTENSIONS } from "../../advise/data/native-packages.ts";
import type { PhpApp } from "../../advise/types.ts";
import { from, type GenerateOptions, header, joinSections, type Plan, runtimeStage } from "../plan.ts";
import { cacheMount, run, SYSTEM_PIN_PRAGMA, stageComment } from "../writer.ts";

export function phpDockerfile(plan: Plan, options: GenerateOptions): string {
  const app = plan.detection.app as PhpApp;
  const lock = plan.detection.packageManager.lockfile;
  const hasComposer = plan.detection.packageManager.source.file === "composer.json";
  const vendor: string[] = [
    stageComment("vendor", "installs the Composer packages without dev dependencies"),
    from(plan, plan.builder, "vendor"),
    "WORKDIR /app",
  ];
  if (hasComposer) {
    vendor.push(
      `COPY ${lock ? "composer.json composer.lock" : "composer.json"} ./`,
      run(
        [
          "composer install --no-dev --no-interaction --no-progress --no-scripts --no-autoloader --prefer-dist --ignore-platform-reqs",
        ],
        [cacheMount("/tmp/cache")],
      ),
      "COPY . .",
      "RUN composer dump-autoload --no-dev --optimize --no-interaction",
    );
  } else {
    vendor.push("COPY . .");
  }

  const setup = [...extensions(plan, app), ...apacheSetup(app)];
  const files = ["WORKDIR /var/www/html", "COPY --from=vendor /app /var/www/html"];
  if (app.writable.length > 0) files.push(`RUN chown -R www-data:www-data ${app.writable.join(" ")}`);
  const argv = ["apache2-foreground"];
  return joinSections([
    header(plan, options),
    vendor,
    runtimeStage(plan, plan.debug, "debug", { files, setup, argv }),
    runtimeStage(plan, plan.runtime, "final", { files, setup, argv }),
  ]);
}

/** Production php.ini, Apache on 8080 (a non-root user cannot bind 80) and the document root. */
function apacheSetup(app: PhpApp): string[] {
  const commands = [
    "cp /usr/local/etc/php/php.ini-production /usr/local/etc/php/php.ini",
    "sed -ri 's/^Listen 80$/Listen 8080/' /etc/apache2/ports.conf",
    "sed -ri 's/<VirtualHost \\*:80>/<VirtualHost *:8080>/' /etc/apache2/sites-available/000-default.conf",
  ];
  if (app.docroot !== ".") {
    commands.push(
      `sed -ri 's!/var/www/html!/var/www/html/${app.docroot}!g' /etc/apache2/sites-available/*.conf /etc/apache2/apache2.conf`,
    );
  }
  commands.push("a2enmod rewrite");
  return ["# Production php.ini; Apache on 8080 so it can run as www-data.", run(commands)];
}

/** docker-php-ext-install for the ext-* requirements, build headers purged in the same RUN. */
function extensions(plan: Plan, app: PhpApp): string[] {
  if (app.extensions.length === 0) return [];
  const known = app.extensions.map(
    (name) => PHP_EXTENSIONS.find((e) => e.name === name) ?? { name, buildPackages: [], pecl: false },
  );
  const unknown = app.extensions.filter((name) => !PHP_EXTENSIONS.some((e) => e.name === name));
  if (unknown.length > 0)
    plan.notes.push(
      `extensions drydock has no build recipe for (${unknown.join(", ")}): docker-php-ext-install may need headers for them`,
    );
  const core = known.filter((e) => !e.pecl).map((e) => e.name);
  const pecl = known.filter((e) => e.pecl).map((e) => e.name);
  const headers = [...new Set(known.flatMap((e) => e.buildPackages))].sort();
  const lines: string[] = [];
  if (headers.length === 0) {
    const commands = [
      ...(core.length > 0 ? [`docker-php-ext-install -j"$(nproc)" ${core.join(" ")}`] : []),
      ...(pecl.length > 0
        ? [`pecl install ${pecl.join(" ")}`, `docker-php-ext-enable ${pecl.join(" ")}`, "rm -rf /tmp/pear"]
        : []),
    ];
    return ["# PHP extensions composer.json requires (ext-*).", run(commands)];
  }
  // The php image's recipe: install headers, build, keep only the libraries the extensions
  // link (apt-mark manual), then purge the headers, all in one layer.
  lines.push(
    "# PHP extensions composer.json requires (ext-*); build headers are removed in the same layer.",
    'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
    SYSTEM_PIN_PRAGMA.apt,
    run([
      'savedAptMark="$(apt-mark showmanual)"',
      "apt-get update",
      `apt-get install -y --no-install-recommends ${headers.join(" ")}`,
      ...(core.length > 0 ? [`docker-php-ext-install -j"$(nproc)" ${core.join(" ")}`] : []),
      ...(pecl.length > 0
        ? [`pecl install ${pecl.join(" ")}`, `docker-php-ext-enable ${pecl.join(" ")}`, "rm -rf /tmp/pear"]
        : []),
      "apt-mark auto '.*' > /dev/null",
      '{ [ -z "$savedAptMark" ] || echo "$savedAptMark" | xargs apt-mark manual; }',
      "find /usr/local/lib/php/extensions -type f -name '*.so' -exec ldd '{}' ';' | awk '/=>/ { so = $(NF-1); if (index(so, \"/usr/local/\") == 1) { next }; gsub(\"^/(usr/)?\", \"\", so); printf \"*%s\\n\", so }' | sort -u | xargs -r dpkg-query --search | cut -d: -f1 | sort -u | xargs -r apt-mark manual",
      `apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false ${headers.join(" ")}`,
      "rm -rf /var/lib/apt/lists/*",
    ]),
  );
  return lines;
}
