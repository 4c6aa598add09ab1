#!/bin/bash
# expect_findings.sh CHECK TREE EXPECTED: the check, run on the test input TREE, must fail and print
# exactly EXPECTED (so that it can fail, and fails for the right reasons).
set -u
out=$(python3 "$1" "$2")
rc=$?
if [ "$rc" != 1 ]; then
  echo "$1 exited $rc on $2, not 1:" && echo "$out"
  exit 1
fi
diff <(echo "$out") "$3" || { echo "$1 on $2 did not find what $3 lists"; exit 1; }
