/**
 * DD002: data that package managers leave on disk, the commands that create it, and the
 * commands that clean it. A cleanup in a later RUN only hides the files: they stay in the
 * layer of the RUN that created them (https://docs.docker.com/build/building/best-practices/#run).
 *
 * Not listed on purpose: `apt-get clean` alone. Debian and Ubuntu images ship
 * /etc/apt/apt.conf.d/docker-clean, which deletes downloaded .deb files and apt's binary
 * caches at the end of every install, so a later `apt-get clean` frees nothing there; the
 * package lists (/var/lib/apt/lists) are what stays, and those are listed.
 */

export interface CommandPattern {
  programs: readonly string[];
  /** Subcommand word sequences (first positional words); `[]` is the bare program. */
  subcommands: readonly (readonly string[])[];
}

export interface CacheKind {
  id: string;
  /** How the message names the data: "line 5 removes <what> that line 3 created". */
  what: string;
  /** Where the data lives: a cache or tmpfs mount over one of these keeps it out of layers. */
  dirs: readonly string[];
  creators: readonly CommandPattern[];
  /** A creator flag that means nothing is cached (`apk add --no-cache`, `pip --no-cache-dir`). */
  noCacheFlags?: readonly string[];
  /** An environment variable that, when set (ENV or inline), means nothing is cached. */
  noCacheEnv?: readonly string[];
  cleaners: readonly CommandPattern[];
  /** `rm` targets that clean it (tested against each path argument of rm). */
  removedPaths: readonly RegExp[];
}

const PIP = ["pip", "pip3"];
/** `rm -rf /var/cache/*` cleans every system package manager's cache at once. */
const ANY_VAR_CACHE = /^\/var\/cache\/?\*?$/;

export const CACHE_KINDS: readonly CacheKind[] = [
  {
    id: "apt-lists",
    what: "/var/lib/apt/lists/*",
    dirs: ["/var/lib/apt/lists", "/var/lib/apt"],
    creators: [{ programs: ["apt-get", "apt", "aptitude"], subcommands: [["update"]] }],
    cleaners: [],
    removedPaths: [/^\/var\/lib\/apt(\/lists)?\/?(\*|\/\*)?$/],
  },
  {
    id: "apk",
    what: "/var/cache/apk/*",
    dirs: ["/var/cache/apk", "/etc/apk/cache"],
    creators: [{ programs: ["apk"], subcommands: [["add"], ["update"], ["upgrade"], ["fix"]] }],
    noCacheFlags: ["no-cache"],
    cleaners: [
      {
        programs: ["apk"],
        subcommands: [
          ["cache", "clean"],
          ["cache", "purge"],
        ],
      },
    ],
    removedPaths: [/^\/var\/cache\/apk\/?(\*|\/\*)?$/, /^\/etc\/apk\/cache\/?\*?$/, ANY_VAR_CACHE],
  },
  {
    id: "rpm",
    what: "the dnf/yum cache (/var/cache/dnf, /var/cache/yum)",
    dirs: ["/var/cache/dnf", "/var/cache/yum", "/var/cache/libdnf5"],
    creators: [
      {
        programs: ["dnf", "yum", "microdnf", "dnf5", "tdnf"],
        subcommands: [
          ["install"],
          ["update"],
          ["upgrade"],
          ["makecache"],
          ["groupinstall"],
          ["group", "install"],
          ["reinstall"],
          ["module", "install"],
        ],
      },
    ],
    cleaners: [{ programs: ["dnf", "yum", "microdnf", "dnf5", "tdnf"], subcommands: [["clean"]] }],
    removedPaths: [/^\/var\/cache\/(dnf|yum|libdnf5)(\/.*)?$/, ANY_VAR_CACHE],
  },
  {
    id: "zypper",
    what: "the zypper cache (/var/cache/zypp)",
    dirs: ["/var/cache/zypp"],
    creators: [
      {
        programs: ["zypper"],
        subcommands: [
          ["install"],
          ["in"],
          ["refresh"],
          ["ref"],
          ["update"],
          ["up"],
          ["dist-upgrade"],
          ["dup"],
        ],
      },
    ],
    cleaners: [{ programs: ["zypper"], subcommands: [["clean"], ["cc"]] }],
    removedPaths: [/^\/var\/cache\/zypp(\/.*)?$/, ANY_VAR_CACHE],
  },
  {
    id: "pip",
    what: "pip's cache (/root/.cache/pip)",
    dirs: ["/root/.cache/pip", "/root/.cache"],
    creators: [{ programs: PIP, subcommands: [["install"], ["download"], ["wheel"]] }],
    noCacheFlags: ["no-cache-dir"],
    noCacheEnv: ["PIP_NO_CACHE_DIR"],
    cleaners: [
      {
        programs: PIP,
        subcommands: [
          ["cache", "purge"],
          ["cache", "remove"],
        ],
      },
    ],
    removedPaths: [/(^|\/)\.cache(\/pip)?\/?(\*|\/\*)?$/],
  },
  {
    id: "uv",
    what: "uv's cache (/root/.cache/uv)",
    dirs: ["/root/.cache/uv", "/root/.cache"],
    creators: [
      {
        programs: ["uv"],
        subcommands: [["sync"], ["pip", "install"], ["pip", "sync"], ["add"], ["tool", "install"]],
      },
    ],
    noCacheFlags: ["no-cache", "n"],
    noCacheEnv: ["UV_NO_CACHE"],
    cleaners: [
      {
        programs: ["uv"],
        subcommands: [
          ["cache", "clean"],
          ["cache", "prune"],
        ],
      },
    ],
    removedPaths: [/(^|\/)\.cache(\/uv)?\/?(\*|\/\*)?$/],
  },
  {
    id: "npm",
    what: "npm's cache (/root/.npm)",
    dirs: ["/root/.npm"],
    creators: [
      {
        programs: ["npm"],
        subcommands: [["install"], ["i"], ["ci"], ["add"], ["update"], ["clean-install"], ["install-clean"]],
      },
    ],
    cleaners: [
      {
        programs: ["npm"],
        subcommands: [
          ["cache", "clean"],
          ["cache", "clear"],
        ],
      },
    ],
    removedPaths: [/(^|\/)\.npm(\/.*)?$/],
  },
  {
    id: "yarn",
    what: "Yarn's cache (/usr/local/share/.cache/yarn)",
    dirs: ["/usr/local/share/.cache/yarn", "/root/.cache/yarn"],
    creators: [{ programs: ["yarn"], subcommands: [[], ["install"], ["add"], ["global", "add"]] }],
    cleaners: [{ programs: ["yarn"], subcommands: [["cache", "clean"]] }],
    removedPaths: [/(^|\/)\.cache\/yarn(\/.*)?$/, /^\/usr\/local\/share\/\.cache\/?\*?$/],
  },
  {
    id: "gem",
    what: "the downloaded .gem files (gem cache)",
    dirs: ["/usr/local/bundle/cache", "/root/.gem", "/root/.bundle/cache"],
    creators: [
      { programs: ["gem"], subcommands: [["install"]] },
      { programs: ["bundle", "bundler"], subcommands: [[], ["install"]] },
    ],
    cleaners: [],
    removedPaths: [/(^|\/)(\.gem|\.bundle\/cache|bundle\/cache|gems\/[^/]+\/cache)(\/.*)?$/],
  },
];

/** File name endings of downloaded archives and packages whose later `rm` DD002 reports. */
export const ARCHIVE_SUFFIXES: readonly string[] = [
  ".tar",
  ".tar.gz",
  ".tgz",
  ".tar.xz",
  ".txz",
  ".tar.bz2",
  ".tbz2",
  ".tar.zst",
  ".gz",
  ".xz",
  ".bz2",
  ".zst",
  ".zip",
  ".7z",
  ".deb",
  ".rpm",
  ".apk",
  ".whl",
  ".jar",
  ".war",
  ".run",
];

/** curl options whose value is the next word (curl(1)), so the URL is found among the rest. */
export const CURL_VALUE_FLAGS = [
  "o",
  "output",
  "H",
  "header",
  "d",
  "data",
  "data-binary",
  "data-raw",
  "u",
  "user",
  "X",
  "request",
  "A",
  "user-agent",
  "e",
  "referer",
  "m",
  "max-time",
  "w",
  "write-out",
  "x",
  "proxy",
  "r",
  "range",
  "T",
  "upload-file",
  "b",
  "cookie",
  "c",
  "cookie-jar",
  "K",
  "config",
  "E",
  "cert",
  "retry",
  "retry-delay",
  "retry-max-time",
  "connect-timeout",
  "cacert",
  "F",
  "form",
  "output-dir",
  "proto",
  "proto-redir",
  "limit-rate",
  "resolve",
];

/** wget options whose value is the next word (wget(1)). */
export const WGET_VALUE_FLAGS = [
  "O",
  "output-document",
  "P",
  "directory-prefix",
  "o",
  "output-file",
  "a",
  "append-output",
  "t",
  "tries",
  "T",
  "timeout",
  "U",
  "user-agent",
  "header",
  "e",
  "execute",
  "progress",
  "user",
  "password",
  "http-user",
  "http-password",
  "ca-certificate",
];
