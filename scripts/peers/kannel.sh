#!/usr/bin/env bash
# Test peer: a real Kannel SMS gateway (Debian `kannel`: bearerbox, smsbox; `kannel-extras`:
# fakesmsc, Kannel's simulated SMS centre) for Tests/JunctionGatewayTests/KannelGatewayTests.
#
#   kannel.sh install      installs the Debian packages (idempotent)
#   kannel.sh start DIR    starts bearerbox and smsbox with DIR/kannel.conf and a fakesmsc
#                          connected to the fake SMSC; DIR/peer.env names the ports
#                          (ADMIN_PORT, SENDSMS_PORT, SMSC_PORT). Lines written to the FIFO
#                          DIR/fakesmsc.in are sent as mobile-originated messages; fakesmsc
#                          prints what Kannel delivers to phones into DIR/fakesmsc.out.
#   kannel.sh stop DIR     stops what `start DIR` started (by the pids it recorded)
#
# Nothing runs as a system service: the daemons are the test's own, on its own loopback ports.
source "$(dirname "$0")/../lib.sh"

BEARERBOX=/usr/sbin/bearerbox
SMSBOX=/usr/sbin/smsbox
FAKESMSC=/usr/lib/kannel/test/fakesmsc

# Waits up to 20 s for 127.0.0.1:$1 to accept connections.
wait_for_port() {
  for _ in $(seq 1 200); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

# Prints the last lines of the logs in DIR, for a failure message.
show_logs() {
  for log in "$1"/bearerbox.out "$1"/smsbox.out "$1"/fakesmsc.out; do
    if [ -f "$log" ]; then echo "--- $log"; tail -n 15 "$log"; fi
  done >&2
  return 0
}

# Closes the file descriptors this script inherited beyond stdin, stdout and stderr, so the
# daemons started below keep none of the caller's sockets or pipes open.
close_inherited_fds() {
  local fd
  for fd in /proc/$$/fd/*; do
    fd="${fd##*/}"
    case "$fd" in 0 | 1 | 2 | 255) ;; *) eval "exec $fd>&-" 2>/dev/null || true ;; esac
  done
}

start() {
  local dir="$1"
  close_inherited_fds
  [ -f "$dir/kannel.conf" ] || die "$dir/kannel.conf is missing"
  [ -f "$dir/peer.env" ] || die "$dir/peer.env is missing"
  # shellcheck disable=SC1091
  source "$dir/peer.env"
  for binary in "$BEARERBOX" "$SMSBOX" "$FAKESMSC"; do
    [ -x "$binary" ] || die "$binary not found: run scripts/peers/kannel.sh install"
  done
  "$BEARERBOX" -v 1 "$dir/kannel.conf" >"$dir/bearerbox.out" 2>&1 </dev/null &
  echo $! >"$dir/bearerbox.pid"
  wait_for_port "$ADMIN_PORT" || { show_logs "$dir"; die "bearerbox did not open port $ADMIN_PORT"; }
  wait_for_port "$SMSC_PORT" || { show_logs "$dir"; die "the fake SMSC did not open port $SMSC_PORT"; }
  "$SMSBOX" -v 1 "$dir/kannel.conf" >"$dir/smsbox.out" 2>&1 </dev/null &
  echo $! >"$dir/smsbox.pid"
  wait_for_port "$SENDSMS_PORT" || { show_logs "$dir"; die "smsbox did not open port $SENDSMS_PORT"; }
  # One fakesmsc stays connected for the whole test, reading MO lines from a FIFO that a
  # holder process keeps open (so fakesmsc never sees end of input between writes).
  rm -f "$dir/fakesmsc.in"
  mkfifo "$dir/fakesmsc.in"
  "$FAKESMSC" -H 127.0.0.1 -r "$SMSC_PORT" -i 0.01 -m 100000 \
    <"$dir/fakesmsc.in" >"$dir/fakesmsc.out" 2>&1 &
  echo $! >"$dir/fakesmsc.pid"
  sleep 86400 >"$dir/fakesmsc.in" 2>/dev/null </dev/null &
  echo $! >"$dir/fifo-holder.pid"
  for _ in $(seq 1 200); do
    grep -q "Fakesmsc client connected" "$dir/bearerbox.out" && return 0
    sleep 0.1
  done
  show_logs "$dir"
  die "fakesmsc did not connect to bearerbox"
}

stop() {
  local dir="$1" pids=()
  for name in fakesmsc fifo-holder smsbox bearerbox; do
    [ -f "$dir/$name.pid" ] && pids+=("$(cat "$dir/$name.pid")")
  done
  [ ${#pids[@]} -eq 0 ] && return 0
  kill "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "${pids[@]}" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "${pids[@]}" 2>/dev/null || true
  for name in fakesmsc fifo-holder smsbox bearerbox; do rm -f "$dir/$name.pid"; done
}

case "${1:-}" in
  install)
    apt_install kannel kannel-extras
    for binary in "$BEARERBOX" "$SMSBOX" "$FAKESMSC"; do
      [ -x "$binary" ] || die "$binary is missing after installing kannel and kannel-extras"
    done
    ;;
  start) [ -n "${2:-}" ] || die "usage: $0 start DIR"; start "$2" ;;
  stop) [ -n "${2:-}" ] || die "usage: $0 stop DIR"; stop "$2" ;;
  *) die "usage: $0 install | start DIR | stop DIR" ;;
esac
