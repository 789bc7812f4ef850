#!/usr/bin/env bash
# Makes sure the image every lab image builds FROM (debian:bookworm-slim) exists in the local Docker engine.
#
# On a normal machine this is just `docker pull`. Where no registry can be reached (an offline or
# air-gapped host), the same image name is built offline: debootstrap a minimal Debian bookworm from the
# apt mirror this machine already uses, and `docker import` it. Nothing else in baeum needs a registry.
#
# Usage: bash labs/images/bootstrap-base-image.sh            (needs root only for the offline path)
#        BAEUM_APT_MIRROR=http://mirror.example/debian bash labs/images/bootstrap-base-image.sh
set -euo pipefail

IMAGE="${BAEUM_BASE_IMAGE:-debian:bookworm-slim}"
SUITE="${BAEUM_BASE_SUITE:-bookworm}"

log() { echo "[base-image] $*"; }

if docker image inspect "$IMAGE" >/dev/null 2>&1; then
    log "$IMAGE is already present."
    exit 0
fi

log "Trying: docker pull $IMAGE"
if timeout 120 docker pull "$IMAGE" >/dev/null 2>&1; then
    log "Pulled $IMAGE."
    exit 0
fi
log "Cannot pull $IMAGE; building it offline with debootstrap."

if [ "$(id -u)" -ne 0 ]; then
    echo "[base-image] The offline build needs root (debootstrap). Run it with sudo." >&2
    exit 1
fi

if ! command -v debootstrap >/dev/null 2>&1; then
    log "Installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null \
        || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }
fi

# The mirror apt already uses (deb822 .sources files or the classic sources.list).
mirror="${BAEUM_APT_MIRROR:-}"
if [ -z "$mirror" ]; then
    mirror=$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -n 1 || true)
fi
if [ -z "$mirror" ]; then
    mirror=$(grep -hE '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | grep -v security | head -n 1 || true)
fi
mirror="${mirror:-http://deb.debian.org/debian}"
log "Mirror: $mirror"

root=$(mktemp -d /tmp/baeum-rootfs.XXXXXX)
trap 'rm -rf "$root"' EXIT
debootstrap --variant=minbase "$SUITE" "$root" "$mirror" >/tmp/baeum-debootstrap.log 2>&1 \
    || { cat /tmp/baeum-debootstrap.log >&2; exit 1; }
# Like the official -slim image: no documentation, man pages or apt lists.
rm -rf "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin
tar -C "$root" -c . | docker import -c 'CMD ["bash"]' -c 'ENV LANG=C.UTF-8' - "$IMAGE" >/dev/null
log "Built $IMAGE offline from $mirror."
