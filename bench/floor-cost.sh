#!/usr/bin/env bash
# Instructions per warm request (callgrind) of a client on the bench's tasks: bench/instructions.ts run twice, with
# N1 and N2 units of 100 requests (retrieve) or 20 pages (paginate, 2,000 items of 100), the difference divided by
# the difference in requests. Needs bench/.build, which every bench mode builds (`npm run bench -- --only floor --quick`).
# Usage: [BUILD=dir] bash bench/floor-cost.sh KIND TASK [WARM] [N1] [N2] (BUILD: another build than bench/.build)
set -euo pipefail
kind=$1 task=$2 warm=${3:-20} n1=${4:-2} n2=${5:-6}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
script="${BUILD:-$(dirname "$0")/.build}/bench/instructions.js"
count() {
  env -u NODE_EXTRA_CA_CERTS valgrind --tool=callgrind --callgrind-out-file="$dir/cg.$1" \
    node --predictable --single-threaded "$script" "$kind" "$task" "$warm" "$1" >/dev/null 2>"$dir/log.$1" ||
    { cat "$dir/log.$1" >&2; exit 1; }
  grep -o 'Collected : [0-9]*' "$dir/log.$1" | grep -o '[0-9]*'
}
a=$(count "$n1")
b=$(count "$n2")
per=$([ "$task" = retrieve ] && echo 100 || echo 20)
echo "$kind $task: $(( (b - a) / ((n2 - n1) * per) )) instructions per request ($a at $n1, $b at $n2)"
