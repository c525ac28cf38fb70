# Shared helpers for Junction's scripts (sourced, not run).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="/opt/swift/usr/bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root to run: $* (install sudo or run as root)"; fi
}

# Installs the Debian packages given that are not installed yet.
apt_install() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing Debian packages: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

require_swift() {
  command -v swift >/dev/null || die "Swift 6 is not installed: install the Swift 6 toolchain for Debian 12 from https://www.swift.org/install/linux/ (expected at /opt/swift)"
  swift --version 2>&1 | grep -q "Swift version 6" || die "Swift 6 is required, found: $(swift --version 2>&1 | head -1)"
}

# What building Junction needs.
install_build_dependencies() {
  require_swift
  apt_install libcurl4-openssl-dev pkg-config ca-certificates
}

# --- helpers for the test peers in scripts/peers/ ---

# A free TCP port on loopback.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Writes a self-signed certificate for 127.0.0.1/localhost to DIR/tls/{cert,key}.pem once.
make_certificate() {
  local dir="$1/tls"
  mkdir -p "$dir"
  [ -s "$dir/cert.pem" ] && return 0
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=localhost" \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
  chmod 644 "$dir/cert.pem" "$dir/key.pem"
}

# With OWNER_PID set, a watchdog runs `$0 stop DIR` once that process (a test run) is gone.
start_watchdog() {
  [ -n "${OWNER_PID:-}" ] || return 0
  setsid bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 1; done; bash "$2" stop "$3"' \
    _ "$OWNER_PID" "$(cd "$(dirname "$0")" && pwd)/$(basename "$0")" "$1" \
    </dev/null >/dev/null 2>&1 &
}
