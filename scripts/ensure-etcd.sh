#!/usr/bin/env bash
# Makes sure an etcd binary is on PATH for the etcd backend's tests.
# As root it installs Debian's etcd-server; otherwise it says how and fails loudly.
set -euo pipefail
if command -v etcd >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "etcd not found: installing Debian's etcd-server and etcd-client" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq etcd-server etcd-client >/dev/null
  # Debian's package may start its own etcd service on 2379; the tests start their own.
  command -v etcd >/dev/null 2>&1 && exit 0
fi
cat >&2 <<'MSG'
error: the test suite needs etcd on PATH (the etcd backend's tests start their own etcd).
Install it, e.g. on Debian/Ubuntu:  sudo apt-get install -y etcd-server etcd-client
MSG
exit 1
