#!/usr/bin/env bash
# Installs what is missing and runs every test: type check, lint, then jest (plan and domain
# rules, activities against real processes and files, the demo pipeline, and the workflows on
# the real Temporal dev server and Java time-skipping server). Extra args go to jest.
# Ends with the plain line "N passed, N failed" that CI reads.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scripts/install-tools.sh
echo "== type check"; node_modules/.bin/tsc -p tsconfig.json
echo "== lint"; node_modules/.bin/eslint --max-warnings 0 .
echo "== format"; node_modules/.bin/prettier --check . >/dev/null || { node_modules/.bin/prettier --list-different .; echo "run: npx prettier --write ." >&2; exit 1; }
echo "== jest"
mkdir -p .data
set +e
# --forceExit: a worker stranded by a hung test must not keep CI waiting after the results are in.
node_modules/.bin/jest --json --outputFile=.data/jest-results.json --forceExit "$@"
code=$?
set -e
node -e '
const r = require("./.data/jest-results.json");
const skipped = r.numPendingTests + r.numTodoTests;
console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ""}`);
'
exit $code
