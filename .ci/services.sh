#!/usr/bin/env bash
# What the tests need beside Python, on a fresh machine of this kind:
# - PostgreSQL on 127.0.0.1:5432 (trust auth) for the storage tests;
# - Debian's chromium for the console's browser test (Playwright drives it; a test
#   tool's own browser download does not work here);
# - Debian's fonts-noto-cjk, so the browser test's screenshots of the Chinese console
#   show characters rather than boxes.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then apt-get update -qq; apt_updated=1; fi
  apt-get install -y -qq "$@" >/dev/null
}

ensure_chromium() {
  if ! command -v chromium >/dev/null 2>&1; then
    echo "Installing chromium..."
    apt_install chromium
  fi
}

ensure_cjk_fonts() {
  if ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then
    echo "Installing fonts-noto-cjk..."
    apt_install fonts-noto-cjk
  fi
}

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }

ensure_postgres() {
  if command -v pg_isready >/dev/null 2>&1 && pg_up; then
    return 0
  fi
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "Installing PostgreSQL..."
    apt_install postgresql
  fi
  local version
  version="$(ls /etc/postgresql | sort -V | tail -n1)"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do
    pg_up && break
    sleep 1
  done
  if ! pg_up; then
    echo "PostgreSQL did not start on 127.0.0.1:5432" >&2
    exit 1
  fi
  # Tests connect as postgres without a password over TCP.
  local hba="/etc/postgresql/$version/main/pg_hba.conf"
  if ! grep -qE '^host\s+all\s+all\s+127\.0\.0\.1/32\s+trust' "$hba"; then
    sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
    pg_ctlcluster --skip-systemctl-redirect "$version" main reload
  fi
}

ensure_postgres
ensure_chromium
ensure_cjk_fonts
