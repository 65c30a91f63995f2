#!/usr/bin/env bash
# Installs the Debian packages of the system programs the tests need (.ci/system-deps.tsv), only
# those missing. As root it installs them; otherwise it prints the exact command and exits 1.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
need=()
while IFS=$'\t' read -r program package _; do
  case "$program" in ''|'#'*) continue ;; esac
  command -v "$program" >/dev/null 2>&1 || need+=("$package")
done < "$here/system-deps.tsv"
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "missing system packages: ${need[*]} — install with: sudo apt-get install -y --no-install-recommends ${need[*]}" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "missing system packages: ${need[*]} — this is not a Debian system: install them with its package manager" >&2
  exit 1
fi
echo "installing missing system packages: ${need[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
