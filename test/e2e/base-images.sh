#!/usr/bin/env bash
# Makes the base images the end-to-end Dockerfiles use, without Docker Hub: Alpine from the
# minirootfs fixtures, Debian from a debootstrap rootfs. Idempotent: an image that exists is
# kept. Needs root (debootstrap) and a running engine (test/e2e/start-services.sh).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fixtures=${DRYDOCK_FIXTURES:-${DRYDOCK_SHARED:-$here/../../../shared}/fixtures}
debian_mirror=${DRYDOCK_DEBIAN_MIRROR:-http://deb.debian.org/debian}
docker_cli=docker
[ -x /usr/bin/docker ] && docker_cli=/usr/bin/docker

have_image() { "$docker_cli" image inspect "$1" >/dev/null 2>&1; }

# alpine:<version> from alpine-minirootfs-<version>.<patch>-x86_64.tar.gz (docker import reads gzip).
import_alpine() {
  local tag=$1 tarball=$2
  if have_image "$tag"; then
    echo "base-images: $tag present"
    return
  fi
  if [ ! -f "$tarball" ]; then
    echo "base-images: missing fixture $tarball (set DRYDOCK_FIXTURES)" >&2
    exit 1
  fi
  echo "base-images: importing $tag from $(basename "$tarball")"
  "$docker_cli" import --change 'CMD ["/bin/sh"]' "$tarball" "$tag" >/dev/null
}

# debian:<suite>-slim from a minbase debootstrap (the slim image is also a minbase rootfs).
import_debian() {
  local tag=$1 suite=$2
  if have_image "$tag"; then
    echo "base-images: $tag present"
    return
  fi
  if ! command -v debootstrap >/dev/null; then
    echo "base-images: debootstrap not found (apt-get install debootstrap)" >&2
    exit 1
  fi
  local rootfs
  rootfs=$(mktemp -d /tmp/drydock-rootfs.XXXXXX)
  echo "base-images: debootstrap $suite into $rootfs (mirror $debian_mirror)"
  if ! debootstrap --variant=minbase "$suite" "$rootfs" "$debian_mirror" >"$rootfs.log" 2>&1; then
    tail -n 30 "$rootfs.log" >&2
    rm -rf "$rootfs" "$rootfs.log"
    exit 1
  fi
  rm -f "$rootfs.log"
  # Like the official image: no downloaded package lists or .debs left in the base.
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb
  echo "base-images: importing $tag"
  tar -C "$rootfs" -c . | "$docker_cli" import --change 'CMD ["bash"]' - "$tag" >/dev/null
  rm -rf "$rootfs"
}

for version in 3.18.9 3.19.4 3.20.3; do
  import_alpine "alpine:${version%.*}" "$fixtures/alpine/alpine-minirootfs-${version}-x86_64.tar.gz"
done
import_debian debian:bookworm-slim bookworm
echo "base-images: done"
