#!/usr/bin/env bash
# Node matrix: the unit and contract suites on Node 22 and 24 (Node 20 is the default node and runs them in the
# main steps). Node 22/24 come from npm's `node` package, installed into a temp prefix — never a dependency of this
# project (it would shadow node in npm scripts). NODE_MATRIX_VERSIONS overrides the list; NODE_MATRIX_PREFIX the
# install location (default /tmp/node<major>).
set -uo pipefail
cd "$(dirname "$0")/../.."
status=0
for major in ${NODE_MATRIX_VERSIONS:-22 24}; do
  prefix="${NODE_MATRIX_PREFIX:-/tmp}/node$major"
  bin="$prefix/node_modules/node/bin/node"
  if [ ! -x "$bin" ]; then
    echo "installing node@$major into $prefix"
    npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "node@$major" || { status=1; continue; }
  fi
  echo "--- node $("$bin" --version)"
  SUITE_NAME="unit (node $major)" "$bin" node_modules/jest/bin/jest.js \
    --reporters=default --reporters=./test/support/summary-reporter.cjs || status=1
  SLOW_SUITE_TAG="node $major" "$bin" node_modules/jest/bin/jest.js -c test/slow/jest.contract.config.cjs || status=1
done
exit $status
