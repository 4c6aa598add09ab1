#!/usr/bin/env bash
# The command line speaks the user's language: every command a centre runs in a day, with
# --lang zh-CN, shows no English words besides ids, codes and what the user typed; with --lang en,
# no Chinese sentence. Errors too. The same bar as the browser test's for a page
# (language_words.py). Usage: language.sh FANZHA
set -euo pipefail
FANZHA=$(realpath "$1")
HERE=$(dirname "$(realpath "$0")")
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W"
export FANZHA_NO_PROGRESS=1 FANZHA_AUDIT_KEY="$W/audit.key" FANZHA_AUDIT_HEADS="$W/audit.heads"
# What the test gives and the output shows back as it is: the world's folder, the generator's
# shape, a user of the store and the one running the commands (language_words.py).
export LANGUAGE_DATA="w gen li $(id -un)"
failures=0

# check LANG NAME COMMAND...: runs COMMAND with --lang LANG (stdout and stderr), whatever its exit
# code, and reads what it wrote. With DATA_OUT=1 its stdout is data (JSON lines) and only stderr
# is read.
check() {
  local lang=$1 name=$2
  shift 2
  if [ "${DATA_OUT:-0}" = 1 ]; then
    "$FANZHA" --lang "$lang" "$@" 2> "out.$name.$lang" > /dev/null || true
  else
    "$FANZHA" --lang "$lang" "$@" > "out.$name.$lang" 2>&1 || true
  fi
  if ! python3 "$HERE/language_words.py" "${lang%%-*}" "out.$name.$lang" > found.txt; then
    echo "FAIL: fanzha $* (--lang $lang) shows: $(tr '\n' '|' < found.txt)" >&2
    sed 's/^/    /' "out.$name.$lang" | head -12 >&2
    failures=$((failures + 1))
  fi
}
both() { check zh-CN "$@"; check en "$@"; }

both gen gen --out w --seed 3 --transfers 3000 --cases 12
both import import --db s.db w/accounts.csv w/transfers.csv w/cases.jsonl
CASE=$(head -1 w/cases.jsonl | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
REGION=$(head -1 w/cases.jsonl | python3 -c 'import json,sys; print(json.load(sys.stdin)["region"])')
printf 'pw-li-123456\n' | "$FANZHA" user add li --role centre --db s.db > /dev/null

both stats stats --db s.db
both trace trace --db s.db --case "$CASE"
both trace-haircut trace --db s.db --case "$CASE" --policy haircut
both reach reach --db s.db --case "$CASE"
both link link --db s.db
both link-case link --db s.db --case "$CASE"
both search search --db s.db "$CASE"
ACCOUNT=$("$FANZHA" freeze plan --db s.db --case "$CASE" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["accounts"][0]["account"])')
both profile profile --db s.db "$ACCOUNT"
both freeze-plan freeze plan --db s.db --case "$CASE"
both freeze-order freeze order --db s.db --case "$CASE"
both freeze-list freeze list --db s.db
both freeze-due freeze due --db s.db
both dispatch dispatch --db s.db --now 2020-03-02T09:00:00+08:00
both leads leads --db s.db
both takedown takedown --db s.db --make
# Screening writes each warning as a JSON line (FORMATS.md): its messages are on stderr.
DATA_OUT=1 both warn warn --db s.db w/events.jsonl
both warn-queue warn queue --db s.db --region "$REGION"
both case-queue case queue --db s.db --limit 5
both case-timeline case timeline --db s.db --case "$CASE"
both case-process case process --db s.db --case "$CASE"
both case-due case due --db s.db
both notifications notifications --db s.db --user li
# An entry's detail is stored as its action wrote it: only the English listing is held to its bar.
check en audit-list audit list --db s.db --limit 5
both audit-verify audit verify --db s.db
both report-daily report daily --db s.db --out daily.html

# Every option of every command says what it does, in either language: in `--help-all`, an
# option's line (its name, type and default) is followed by its description on the same line or
# on the next, deeper-indented one.
for lang in zh-CN en; do
  "$FANZHA" --lang "$lang" --help-all > "help.$lang" 2>&1 || true
  if ! python3 - "help.$lang" > undescribed.txt <<'PY'
import re, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
spec = re.compile(r"^ {2,6}(-[\w-]+(?:,--?[\w-]+)*(?: [A-Z]+(?:=\S*)?(?: \.\.\.)?)?(?: \(.*\))?)\s*$")
bad = [m.group(1) for i, l in enumerate(lines) if (m := spec.match(l)) and
       not re.match(r"^ {20,}\S", lines[i + 1] if i + 1 < len(lines) else "")]
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
  then
    echo "FAIL: options without a description (--lang $lang): $(tr '\n' ' ' < undescribed.txt)" >&2
    failures=$((failures + 1))
  fi
done

# Errors: a store that is not there, a case that is not there, money that is not money.
both no-store stats --db missing.db
both no-case trace --db s.db --case C999999
both bad-amount freeze move --db s.db --order F999999 --to executed --amount 12,3x
both bad-region case queue --db s.db --region 杭州

# The server: an error's text in the language the browser asks for (Accept-Language).
mkdir web
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$FANZHA" serve --db s.db --port "$PORT" --web web > serve.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$W"' EXIT
for _ in $(seq 100); do curl -s "http://127.0.0.1:$PORT/api/health" > /dev/null && break; sleep 0.1; done
TOKEN=$(curl -s -X POST "http://127.0.0.1:$PORT/api/login" -d '{"user":"li","password":"pw-li-123456"}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
# answer LANG NAME METHOD PATH [BODY]: the "text" of the server's error answer.
answer() {
  local lang=$1 name=$2 method=$3 path=$4 body=${5:-}
  curl -s -X "$method" -H "Authorization: Bearer $TOKEN" -H "Accept-Language: $lang" \
    ${body:+-d "$body"} "http://127.0.0.1:$PORT$path" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["text"])' > "out.api-$name.$lang" 2>&1 || true
  if ! python3 "$HERE/language_words.py" "${lang%%-*}" "out.api-$name.$lang" > found.txt; then
    echo "FAIL: $method $path (Accept-Language $lang) answers: $(cat "out.api-$name.$lang")" >&2
    failures=$((failures + 1))
  fi
}
api() { answer zh-CN "$@"; answer en "$@"; }
api no-case GET /api/cases/C999999
api bad-case POST /api/cases '{"case":{"id":"X1","region":"杭州","reported_at":"yesterday"}}'
api bad-json POST /api/cases '{"case":'
api no-order POST /api/freeze-orders/999999/move '{"to":"executed","amount":"12,3x"}'
api bad-query GET '/api/cases?sort=nonsense'
api bad-search GET '/api/search?q='
api no-route GET /api/nothing-here
api bad-lead POST /api/leads/999999/feedback '{"status":"nonsense"}'
api bad-user POST /api/users '{"name":"x","role":"king","password":"short"}'

if [ "$failures" -gt 0 ]; then
  echo "$failures outputs are not in the language asked for" >&2
  exit 1
fi
echo "every output in the language asked for"
