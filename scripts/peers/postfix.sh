#!/usr/bin/env bash
# Test peer: a private Postfix SMTP server on loopback (no systemd, own configuration and queue
# directories), delivering mail for a test domain into Maildirs that the Dovecot peer serves.
#
#   postfix.sh install        installs Debian's postfix ("No configuration") and openssl
#   postfix.sh start DIR      starts an instance configured under DIR and prints SMTP_PORT=…
#                             SMTP_DOMAIN=… MAIL_ROOT=… CA_FILE=…; a restart reuses the port
#   postfix.sh stop DIR       stops it
#
# Environment for `start`:
#   MAIL_ROOT      Maildir root (default DIR/mail); mail to USER@SMTP_DOMAIN lands in
#                  MAIL_ROOT/USER/ (new/cur/tmp), the layout of dovecot.sh's mail_location
#   SMTP_DOMAIN    the domain delivered locally (default junction.test)
#   SMTP_USERS     space-separated local parts accepted there (default "test")
#   AUTH_SOCKET    a Dovecot auth-client socket: enables SMTP AUTH (PLAIN/LOGIN) through it
#   OWNER_PID      stop the instance once that process (a test run) has exited
# Recipients in the domain `rejected.test` are refused with 550 and `deferred.test` with 451;
# other unknown domains get 554 (relaying denied), unknown users in SMTP_DOMAIN 550.
source "$(dirname "$0")/../lib.sh"

case "${1:-}" in
install)
  if ! dpkg-query -W -f='${Status}' postfix 2>/dev/null | grep -q "install ok installed"; then
    echo "postfix postfix/main_mailer_type select No configuration" | as_root debconf-set-selections
  fi
  apt_install postfix openssl
  id vmail >/dev/null 2>&1 || as_root useradd -r -M -d /nonexistent -s /usr/sbin/nologin vmail
  ;;
start)
  dir="${2:?usage: postfix.sh start DIR}"
  command -v postfix >/dev/null || [ -x /usr/sbin/postfix ] ||
    die "postfix is not installed: run scripts/peers/postfix.sh install"
  id vmail >/dev/null 2>&1 || die "user vmail is missing: run scripts/peers/postfix.sh install"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  domain="${SMTP_DOMAIN:-junction.test}"
  mail_root="${MAIL_ROOT:-$dir/mail}"
  config="$dir/config"
  mkdir -p "$config" "$dir/queue" "$dir/data" "$mail_root"
  chown vmail:vmail "$mail_root"
  chown postfix "$dir/data"
  make_certificate "$dir"
  if [ -s "$dir/port" ]; then port="$(cat "$dir/port")"; else port="$(free_port)"; echo "$port" >"$dir/port"; fi
  : >"$config/vmailbox"
  for user in ${SMTP_USERS:-test}; do echo "$user@$domain $user/" >>"$config/vmailbox"; done
  printf 'rejected.test 550 5.1.2 Recipient domain rejected by policy\ndeferred.test 451 4.3.0 Try again later\n' \
    >"$config/recipient_access"
  sasl=""
  if [ -n "${AUTH_SOCKET:-}" ]; then
    sasl="smtpd_sasl_auth_enable = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = $AUTH_SOCKET"
  fi
  cat >"$config/main.cf" <<CONF
compatibility_level = 3.6
config_directory = $config
queue_directory = $dir/queue
data_directory = $dir/data
mail_owner = postfix
setgid_group = postdrop
maillog_file = $dir/postfix.log
maillog_file_prefixes = $dir
myhostname = mx.$domain
mydomain = $domain
myorigin = $domain
mydestination =
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 192.0.2.1/32
relay_domains =
virtual_mailbox_domains = $domain
virtual_mailbox_base = $mail_root
virtual_mailbox_maps = texthash:$config/vmailbox
virtual_uid_maps = static:$(id -u vmail)
virtual_gid_maps = static:$(id -g vmail)
virtual_transport = virtual
smtpd_relay_restrictions = check_recipient_access texthash:$config/recipient_access, permit_sasl_authenticated, reject_unauth_destination
smtpd_recipient_restrictions = permit
smtpd_tls_security_level = may
smtpd_tls_cert_file = $dir/tls/cert.pem
smtpd_tls_key_file = $dir/tls/key.pem
smtpd_tls_auth_only = no
$sasl
biff = no
smtputf8_enable = yes
CONF
  cat >"$config/master.cf" <<CONF
127.0.0.1:$port inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
CONF
  /usr/sbin/postfix -c "$config" check >>"$dir/start.log" 2>&1 || true
  /usr/sbin/postfix -c "$config" start >>"$dir/start.log" 2>&1 ||
    die "postfix did not start; see $dir/start.log and $dir/postfix.log"
  for _ in $(seq 1 100); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1',$port),1).close()" 2>/dev/null && break
    sleep 0.05
  done
  start_watchdog "$dir"
  echo "SMTP_PORT=$port"
  echo "SMTP_DOMAIN=$domain"
  echo "MAIL_ROOT=$mail_root"
  echo "CA_FILE=$dir/tls/cert.pem"
  ;;
stop)
  dir="${2:?usage: postfix.sh stop DIR}"
  dir="$(cd "$dir" && pwd)"
  [ -f "$dir/config/main.cf" ] && /usr/sbin/postfix -c "$dir/config" stop >>"$dir/start.log" 2>&1 || true
  ;;
*)
  die "usage: postfix.sh install | start DIR | stop DIR"
  ;;
esac
