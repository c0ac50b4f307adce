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
# the formatter does not break strings and comments: product code stays within its width too
wide="$(git ls-files '*.ts' ':!test/**' ':!bench/**' 2>/dev/null | xargs -r awk 'length > 120 {print FILENAME ":" FNR}')"
[ -z "$wide" ] || { echo "lines over 120 columns:" >&2; echo "$wide" >&2; exit 1; }
echo "== jest"
mkdir -p .data
# Every test file has a temp dir of its own, removed after it (test/helpers/temp-dir-environment.ts),
# inside this run's: whatever is left in it afterwards is a test that did not clean up.
run_tmp="$(mktemp -d "${TMPDIR:-/tmp}/cutover-test-run.XXXXXX")"
chmod 711 "$run_tmp"
set +e
# --forceExit: a worker stranded by a hung test must not keep CI waiting after the results are in.
TMPDIR="$run_tmp" node_modules/.bin/jest --json --outputFile=.data/jest-results.json --forceExit \
  --cacheDirectory "$root/.data/jest-cache" "$@"
code=$?
set -e
left="$(find "$run_tmp" -mindepth 1 -maxdepth 1 | head -20)"
if [ -n "$left" ]; then
  echo "the tests left these in the temp dir (a test that does not clean up):" >&2
  echo "$left" >&2
  [ "$code" -ne 0 ] || code=1
fi
rm -rf "$run_tmp"
node -e '
const r = require("./.data/jest-results.json");
const skipped = r.numPendingTests + r.numTodoTests;
console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ""}`);
'
exit $code
