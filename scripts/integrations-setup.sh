#!/usr/bin/env bash
# Installs the real clients the integration tests (cmd/seaworthy,
# internal/cli's completion script) run seaworthy through, when missing:
#   - pre-commit, bash-completion, fish and zsh, Debian packages, with
#     apt-get (root);
#   - actionlint, with `go install` from the Go module proxy, into
#     $(go env GOPATH)/bin, where the tests look for it;
#   - chromium (Debian), which renders audit's HTML report in a test;
#   - the docker CLI's buildx plugin (BuildKit builds in audit's engine
#     tests), with `go install` of buildx v0.19.3 copied to
#     ~/.docker/cli-plugins/docker-buildx.
# The docker CLI comes with scripts/engine-setup.sh (docker.io).
set -euo pipefail

log() { echo "integrations-setup: $*" >&2; }

actionlint_version=v1.7.12
gobin="$(go env GOBIN)"
gobin="${gobin:-$(go env GOPATH)/bin}"
if ! command -v actionlint >/dev/null 2>&1 && [ ! -x "$gobin/actionlint" ]; then
  log "installing actionlint $actionlint_version with go install"
  go install "github.com/rhysd/actionlint/cmd/actionlint@$actionlint_version"
fi

missing=()
command -v pre-commit >/dev/null 2>&1 || missing+=(pre-commit)
[ -f /usr/share/bash-completion/bash_completion ] || missing+=(bash-completion)
command -v fish >/dev/null 2>&1 || missing+=(fish)
command -v zsh >/dev/null 2>&1 || missing+=(zsh)
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing+=(chromium)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    log "missing ${missing[*]}; run this script as root to install them with apt-get"
    exit 1
  fi
  log "installing ${missing[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

buildx_version=v0.19.3
plugins="${DOCKER_CONFIG:-${HOME:-/root}/.docker}/cli-plugins"
if [ ! -x "$plugins/docker-buildx" ]; then
  log "installing buildx $buildx_version with go install as $plugins/docker-buildx"
  go install "github.com/docker/buildx/cmd/buildx@$buildx_version"
  mkdir -p "$plugins"
  cp "$gobin/buildx" "$plugins/docker-buildx"
fi
