/**
 * Options of package managers whose value is the next word, so that word is not read as a
 * package or a subcommand. One list per tool, shared by the hadolint rules, drydock's rules
 * and the fixers (../support/commands.ts reads arguments with them).
 */

/** apt-get and apt (apt-get(8)). */
export const APT_VALUE_FLAGS: readonly string[] = [
  "t",
  "target-release",
  "default-release",
  "o",
  "option",
  "c",
  "config-file",
];

/** apk (apk(8)): global options and those of `apk add`. */
export const APK_VALUE_FLAGS: readonly string[] = [
  "t",
  "virtual",
  "X",
  "repository",
  "p",
  "root",
  "arch",
  "cache-dir",
  "keys-dir",
  "repositories-file",
  "cache-max-age",
  "timeout",
];

/** yum and dnf (https://dnf.readthedocs.io/en/latest/command_ref.html, `man yum`). */
export const RPM_VALUE_FLAGS: readonly string[] = [
  "c",
  "config",
  "d",
  "debuglevel",
  "e",
  "errorlevel",
  "x",
  "exclude",
  "disablerepo",
  "enablerepo",
  "repo",
  "repoid",
  "setopt",
  "installroot",
  "releasever",
  "disableplugin",
  "enableplugin",
  "forearch",
];

/** zypper (`zypper --help`, `zypper install --help`). */
export const ZYPPER_VALUE_FLAGS: readonly string[] = [
  "t",
  "type",
  "r",
  "repo",
  "from",
  "R",
  "root",
  "D",
  "reposd-root",
  "C",
  "cache-dir",
];

/** pip, pipx and `uv pip` (`pip install --help`, `uv pip install --help`). */
export const PIP_VALUE_FLAGS: readonly string[] = [
  "r",
  "requirement",
  "c",
  "constraint",
  "e",
  "editable",
  "i",
  "index-url",
  "extra-index-url",
  "f",
  "find-links",
  "t",
  "target",
  "prefix",
  "root",
  "root-user-action",
  "src",
  "platform",
  "python-version",
  "implementation",
  "abi",
  "only-binary",
  "no-binary",
  "trusted-host",
  "progress-bar",
  "upgrade-strategy",
  "b",
  "build",
  "cache-dir",
  "timeout",
  "retries",
  "proxy",
  "log",
  "python",
  "p",
];
