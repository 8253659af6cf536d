/**
 * What counts as bloat in a final image filesystem, as data. Each classifier names directories
 * (the directory and everything below it), directory names found anywhere, or file names and
 * extensions; `~` stands for /root and /home/*, `*` for one path component.
 *
 * Sources for the locations: the package managers' own docs (apt-get(8) "FILES", apk cache,
 * dnf.conf cachedir, pip "Caching", npm-cache, yarn cache dir, pnpm store-path, `gem env`,
 * `go env GOCACHE GOMODCACHE`, maven settings localRepository, GRADLE_USER_HOME, nuget
 * locals) and the seed's "Find What's Taking Space" list (/usr/lib, /usr/share, /var/cache,
 * /root/.cache).
 */

export type BloatCategory =
  | "package-cache"
  | "language-cache"
  | "python-bytecode"
  | "docs"
  | "locales"
  | "dev-files"
  | "vcs"
  | "package-extras"
  | "temp"
  | "core-dump"
  | "editor";

/** When a classifier applies: some files are bloat only in some images. */
export type ClassifierCondition =
  /** No C compiler in the image: headers and static libraries cannot be used. */
  | "runtime-image"
  /** PYTHONDONTWRITEBYTECODE is set in the image's environment: it never writes .pyc itself. */
  | "no-bytecode";

export interface Classifier {
  id: string;
  category: BloatCategory;
  title: string;
  /** Directory globs: the directory and everything below it. */
  dirs?: readonly string[];
  /** Directory (or file) names anywhere in the tree. */
  names?: readonly string[];
  /** Names that count only below a directory named `under`, at most `depth` levels below it. */
  namesUnder?: { under: readonly string[]; names: readonly string[]; depth: number };
  /** File extensions, with the dot. */
  extensions?: readonly string[];
  /** File names (basename regex). */
  files?: RegExp;
  /**
   * The (ASCII) characters a name that `files` matches can start with, and those it can end
   * with: a name that does neither is known not to match without making it a string (bloat.ts
   * tests names on their bytes). Without it every name is tested against `files`.
   */
  filesEnds?: { first: string; last: string };
  /** Basenames inside a matched directory that are not bloat (e.g. licence files). */
  keep?: RegExp;
  when?: ClassifierCondition;
  /** How to avoid it, said of the Dockerfile line that created it. */
  fix: string;
}

export const CLASSIFIERS: readonly Classifier[] = [
  {
    id: "apt-lists",
    category: "package-cache",
    title: "apt package lists",
    dirs: ["/var/lib/apt/lists"],
    keep: /^lock$/,
    fix: "end the RUN that runs `apt-get update` with `&& rm -rf /var/lib/apt/lists/*`",
  },
  {
    id: "apt-cache",
    category: "package-cache",
    title: "apt downloaded packages and caches",
    dirs: ["/var/cache/apt"],
    keep: /^lock$/,
    fix: "run `apt-get clean` in the same RUN as `apt-get install` (or use `--mount=type=cache,target=/var/cache/apt`)",
  },
  {
    id: "apk-cache",
    category: "package-cache",
    title: "apk cache",
    dirs: ["/var/cache/apk", "/etc/apk/cache"],
    fix: "use `apk add --no-cache`",
  },
  {
    id: "dnf-yum-cache",
    category: "package-cache",
    title: "dnf/yum cache",
    dirs: ["/var/cache/dnf", "/var/cache/yum", "/var/cache/libdnf5", "/var/cache/microdnf"],
    fix: "run `dnf clean all` (or `yum clean all`) in the same RUN as the install",
  },
  {
    id: "pip-cache",
    category: "language-cache",
    title: "pip cache",
    dirs: ["~/.cache/pip"],
    fix: "use `pip install --no-cache-dir` (or ENV PIP_NO_CACHE_DIR=1, or a cache mount)",
  },
  {
    id: "npm-cache",
    category: "language-cache",
    title: "npm cache",
    dirs: ["~/.npm/_cacache", "~/.npm/_logs"],
    fix: "run `npm cache clean --force` in the same RUN (or `--mount=type=cache,target=/root/.npm`)",
  },
  {
    id: "yarn-cache",
    category: "language-cache",
    title: "yarn cache",
    dirs: ["/usr/local/share/.cache/yarn", "~/.cache/yarn", "~/.yarn/berry/cache"],
    fix: "run `yarn cache clean` in the same RUN (or a cache mount on the yarn cache folder)",
  },
  {
    id: "pnpm-store",
    category: "language-cache",
    title: "pnpm store",
    dirs: ["~/.local/share/pnpm/store", "~/.cache/pnpm", "~/.pnpm-store", "/pnpm/store"],
    fix: "use a cache mount for the pnpm store, or run `pnpm store prune` in the same RUN",
  },
  {
    id: "gem-cache",
    category: "language-cache",
    title: "RubyGems/Bundler cache",
    dirs: [
      "/usr/local/bundle/cache",
      "/var/lib/gems/*/cache",
      "/usr/lib/ruby/gems/*/cache",
      "/usr/local/lib/ruby/gems/*/cache",
      "~/.gem/ruby/*/cache",
      "~/.bundle/cache",
    ],
    fix: 'remove the gem cache in the same RUN (`rm -rf "$(gem env gemdir)"/cache`), or `bundle config set without development`',
  },
  {
    id: "go-cache",
    category: "language-cache",
    title: "Go build and module caches",
    dirs: ["~/.cache/go-build", "~/go/pkg/mod", "/go/pkg/mod"],
    fix: "build in a separate stage and COPY --from it only the binary (or `go clean -cache -modcache` in the same RUN)",
  },
  {
    id: "maven-repo",
    category: "language-cache",
    title: "Maven local repository",
    dirs: ["~/.m2/repository"],
    fix: "build in a separate stage and COPY --from it only the artifact (or use a cache mount on ~/.m2)",
  },
  {
    id: "gradle-cache",
    category: "language-cache",
    title: "Gradle caches and wrapper distributions",
    dirs: ["~/.gradle/caches", "~/.gradle/wrapper/dists"],
    fix: "build in a separate stage and COPY --from it only the artifact (or use a cache mount on ~/.gradle)",
  },
  {
    id: "nuget-cache",
    category: "language-cache",
    title: "NuGet packages cache",
    dirs: ["~/.nuget/packages", "~/.local/share/NuGet"],
    fix: "build in a separate stage (dotnet publish) and COPY --from it only the output",
  },
  {
    id: "composer-cache",
    category: "language-cache",
    title: "Composer cache",
    dirs: ["~/.composer/cache", "~/.cache/composer"],
    fix: "use `composer install --no-cache` or remove the cache in the same RUN",
  },
  {
    id: "python-bytecode",
    category: "python-bytecode",
    title: "Python bytecode (__pycache__, .pyc) in an image that sets PYTHONDONTWRITEBYTECODE",
    names: ["__pycache__"],
    extensions: [".pyc", ".pyo"],
    when: "no-bytecode",
    fix: "install with `pip install --no-compile` (or set PYTHONDONTWRITEBYTECODE before the install)",
  },
  {
    id: "docs",
    category: "docs",
    title: "documentation, man and info pages",
    dirs: [
      "/usr/share/doc",
      "/usr/share/man",
      "/usr/share/info",
      "/usr/share/gtk-doc",
      "/usr/share/doc-base",
      "/usr/local/share/doc",
      "/usr/local/share/man",
      "/usr/local/man",
    ],
    // Licence texts: distributions require them to stay with the binaries.
    keep: /^(copyright|LICEN[CS]E.*|COPYING.*)$/,
    fix: "exclude docs at install time (Debian: a /etc/dpkg/dpkg.cfg.d path-exclude file; apk/dnf: --nodocs) or delete them in the same RUN",
  },
  {
    id: "locales",
    category: "locales",
    title: "message translations (locales)",
    dirs: ["/usr/share/locale", "/usr/local/share/locale"],
    keep: /^locale\.alias$/,
    fix: "exclude /usr/share/locale at install time (Debian: dpkg path-exclude) or delete the unused languages in the same RUN",
  },
  {
    id: "dev-files",
    category: "dev-files",
    title: "C headers and static libraries in a runtime image (no compiler present)",
    dirs: ["/usr/include", "/usr/local/include"],
    extensions: [".a", ".la"],
    when: "runtime-image",
    fix: "install -dev packages only in a build stage; the runtime image needs the shared libraries only",
  },
  {
    id: "vcs",
    category: "vcs",
    title: "version-control metadata (.git, .svn, .hg)",
    names: [".git", ".svn", ".hg"],
    fix: "add `.git` to .dockerignore (or copy only the files the image needs)",
  },
  {
    id: "node-modules-extras",
    category: "package-extras",
    title: "tests, docs and examples inside node_modules",
    namesUnder: {
      under: ["node_modules"],
      names: [
        "test",
        "tests",
        "__tests__",
        "docs",
        "doc",
        "example",
        "examples",
        "benchmark",
        "benchmarks",
        "coverage",
        ".github",
      ],
      depth: 2,
    },
    fix: "install with `npm ci --omit=dev` and prune package extras in the same RUN (e.g. with a node-prune step)",
  },
  {
    id: "python-package-tests",
    category: "package-extras",
    title: "tests inside site-packages",
    namesUnder: { under: ["site-packages", "dist-packages"], names: ["tests", "test", "testing"], depth: 3 },
    fix: "delete the packages' tests in the same RUN as `pip install` (e.g. `find … -name tests -type d -prune -exec rm -rf {} +`)",
  },
  {
    id: "temp",
    category: "temp",
    title: "temporary files",
    dirs: ["/tmp", "/var/tmp"],
    fix: "delete temporary files in the same RUN that creates them (or mount a tmpfs: `--mount=type=tmpfs,target=/tmp`)",
  },
  {
    id: "core-dumps",
    category: "core-dump",
    title: "core dumps",
    files: /^(core|core\.\d+|vgcore\.\d+)$/,
    filesEnds: { first: "cv", last: "" },
    fix: "find what crashed during the build, and delete the core file in the same RUN",
  },
  {
    id: "editor-leftovers",
    category: "editor",
    title: "editor and OS leftovers (swap files, backups, .DS_Store)",
    names: [".idea", ".vscode"],
    files: /^(\..*\.sw[op]|.*~|\.#.*|#.*#|\.DS_Store|Thumbs\.db)$/,
    filesEnds: { first: ".#T", last: "~" },
    fix: "add these patterns to .dockerignore",
  },
];
