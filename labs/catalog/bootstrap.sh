#!/usr/bin/env bash
# Makes sure every catalogue image (the base images docker labs offer learners) exists in the local engine:
# debian:bookworm-slim first (labs/images/bootstrap-base-image.sh), then each folder here. For each: already
# there → nothing; `docker pull` works → the official image; otherwise it is built from the folder's
# Dockerfile (after the folder's prepare.sh, run on the host, fetched what the build needs).
#
# Usage: sudo bash labs/catalog/bootstrap.sh      (root only for the offline debootstrap of the base image)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
log() { echo "[catalog] $*"; }

bash "$here/../images/bootstrap-base-image.sh"

for recipe in "$here"/*/; do
    [ -f "$recipe/Dockerfile" ] || continue
    image=$(sed -nE '1s/^# catalog: *([^ ]+).*/\1/p' "$recipe/Dockerfile")
    [ -n "$image" ] || { log "skipping $recipe: no '# catalog:' line"; continue; }
    if docker image inspect "$image" >/dev/null 2>&1; then
        log "$image is already present."
        continue
    fi
    if timeout 120 docker pull "$image" >/dev/null 2>&1; then
        log "Pulled $image."
        continue
    fi
    log "Cannot pull $image; building it offline from $(basename "$recipe")."
    context=$(mktemp -d /tmp/baeum-catalog.XXXXXX)
    cp -r "$recipe". "$context/"
    if [ -f "$context/prepare.sh" ]; then
        bash "$context/prepare.sh"
    fi
    if ! docker build -q -t "$image" "$context" >/tmp/baeum-catalog-build.log 2>&1; then
        cat /tmp/baeum-catalog-build.log >&2
        rm -rf "$context"
        exit 1
    fi
    rm -rf "$context"
    log "Built $image offline."
done
