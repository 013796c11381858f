#!/bin/sh
# Installs, when missing, the Debian 12 packages kestrel's build, examples and tests need.
# Usage: sh cmake/install-deps.sh [extra-package ...]   (as root, or with sudo available)
set -eu
packages="cmake ninja-build g++ libeigen3-dev libxsimd-dev catch2 $*"
missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing
