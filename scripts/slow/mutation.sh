#!/usr/bin/env bash
# The `mutation` slow suite: StrykerJS (jest runner, per-test coverage; test/mutation/stryker.config.cjs) on each
# module of its mutate list in turn, each held to thresholds.break (90 % of mutants killed). Prints one line per
# module and "mutation: N passed, M failed" (a module meeting its threshold passes). Stryker is installed into a
# temp prefix (as matrix.sh installs Node 22/24), never a dependency of this project: it would add ~65 MB to every
# install for one CI step. STRYKER_PREFIX overrides the location (default /tmp/stryker); MUTATE the module list.
set -uo pipefail
cd "$(dirname "$0")/../.."
version=9.6.1
prefix="${STRYKER_PREFIX:-/tmp/stryker}"
bin="$prefix/node_modules/.bin/stryker"
if [ ! -x "$bin" ] || ! grep -q "\"version\": \"$version\"" "$prefix/node_modules/@stryker-mutator/core/package.json" 2>/dev/null; then
  echo "installing @stryker-mutator/core@$version and jest-runner into $prefix"
  npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error \
    "@stryker-mutator/core@$version" "@stryker-mutator/jest-runner@$version" || { echo "mutation: 0 passed, 1 failed"; exit 1; }
fi
# Stryker's core imports typescript from where it is installed: the project's own, not a second copy.
ln -sfn "$PWD/node_modules/typescript" "$prefix/node_modules/typescript"

modules=${MUTATE:-$(node -e "console.log(require('./test/mutation/stryker.config.cjs').mutate.join(' '))")}
passed=0
failed=0
summary=()
for module in $modules; do
  started=$(date +%s)
  echo; echo "--- mutation testing $module"
  log=$(mktemp)
  STRYKER_MODULE="$module" "$bin" run test/mutation/stryker.config.cjs --mutate "$module" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  score=$(grep -oE 'Final mutation score (of )?[0-9.]+' "$log" | grep -oE '[0-9.]+$' || true)
  rm -f "$log"
  line="$module: ${score:-no} % killed ($(( $(date +%s) - started )) s)"
  if [ "$status" = "0" ] && [ -n "$score" ]; then passed=$((passed + 1)); summary+=("  ok      $line")
  else failed=$((failed + 1)); summary+=("  FAILED  $line (threshold 90 %)"); fi
done
rm -rf .stryker-tmp
echo
printf '%s\n' "${summary[@]}"
echo "mutation: $passed passed, $failed failed"
[ "$failed" = "0" ]
