#!/usr/bin/env bash
# `npm run test:slow`: every real-component suite in turn (property, bad-input, fault, attack, contract, help-examples, browser,
# packaging, runtimes, spend, org, terminal (zsh, fish, tmux); then mutation: StrykerJS on the modules of test/mutation/stryker.config.cjs, see scripts/slow/mutation.sh),
# then the Node matrix when NODE_MATRIX=1. Each suite prints "<suite>: N passed, M failed"; this script repeats those
# lines at the end and fails if any suite failed. Needs `npm run build` first (browser and packaging use dist/).
set -uo pipefail
cd "$(dirname "$0")/../.."
started=$(date +%s)
node=${NODE_BIN:-node}
jest=node_modules/jest/bin/jest.js
log=$(mktemp)
trap 'rm -f "$log"' EXIT
failed=()

for suite in ${SLOW_SUITES:-property bad-input fault attack contract help-examples browser packaging runtimes spend org terminal mutation}; do
  echo; echo "=== slow suite: $suite ($(( $(date +%s) - started )) s)"
  if [ "$suite" = "mutation" ]; then
    # Stryker, not jest: scripts/slow/mutation.sh prints the same summary line.
    if bash scripts/slow/mutation.sh 2>&1 | tee -a "$log"; then :; else failed+=("$suite"); fi
    continue
  fi
  if "$node" "$jest" -c "test/slow/jest.$suite.config.cjs" 2>&1 | tee -a "$log"; then :; else failed+=("$suite"); fi
done

if [ "${NODE_MATRIX:-0}" = "1" ]; then
  echo; echo "=== node matrix ($(( $(date +%s) - started )) s)"
  bash scripts/slow/matrix.sh 2>&1 | tee -a "$log" || failed+=("matrix")
fi

echo; echo "=== slow suites summary ($(( $(date +%s) - started )) s)"
grep -E '^[a-z-]+( \([^)]*\))?: [0-9]+ passed, [0-9]+ failed' "$log" || true
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed: ${failed[*]}" >&2
  exit 1
fi
