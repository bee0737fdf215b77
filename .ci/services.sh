#!/usr/bin/env bash
# Make sure PostgreSQL runs on 127.0.0.1:5432 (trust auth) for the storage tests.
# A machine of this kind has it; a new one may need it installed and started.
set -euo pipefail

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }

if command -v pg_isready >/dev/null 2>&1 && pg_up; then
  exit 0
fi
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "Installing PostgreSQL..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
fi
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
hba="/etc/postgresql/$version/main/pg_hba.conf"
if ! grep -qE '^host\s+all\s+all\s+127\.0\.0\.1/32\s+trust' "$hba"; then
  sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
  pg_ctlcluster --skip-systemctl-redirect "$version" main reload
fi
