#!/usr/bin/env bash
# The README's first command, for a fresh Debian 12 machine as root: install
# the packages that are missing, build into build/, load the demonstration
# data into data/ (the store path of conf/minzheng.conf) and print its report
# when this build's mzctl offers `demo` and `report`, then run minzhengd in
# the foreground with all five modules and the embedded SQLite store.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

. .ci/deps.sh
mz_install_missing_packages

if [ ! -f build/build.ninja ]; then
  meson setup build
fi
ninja -C build -j 2

mzctl=build/host/mzctl
daemon=build/host/minzhengd
config=conf/minzheng.conf
for f in "$daemon" "$config"; do
  if [ ! -e "$f" ]; then
    echo "run-demo: $f 不存在 — this checkout does not provide it yet" >&2
    exit 1
  fi
done

# The data folder holds every personal record and the office key: its
# owner's only, as the host makes it when it is missing.
mkdir -p -m 700 data
export MINZHENG_CONFIG="$PWD/$config"

# Optional steps: only run what this build's mzctl actually has.  The demo
# data are 柳城县's figures for the first half of 2021, so the report covers
# that half-year.  A second run finds the demo data already in the store and
# keeps it.
if "$mzctl" demo --help >/dev/null 2>&1; then
  if ! out=$("$mzctl" demo --config "$config" 2>&1); then
    case "$out" in
      *"[import.store_not_empty]"*) echo "演示数据已在库中，不再导入 (demo data already loaded)" ;;
      *) echo "$out" >&2; exit 1 ;;
    esac
  else
    echo "$out"
  fi
fi
if "$mzctl" report --help >/dev/null 2>&1; then
  "$mzctl" report --config "$config" --from 2021-01-01 --to 2021-06-30
fi

echo "starting minzhengd with $config (stop with Ctrl-C)"
exec "$daemon" --config "$config"
