#!/usr/bin/env bash
# Tools that only one slow suite (or the bench) uses, installed into that suite's own temp prefix on first use — never
# devDependencies of the project, where every contributor's `npm install` would fetch them (bun, deno and workerd alone
# are ~355 MB). The same pattern as scripts/slow/matrix.sh (Node 22/24) and mutation.sh (Stryker).
#
#   bash scripts/slow/suite-tools.sh <suite>...     suites: runtimes, contract, packaging, bench
#   bash scripts/slow/suite-tools.sh --dir <suite>  prints the suite's prefix (its tools are in <prefix>/node_modules)
#
# Versions are exact pins (a suite's results must not change under it); each prefix gets a package.json naming them
# and the `allowScripts` entries (npm 11; name-only, as `npm install-scripts approve` writes them: the versions are
# pinned above) for the install scripts that fetch the runtimes' binaries. A prefix whose
# last complete install had the same package.json is left as it is. SUITE_TOOLS_PREFIX overrides the location (default
# /tmp/openai-admin-suite-tools).
set -euo pipefail

tools_of() {
  case "$1" in
    # The runtimes suite (test/slow/runtimes): the runtimes themselves, from npm.
    runtimes) echo '"bun": "1.4.5", "deno": "2.9.6", "workerd": "1.20261117.1"' ;;
    # The contract suite (test/slow/contract): Prism serves the spec as a validating mock.
    contract) echo '"@stoplight/prism-cli": "5.14.2"' ;;
    # The packaging suite (test/slow/packaging): attw lints the tarball's types (publint stays a devDependency: 0.4 MB).
    packaging) echo '"@arethetypeswrong/cli": "0.18.5"' ;;
    # `npm run bench`: the openai package, the client it compares against (needs Node ≥ 22 by its engines field, yet
    # runs on 20: the bench uses it as it is, and its install does not warn contributors).
    bench) echo '"openai": "7.57.0"' ;;
    *) echo "unknown suite '$1' (runtimes, contract, packaging, bench)" >&2; return 2 ;;
  esac
}

scripts_of() {
  case "$1" in
    runtimes) echo '"bun": true, "deno": true, "workerd": true' ;;
    contract | packaging | bench) echo '' ;;
  esac
}

root="${SUITE_TOOLS_PREFIX:-/tmp/openai-admin-suite-tools}"
if [ "${1:-}" = "--dir" ]; then
  tools_of "$2" >/dev/null
  echo "$root/$2"
  exit 0
fi
[ $# -gt 0 ] || { echo "usage: $0 <suite>... (runtimes, contract, packaging, bench)" >&2; exit 2; }

for suite in "$@"; do
  deps=$(tools_of "$suite")
  prefix="$root/$suite"
  manifest=$(printf '{\n  "name": "openai-admin-%s-tools",\n  "private": true,\n  "dependencies": { %s },\n  "allowScripts": { %s }\n}\n' \
    "$suite" "$deps" "$(scripts_of "$suite")")
  # The stamp is written after a complete install: one cut short (SIGKILL, no network) is redone next time.
  if [ -f "$prefix/.installed" ] && [ "$(cat "$prefix/.installed")" = "$manifest" ]; then continue; fi
  echo "installing the $suite suite's tools into $prefix: $deps"
  mkdir -p "$prefix"
  rm -f "$prefix/.installed"
  printf '%s\n' "$manifest" >"$prefix/package.json"
  npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error
  printf '%s\n' "$manifest" >"$prefix/.installed"
done
