#!/usr/bin/env bash
# BANKING77 benchmark of the skill classifier: 10-fold cross-validation on the training split
# (clean and with typos), training time on all 10,003 rows, time per classification.
# Usage: bench/banking77/run.sh [path/to/train.csv]   (from the repository root or anywhere)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
data="${1:-$root/../shared/data/banking77/train.csv}"
if [[ ! -f "$data" ]]; then
  echo "BANKING77 training split not found at $data" >&2
  exit 1
fi
export PATH="/opt/swift/usr/bin:$PATH"
swift build -c release --product junction-bench 2>&1 | grep -E "error|warning: var" || true
mkdir -p bench/results
"$(swift build -c release --show-bin-path)/junction-bench" banking77 "$data" --out bench/results \
  | tee "bench/results/banking77-latest.txt"
