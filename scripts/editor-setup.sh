#!/usr/bin/env bash
# Installs what the editor test of `seaworthy lsp` (lsp/nvim_test.go) needs:
# Neovim, from Debian's packages, when it is not on PATH already.
# SEAWORTHY_SKIP_EDITOR_TESTS=1 skips the install, and the test then skips.
set -euo pipefail

log() { echo "editor-setup: $*" >&2; }

if [ "${SEAWORTHY_SKIP_EDITOR_TESTS:-}" = 1 ]; then
  log "SEAWORTHY_SKIP_EDITOR_TESTS=1: editor tests will skip"
  exit 0
fi
if command -v nvim >/dev/null 2>&1; then
  log "neovim present: $(nvim --version | head -1)"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  log "nvim missing; run this script as root to install Debian's neovim with apt-get"
  exit 1
fi
log "installing neovim with apt-get"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends neovim >&2
log "installed: $(nvim --version | head -1)"
