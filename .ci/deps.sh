# Sourced by .ci/run and conf/run-demo.sh: installs, with apt, the Debian 12
# packages minzheng needs to build and test, but only those not installed
# yet, so that a second run costs one dpkg-query.
mz_packages=(
  meson ninja-build gcc libc6-dev pkg-config binutils python3
  libglib2.0-dev libsqlite3-dev libsodium-dev libjson-glib-dev libsoup-3.0-dev
  sqlite3 ca-certificates
)

mz_install_missing_packages () {
  local missing=() p
  for p in "${mz_packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$p")
    fi
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "缺少软件包 missing packages: ${missing[*]}" >&2
    echo "请以 root 运行，或先执行 apt-get install ${missing[*]}" >&2
    return 1
  fi
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
}
