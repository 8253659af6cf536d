#!/usr/bin/env bash
# Makes the rpmdb fixtures the rpm cataloger tests read (run by hand; the outputs are committed):
#   rpmdb.sqlite  Debian's rpm (4.18, SQLite backend) after `rpm -i --justdb` of two packages
#   Packages      a BerkeleyDB hash database with the same header blobs (db5.3_load, as rpm < 4.16
#                 stored them: key = 4-byte package number, value = header blob)
#   Packages.db   an NDB database with the same header blobs (written by make-ndb.mjs from the
#                 layout in rpm's lib/backend/ndb/rpmpkg.c)
# Needs: rpm, rpmbuild (Debian package rpm), db5.3_load (db5.3-util), node.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/{SPECS,BUILD,RPMS,SRPMS,SOURCES,BUILDROOT,db}
for spec in "hello:2.12.1:3:1:GPL-3.0-or-later:/usr/bin/hello" "libdemo:1.0:7:0:MIT AND BSD-3-Clause:/usr/lib64/libdemo.so.1"; do
  IFS=: read -r name version release epoch license file <<<"$spec"
  cat >"$work/SPECS/$name.spec" <<SPEC
Name: $name
Version: $version
Release: $release
Epoch: $epoch
Summary: test package $name
License: $license
BuildArch: x86_64
%description
A test package.
%install
mkdir -p %{buildroot}$(dirname "$file")
echo $name > %{buildroot}$file
%files
$file
SPEC
  rpmbuild --quiet --define "_topdir $work" --define "_build_id_links none" -bb "$work/SPECS/$name.spec"
done
# A package with 300 files: its header blob spans several BerkeleyDB overflow pages.
{
  printf 'Name: manyfiles\nVersion: 3\nRelease: 1\nSummary: many files\nLicense: MIT\nBuildArch: noarch\n'
  printf '%%description\nMany files.\n%%install\nmkdir -p %%{buildroot}/usr/share/manyfiles\n'
  printf 'for i in $(seq 1 300); do echo $i > %%{buildroot}/usr/share/manyfiles/file-with-a-long-name-$i; done\n'
  printf '%%files\n/usr/share/manyfiles\n'
} >"$work/SPECS/manyfiles.spec"
rpmbuild --quiet --define "_topdir $work" --define "_build_id_links none" -bb "$work/SPECS/manyfiles.spec"
rpm --dbpath "$work/db" --initdb
rpm --dbpath "$work/db" -i --justdb --nodeps --ignorearch --ignoreos "$work"/RPMS/*/*.rpm
rpm --dbpath "$work/db" -qa >/dev/null # checkpoints the WAL
cp "$work/db/rpmdb.sqlite" "$here/rpmdb.sqlite"
node "$here/make-ndb.mjs" "$here/rpmdb.sqlite" "$here/Packages.db" "$work/load.txt"
rm -f "$here/Packages"
db5.3_load -t hash -f "$work/load.txt" "$here/Packages"
