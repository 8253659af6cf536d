/**
 * Dependencies known to carry compiled code, per ecosystem, with the Debian packages their
 * build needs (headers) and their runtime needs (shared libraries). Used when a lockfile does
 * not list platform files (requirements.txt, Pipfile.lock, yarn.lock) and to add system
 * packages to the generated Dockerfile.
 *
 * Sources: shared/reference/base-images-and-generators.md §4.1 (Python: Railpack's and
 * Nixpacks's mappings [verified], the rest [memory]), §4.2 (Node), §1.6 (Ruby gem → apt
 * mapping from Railpack [verified]); PHP extensions: the php image's docker-php-ext-install
 * docs (https://github.com/docker-library/docs/tree/master/php#how-to-install-more-php-extensions).
 * Package names are Debian 13 (trixie) names.
 */

export interface KnownNative {
  /** Normalised package name (PEP 503 for Python, npm name, gem name); `*` suffix = prefix. */
  name: string;
  /** The package installs without a compiler from prebuilt files (wheels, prebuilds). */
  prebuilt: boolean;
  /** musl prebuilt availability when known (for Alpine): amd64/arm64. */
  musl?: { amd64: boolean; arm64: boolean };
  buildPackages?: string[];
  runtimePackages?: string[];
  note: string;
}

export const PYTHON_NATIVE: readonly KnownNative[] = [
  {
    name: "psycopg2",
    prebuilt: false,
    buildPackages: ["libpq-dev"],
    runtimePackages: ["libpq5"],
    note: "sdist only (psycopg2-binary has wheels)",
  },
  {
    name: "psycopg2-binary",
    prebuilt: true,
    musl: { amd64: true, arm64: true },
    note: "wheels for glibc and (since 2.9.3) musl",
  },
  {
    name: "mysqlclient",
    prebuilt: false,
    buildPackages: ["default-libmysqlclient-dev", "pkg-config"],
    runtimePackages: ["libmariadb3"],
    note: "sdist only on Linux",
  },
  {
    name: "pycairo",
    prebuilt: false,
    buildPackages: ["libcairo2-dev", "pkg-config"],
    runtimePackages: ["libcairo2"],
    note: "Linux sdist only",
  },
  { name: "pdf2image", prebuilt: true, runtimePackages: ["poppler-utils"], note: "runs poppler's tools" },
  { name: "pydub", prebuilt: true, runtimePackages: ["ffmpeg"], note: "runs ffmpeg" },
  { name: "moviepy", prebuilt: true, runtimePackages: ["ffmpeg"], note: "runs ffmpeg" },
  {
    name: "python-ldap",
    prebuilt: false,
    buildPackages: ["libldap2-dev", "libsasl2-dev"],
    note: "sdist only",
  },
  {
    name: "pyodbc",
    prebuilt: true,
    musl: { amd64: true, arm64: true },
    buildPackages: ["unixodbc-dev"],
    runtimePackages: ["unixodbc"],
    note: "wheels exist, the ODBC driver manager is a system library",
  },
  { name: "gdal", prebuilt: false, buildPackages: ["libgdal-dev"], note: "sdist only; needs GDAL headers" },
  {
    name: "xmlsec",
    prebuilt: false,
    buildPackages: ["libxmlsec1-dev", "pkg-config"],
    runtimePackages: ["libxmlsec1-openssl"],
    note: "needs xmlsec headers",
  },
  {
    name: "weasyprint",
    prebuilt: true,
    runtimePackages: ["libpango-1.0-0", "libpangoft2-1.0-0"],
    note: "pure Python, loads Pango at runtime",
  },
  { name: "uwsgi", prebuilt: false, note: "sdist only: always compiles" },
  { name: "dlib", prebuilt: false, buildPackages: ["cmake"], note: "sdist only: compiles with cmake" },
  {
    name: "pygraphviz",
    prebuilt: false,
    buildPackages: ["libgraphviz-dev"],
    runtimePackages: ["graphviz"],
    note: "sdist only",
  },
  {
    name: "opencv-python",
    prebuilt: true,
    musl: { amd64: false, arm64: false },
    note: "no musllinux wheels (opencv-python#1099)",
  },
  {
    name: "opencv-python-headless",
    prebuilt: true,
    musl: { amd64: false, arm64: false },
    note: "no musllinux wheels (opencv-python#1099)",
  },
  {
    name: "pyproj",
    prebuilt: true,
    musl: { amd64: false, arm64: false },
    note: "no musllinux wheels (pyproj#1382)",
  },
  { name: "torch", prebuilt: true, musl: { amd64: false, arm64: false }, note: "glibc wheels only" },
  { name: "tensorflow", prebuilt: true, musl: { amd64: false, arm64: false }, note: "glibc wheels only" },
  {
    name: "numpy",
    prebuilt: true,
    musl: { amd64: true, arm64: true },
    note: "musllinux wheels since 1.25 (aarch64 1.26.2)",
  },
  { name: "pandas", prebuilt: true, musl: { amd64: true, arm64: true }, note: "musllinux wheels since 2.1" },
  { name: "scipy", prebuilt: true, musl: { amd64: true, arm64: true }, note: "musllinux wheels since 1.11" },
  { name: "pillow", prebuilt: true, musl: { amd64: true, arm64: true }, note: "musllinux wheels since 9.1" },
  {
    name: "cryptography",
    prebuilt: true,
    musl: { amd64: true, arm64: true },
    note: "musllinux wheels since 35",
  },
  {
    name: "pyarrow",
    prebuilt: true,
    musl: { amd64: false, arm64: false },
    note: "manylinux wheels only [memory]",
  },
  { name: "lxml", prebuilt: true, note: "manylinux wheels" },
  { name: "bcrypt", prebuilt: true, note: "manylinux wheels" },
  { name: "cffi", prebuilt: true, note: "manylinux wheels" },
  { name: "grpcio", prebuilt: true, note: "manylinux wheels" },
  { name: "orjson", prebuilt: true, note: "manylinux wheels" },
  { name: "pydantic-core", prebuilt: true, note: "manylinux wheels" },
  { name: "uvloop", prebuilt: true, note: "manylinux wheels" },
  { name: "httptools", prebuilt: true, note: "manylinux wheels" },
  { name: "greenlet", prebuilt: true, note: "manylinux wheels" },
  { name: "gevent", prebuilt: true, note: "manylinux wheels" },
  { name: "pyyaml", prebuilt: true, note: "manylinux wheels" },
  { name: "regex", prebuilt: true, note: "manylinux wheels" },
  { name: "msgpack", prebuilt: true, note: "manylinux wheels" },
];

/** pyproject build requirements / backends that mean the project compiles its own extension. */
export const PYTHON_NATIVE_BUILD_REQUIRES = [
  "cython",
  "setuptools-rust",
  "maturin",
  "scikit-build-core",
  "meson-python",
  "pybind11",
  "nanobind",
  "cffi",
];
export const PYTHON_NATIVE_BACKENDS = ["maturin", "scikit_build_core.build", "mesonpy"];

export const NODE_NATIVE: readonly KnownNative[] = [
  { name: "bcrypt", prebuilt: true, note: "node-pre-gyp prebuilds, compiles when none matches" },
  {
    name: "sharp",
    prebuilt: true,
    musl: { amd64: true, arm64: true },
    note: "platform packages @img/sharp-{linux,linuxmusl}-*",
  },
  { name: "better-sqlite3", prebuilt: true, note: "prebuild-install; compiles when no prebuild matches" },
  { name: "sqlite3", prebuilt: true, note: "prebuild-install" },
  {
    name: "canvas",
    prebuilt: true,
    buildPackages: ["libcairo2-dev", "libpango1.0-dev", "libjpeg-dev", "libgif-dev", "librsvg2-dev"],
    runtimePackages: ["libcairo2", "libpango-1.0-0", "libjpeg62-turbo", "libgif7", "librsvg2-2"],
    note: "node-pre-gyp; Cairo and Pango are system libraries",
  },
  { name: "argon2", prebuilt: true, note: "prebuilds" },
  { name: "bufferutil", prebuilt: true, note: "node-gyp-build prebuilds" },
  { name: "utf-8-validate", prebuilt: true, note: "node-gyp-build prebuilds" },
  { name: "re2", prebuilt: true, note: "prebuilds, compiles otherwise" },
  { name: "cpu-features", prebuilt: false, note: "compiles with node-gyp (optional for ssh2)" },
  { name: "ssh2", prebuilt: true, note: "optional native crypto via cpu-features" },
  { name: "zeromq", prebuilt: true, note: "prebuilds" },
  { name: "serialport", prebuilt: true, note: "prebuilds" },
  { name: "usb", prebuilt: true, note: "prebuilds" },
  { name: "leveldown", prebuilt: true, note: "prebuilds" },
  {
    name: "oracledb",
    prebuilt: true,
    musl: { amd64: false, arm64: false },
    note: "thick mode needs Oracle Instant Client (glibc)",
  },
  {
    name: "puppeteer",
    prebuilt: true,
    musl: { amd64: false, arm64: false },
    runtimePackages: ["chromium"],
    note: "downloads a glibc Chromium; needs many system libraries",
  },
  {
    name: "playwright",
    prebuilt: true,
    musl: { amd64: false, arm64: false },
    note: "browsers are glibc builds; use the Playwright image or `playwright install --with-deps`",
  },
  { name: "prisma", prebuilt: true, runtimePackages: ["openssl"], note: "query engine needs OpenSSL" },
  {
    name: "@prisma/client",
    prebuilt: true,
    runtimePackages: ["openssl"],
    note: "query engine needs OpenSSL",
  },
  {
    name: "@swc/core",
    prebuilt: true,
    musl: { amd64: true, arm64: true },
    note: "platform packages incl. -musl",
  },
  { name: "esbuild", prebuilt: true, musl: { amd64: true, arm64: true }, note: "platform packages" },
  {
    name: "lightningcss",
    prebuilt: true,
    musl: { amd64: true, arm64: true },
    note: "platform packages incl. -musl",
  },
  {
    name: "@parcel/watcher",
    prebuilt: true,
    musl: { amd64: true, arm64: true },
    note: "platform packages incl. -musl",
  },
  {
    name: "@rollup/rollup-*",
    prebuilt: true,
    musl: { amd64: true, arm64: true },
    note: "platform packages incl. -musl",
  },
  { name: "@node-rs/*", prebuilt: true, note: "napi-rs platform packages" },
  { name: "@napi-rs/*", prebuilt: true, note: "napi-rs platform packages" },
];

/** Node packages whose presence as a dependency means "this builds or loads a native addon". */
export const NODE_ADDON_TOOLS = [
  "node-gyp",
  "node-gyp-build",
  "prebuild-install",
  "@mapbox/node-pre-gyp",
  "node-addon-api",
  "nan",
  "cmake-js",
];

export const RUBY_NATIVE: readonly KnownNative[] = [
  {
    name: "pg",
    prebuilt: false,
    buildPackages: ["libpq-dev"],
    runtimePackages: ["libpq5"],
    note: "links libpq",
  },
  {
    name: "mysql2",
    prebuilt: false,
    buildPackages: ["default-libmysqlclient-dev"],
    runtimePackages: ["libmariadb3"],
    note: "links the MySQL client library",
  },
  {
    name: "rmagick",
    prebuilt: false,
    buildPackages: ["libmagickwand-dev"],
    runtimePackages: ["imagemagick"],
    note: "links ImageMagick",
  },
  { name: "ruby-vips", prebuilt: true, runtimePackages: ["libvips42t64"], note: "loads libvips at runtime" },
  { name: "charlock_holmes", prebuilt: false, buildPackages: ["libicu-dev"], note: "links ICU" },
  { name: "sqlite3", prebuilt: true, note: "precompiled platform gems (incl. musl) since 1.6" },
  { name: "nokogiri", prebuilt: true, note: "precompiled platform gems (incl. musl)" },
  { name: "puma", prebuilt: false, note: "small C extension: needs a compiler" },
  { name: "nio4r", prebuilt: false, note: "C extension" },
  { name: "bcrypt", prebuilt: false, note: "C extension" },
  { name: "bootsnap", prebuilt: false, note: "C extension" },
  { name: "msgpack", prebuilt: false, note: "C extension" },
  { name: "ffi", prebuilt: true, note: "platform gems for common Linux targets" },
  { name: "websocket-driver", prebuilt: false, note: "C extension" },
  { name: "json", prebuilt: false, note: "C extension (newer than Ruby's default gem)" },
  { name: "racc", prebuilt: false, note: "C extension" },
  { name: "bigdecimal", prebuilt: false, note: "C extension" },
  { name: "date", prebuilt: false, note: "C extension" },
  { name: "io-console", prebuilt: false, note: "C extension" },
  { name: "stringio", prebuilt: false, note: "C extension" },
  { name: "psych", prebuilt: false, buildPackages: ["libyaml-dev"], note: "C extension linking libyaml" },
];

/**
 * PHP extensions: those compiled into the official php image need nothing; others are added
 * with docker-php-ext-install (plus headers to build, libraries to keep) or PECL.
 */
export const PHP_BUILTIN_EXTENSIONS = [
  "core",
  "ctype",
  "curl",
  "date",
  "dom",
  "fileinfo",
  "filter",
  "hash",
  "iconv",
  "json",
  "libxml",
  "mbstring",
  "mysqlnd",
  "openssl",
  "pcre",
  "pdo",
  "pdo_sqlite",
  "phar",
  "posix",
  "random",
  "readline",
  "reflection",
  "session",
  "simplexml",
  "sodium",
  "spl",
  "sqlite3",
  "standard",
  "tokenizer",
  "xml",
  "xmlreader",
  "xmlwriter",
  "zlib",
];

export interface PhpExtension {
  name: string;
  /** Debian -dev packages to build it (removed after; the runtime libraries are kept). */
  buildPackages: string[];
  /** Installed with `pecl install` + docker-php-ext-enable instead of docker-php-ext-install. */
  pecl?: boolean;
}

export const PHP_EXTENSIONS: readonly PhpExtension[] = [
  { name: "pdo_mysql", buildPackages: [] },
  { name: "mysqli", buildPackages: [] },
  { name: "bcmath", buildPackages: [] },
  { name: "opcache", buildPackages: [] },
  { name: "exif", buildPackages: [] },
  { name: "pcntl", buildPackages: [] },
  { name: "sockets", buildPackages: [] },
  { name: "calendar", buildPackages: [] },
  { name: "pdo_pgsql", buildPackages: ["libpq-dev"] },
  { name: "pgsql", buildPackages: ["libpq-dev"] },
  { name: "intl", buildPackages: ["libicu-dev"] },
  { name: "zip", buildPackages: ["libzip-dev"] },
  { name: "gd", buildPackages: ["libpng-dev", "libjpeg62-turbo-dev", "libfreetype-dev"] },
  { name: "gmp", buildPackages: ["libgmp-dev"] },
  { name: "xsl", buildPackages: ["libxslt1-dev"] },
  { name: "redis", buildPackages: [], pecl: true },
  { name: "apcu", buildPackages: [], pecl: true },
];

export function matchesName(pattern: string, name: string): boolean {
  return pattern.endsWith("*") ? name.startsWith(pattern.slice(0, -1)) : pattern === name;
}

export function findKnown(list: readonly KnownNative[], name: string): KnownNative | undefined {
  return list.find((k) => matchesName(k.name, name));
}
