#!/usr/bin/env bash
# Test peer: Python packages the tests use as independent implementations (Standard Webhooks
# signature verification). `python.sh install` installs what is missing.
source "$(dirname "$0")/../lib.sh"

case "${1:-}" in
  install)
    command -v python3 >/dev/null || apt_install python3 python3-pip
    if ! python3 -c 'import standardwebhooks' 2>/dev/null; then
      say "installing Python packages for tests: standardwebhooks"
      python3 -m pip install --quiet --disable-pip-version-check 'standardwebhooks==1.1.0' \
        || python3 -m pip install --quiet --break-system-packages 'standardwebhooks==1.1.0'
    fi
    python3 -c 'import standardwebhooks' || die "standardwebhooks is not importable"
    ;;
  *) die "usage: $0 install" ;;
esac
