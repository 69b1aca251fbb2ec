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
