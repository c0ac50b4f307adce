#!/usr/bin/env bash
# Runs the demo pipeline's own test suite and ends with one plain line "N passed, N failed"
# that a cutover's test gate can parse. Usage: demo/run-tests.sh [--quick] [jest args] Exit status is jest's (0 only if everything passed).
set -uo pipefail
cd "$(dirname "$0")/.."
report="$(mktemp -t demo-jest-XXXXXX.json)"
trap 'rm -f "$report"' EXIT
# --quick: the pipeline's computation and storage tests only (no service processes), for
# gates that run on every cutover; the full suite also starts V1/V2 and exercises every fault.
targets=(demo/test)
if [ "${1:-}" = "--quick" ]; then
  shift
  targets=(demo/test/kpi-parity.test.ts demo/test/kpi-definitions.test.ts demo/test/storage-formats.test.ts
    demo/test/portfolio-generator.test.ts demo/test/row-faults-and-integrity.test.ts)
fi
node_modules/.bin/jest --ci --rootDir . --json --outputFile="$report" "${targets[@]}" "$@"
status=$?
if [ -s "$report" ]; then
  node -e 'const r = require(process.argv[1]); console.log(`${r.numPassedTests} passed, ${r.numFailedTests + r.numRuntimeErrorTestSuites} failed`);' "$report"
else
  echo "0 passed, 1 failed"
fi
exit $status
