#!/bin/sh
# The catalogue against the reference server with --junit: the JUnit file
# is valid against the committed XSD, and check_junit.py finds its suites,
# testcases, verdict mapping and counts equal to the JSON result's. usage:
#   junit_test.sh SIOSPEC JUNIT.xsd [siospec run options...]
set -u
siospec=$1 xsd=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$siospec" run --target sio4 -q --json "$out/result.json" --junit "$out/junit.xml" "$@"
rc=$?
[ $rc -le 1 ] || { echo "junit_test: siospec run exited $rc"; exit 1; }
[ -s "$out/junit.xml" ] || { echo "junit_test: no JUnit file written"; exit 1; }
xmllint --noout --schema "$xsd" "$out/junit.xml" || exit 1
python3 "$here/check_junit.py" "$out/result.json" "$out/junit.xml"
