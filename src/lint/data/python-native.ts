/**
 * DD005: Python packages with compiled code, as seen from a musl (Alpine) image.
 *
 * pip on Alpine can only use `musllinux` wheels (PEP 656); `manylinux` wheels are glibc-only and
 * pip ≥ 20.3 never installs them there (pip#9735). Without a musllinux wheel pip builds from the
 * sdist, which needs build-base and headers and is slow (falcon#2145 reports ~20 min on aarch64),
 * or fails when no sdist builds on musl.
 *
 * The facts moved since 2021: many popular packages now publish musllinux wheels (for x86_64
 * and usually aarch64; rarely for armv7, ppc64le, s390x or i386). So the list is split:
 * packages that never have a musllinux wheel, and packages that have them only from some
 * version on (an exact pin below that version still compiles). Sources per entry.
 */

export interface NativePackage {
  /** PEP 503 normalised name. */
  name: string;
  note: string;
}

/** No musllinux wheel at all: pip compiles the sdist on Alpine (or finds nothing to install). */
export const NO_MUSL_WHEEL: readonly NativePackage[] = [
  { name: "psycopg2", note: "sdist only; psycopg2-binary has the wheels" },
  { name: "mysqlclient", note: "sdist only on Linux; needs mariadb-dev and pkgconf" },
  { name: "python-ldap", note: "sdist only; needs openldap-dev" },
  { name: "gdal", note: "sdist only; needs gdal-dev" },
  { name: "xmlsec", note: "needs xmlsec-dev (reference §4.1)" },
  { name: "pycairo", note: "Linux sdist only; needs cairo-dev" },
  { name: "uwsgi", note: "sdist only: always compiles" },
  { name: "dlib", note: "sdist only: compiles with cmake" },
  { name: "pygraphviz", note: "sdist only; needs graphviz-dev" },
  { name: "opencv-python", note: "no musllinux wheels (opencv-python#1099)" },
  { name: "opencv-python-headless", note: "no musllinux wheels (opencv-python#1099)" },
  { name: "opencv-contrib-python", note: "no musllinux wheels (opencv-python#1099)" },
  { name: "opencv-contrib-python-headless", note: "no musllinux wheels (opencv-python#1099)" },
  { name: "pyproj", note: "no musllinux wheels (pyproj#1382)" },
  { name: "torch", note: "glibc wheels only: pip finds no distribution on Alpine" },
  { name: "tensorflow", note: "glibc wheels only: pip finds no distribution on Alpine" },
];

export interface MuslSince extends NativePackage {
  /** First release with a musllinux x86_64 wheel; an exact pin below it compiles on Alpine. */
  since: string;
}

/**
 * musllinux wheels from a given version on. The versions are conservative (when unsure, the
 * earliest plausible one), so an exact pin below them surely compiles.
 */
export const MUSL_WHEELS_SINCE: readonly MuslSince[] = [
  { name: "numpy", since: "1.25.0", note: "numpy#20089; aarch64 from 1.26.2" },
  { name: "pandas", since: "2.1.0", note: "musllinux x86_64 from 2.1 (2023); aarch64 later (pandas#56590)" },
  { name: "scipy", since: "1.11.0", note: "2023, after numpy" },
  { name: "pillow", since: "9.1.0", note: "Pillow 9.1.0 release notes: musllinux wheels" },
  { name: "cryptography", since: "35.0.0", note: "musllinux_1_1 wheels since 35 (2021)" },
  { name: "psycopg2-binary", since: "2.9.3", note: "psycopg2#1392 (musllinux build), released in 2.9.3" },
];

/** PEP 503 name normalisation: `Psycopg2_Binary` → `psycopg2-binary`. */
export function normalizePackageName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

/** Alpine packages whose presence means "this stage compiles C code". */
export const MUSL_COMPILE_PACKAGES: readonly string[] = [
  "build-base",
  "alpine-sdk",
  "gcc",
  "g++",
  "python3-dev",
  "clang",
];
