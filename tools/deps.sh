#!/usr/bin/env bash
# Installs the Debian packages kerbsim builds with, if any is missing. Sourced by run.sh and test.sh.
kerbsim_install_deps() {
  local packages=(cmake g++ make libboost-program-options-dev libboost-graph-dev nlohmann-json3-dev catch2 "$@")
  local missing=()
  for p in "${packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing missing packages: ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# Node.js and npm, for the PowerShell grammar test of the fix scripts (tests/report/ps1), if missing.
kerbsim_install_node() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 && return 0
  kerbsim_install_deps nodejs npm
}

# Installs the grammar test's npm packages (pinned by tests/report/ps1/package-lock.json) into dir, once:
# again only when the lock file changes. No install scripts run: the grammar is loaded as WebAssembly.
kerbsim_install_ps1_grammar() {
  local dir="$1" here
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/report/ps1"
  mkdir -p "$dir"
  if [ -d "$dir/node_modules" ] && cmp -s "$here/package-lock.json" "$dir/package-lock.json"; then
    return 0
  fi
  cp "$here/package.json" "$here/package-lock.json" "$dir/"
  (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
}
