#!/bin/bash
# expect_refusal.sh CMAKE COMPOSER CASE: the composer must refuse the schema folders under CASE and
# say why, as CASE/expected_error has it.
set -u
cmake=$1 composer=$2 case=$3
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
if "$cmake" -DROOT="$case" -DOUT="$out/migrations.inc" -P "$composer" 2>"$out/err"; then
  echo "composed $case, which it must refuse:" && cat "$out/migrations.inc"
  exit 1
fi
expected=$(cat "$case/expected_error")
if ! tr -s ' \n' ' ' <"$out/err" | grep -qF -- "$expected"; then
  echo "refused $case without saying: $expected" && cat "$out/err"
  exit 1
fi
[ ! -e "$out/migrations.inc" ] || { echo "wrote a list although it refused"; exit 1; }
