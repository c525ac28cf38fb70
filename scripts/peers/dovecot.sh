#!/usr/bin/env bash
# Test peer: a private Dovecot IMAP server on loopback (no systemd), for JunctionCurl's IMAP tests
# and the email channel's end-to-end tests.
#
#   dovecot.sh install           installs Debian's dovecot-imapd, openssl and a `vmail` user
#   dovecot.sh start DIR         starts an instance configured under DIR and prints
#                                IMAP_PORT=… IMAPS_PORT=… IMAP_USER=… IMAP_PASSWORD=…
#                                MAIL_ROOT=… CA_FILE=… AUTH_SOCKET=… (MAIL_ROOT/<user> is the
#                                user's Maildir); starting again after `stop` reuses the ports
#   dovecot.sh stop DIR          stops it
#
# Environment for `start`: IMAP_USER (default `test`), IMAP_USERS (more users, space-separated,
# same password), IMAP_PASSWORD (default `secret`), MAIL_ROOT (default DIR/mail; Postfix's peer
# can deliver into the same Maildirs), OWNER_PID (stop when that process exits).
source "$(dirname "$0")/../lib.sh"

case "${1:-}" in
install)
  apt_install dovecot-imapd openssl
  id vmail >/dev/null 2>&1 || as_root useradd -r -M -d /nonexistent -s /usr/sbin/nologin vmail
  ;;
start)
  dir="${2:?usage: dovecot.sh start DIR}"
  command -v dovecot >/dev/null || die "dovecot is not installed: run scripts/peers/dovecot.sh install"
  id vmail >/dev/null 2>&1 || die "user vmail is missing: run scripts/peers/dovecot.sh install"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  user="${IMAP_USER:-test}"
  password="${IMAP_PASSWORD:-secret}"
  mail_root="${MAIL_ROOT:-$dir/mail}"
  mkdir -p "$dir/base" "$dir/state" "$mail_root"
  chown vmail:vmail "$mail_root"
  make_certificate "$dir"
  if [ -s "$dir/ports" ]; then
    read -r imap_port imaps_port <"$dir/ports"
  else
    imap_port="$(free_port)"
    imaps_port="$(free_port)"
    while [ "$imaps_port" = "$imap_port" ]; do imaps_port="$(free_port)"; done
    echo "$imap_port $imaps_port" >"$dir/ports"
  fi
  : >"$dir/users"
  for name in $user ${IMAP_USERS:-}; do printf '%s:{PLAIN}%s\n' "$name" "$password" >>"$dir/users"; done
  chmod 644 "$dir/users"
  cat >"$dir/dovecot.conf" <<CONF
protocols = imap
listen = 127.0.0.1
base_dir = $dir/base
state_dir = $dir/state
log_path = $dir/dovecot.log
info_log_path = $dir/dovecot.log
ssl = yes
ssl_cert = <$dir/tls/cert.pem
ssl_key = <$dir/tls/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = dovenull
default_internal_user = dovecot
mail_location = maildir:$mail_root/%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $dir/users
}
userdb {
  driver = static
  args = uid=vmail gid=vmail home=$mail_root/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $imap_port
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $imaps_port
    ssl = yes
  }
}
service auth {
  unix_listener auth-client {
    mode = 0666
  }
}
CONF
  dovecot -c "$dir/dovecot.conf" </dev/null >>"$dir/start.log" 2>&1 ||
    die "dovecot did not start; see $dir/start.log and $dir/dovecot.log"
  for _ in $(seq 1 100); do
    python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$imap_port),1).close()" 2>/dev/null && break
    sleep 0.05
  done
  start_watchdog "$dir"
  echo "IMAP_PORT=$imap_port"
  echo "IMAPS_PORT=$imaps_port"
  echo "IMAP_USER=$user"
  echo "IMAP_PASSWORD=$password"
  echo "MAIL_ROOT=$mail_root"
  echo "CA_FILE=$dir/tls/cert.pem"
  echo "AUTH_SOCKET=$dir/base/auth-client"
  ;;
stop)
  dir="${2:?usage: dovecot.sh stop DIR}"
  if [ -s "$dir/base/master.pid" ]; then
    pid="$(cat "$dir/base/master.pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  fi
  ;;
*)
  die "usage: dovecot.sh install | start DIR | stop DIR"
  ;;
esac
