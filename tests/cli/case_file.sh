#!/usr/bin/env bash
# The case file as a user runs it: move a case through the justice process, attach a suspect,
# export its evidence package with the PDF summary (headless Chromium), verify it against the
# platform's key, change one byte of one file and see verify name it, and read the PDF back
# (pdftoppm renders its pages, pdftotext finds its Chinese). Usage: case_file.sh FANZHA
# (exit 77 without Chromium or poppler-utils)
set -euo pipefail
FANZHA=$(realpath "$1")
for tool in chromium pdftoppm pdftotext pdffonts; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed: skipped"; exit 77; }
done
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W"
export FANZHA_NO_PROGRESS=1
fail() { echo "FAIL: $*" >&2; exit 1; }

"$FANZHA" gen --out world --seed 5 --transfers 20000 --cases 40 >/dev/null
"$FANZHA" import --db w.db world/accounts.csv world/transfers.csv world/cases.jsonl >/dev/null
CASE=$(sed -n 's/^{"id":"\([^"]*\)".*/\1/p' world/cases.jsonl | head -1)

# The justice process: forward with documents, a move back recorded as one, bad moves refused.
"$FANZHA" case move --db w.db --case "$CASE" --to 立案 --document "杭公立字〔2026〕118号" >/dev/null
"$FANZHA" case move --db w.db --case "$CASE" --to sent_to_prosecution --document "起诉意见书 7" >/dev/null
if "$FANZHA" case move --db w.db --case "$CASE" --to investigating 2>err.txt; then
  fail "a move back without its reason is refused"
fi
grep -q "退回" err.txt || fail "the refusal says why, in Chinese: $(cat err.txt)"
"$FANZHA" case move --db w.db --case "$CASE" --to investigating --note 退回补充侦查 >/dev/null
"$FANZHA" case suspect --db w.db --case "$CASE" --name 张某 --role organiser \
  --detained-at 2026-11-30T10:00:00+08:00 >/dev/null
"$FANZHA" case process --db w.db --case "$CASE" --json > process.json
python3 - process.json <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
assert p["stage"] == "investigating", p["stage"]
assert [m["back"] for m in p["moves"]] == [False, False, True], p["moves"]
assert p["suspects"][0]["role"] == "organiser"
assert any(d["what"] == "arrest_request" for d in p["deadlines"]), p["deadlines"]
PY

# The package, signed, verified against the platform's key.
KEY=$("$FANZHA" case key --db w.db)
[ ${#KEY} -eq 64 ] || fail "the public key is 64 hex digits: $KEY"
"$FANZHA" case export --db w.db --case "$CASE" --out pkg --json > export.json
"$FANZHA" case verify pkg --key "$KEY" > verify.txt || fail "a fresh package verifies: $(cat verify.txt)"
grep -q "签名与各文件 SHA-256 均一致" verify.txt || fail "verify says so in Chinese"
python3 - export.json pkg <<'PY'
import json, sys, hashlib, os
e = json.load(open(sys.argv[1])); d = sys.argv[2]
paths = {f["path"] for f in e["files"]}
for p in ["report.json", "trace/fifo.json", "orders.json", "links.json", "stages.json",
          "audit.json", "summary.html", "summary.pdf"]:
    assert p in paths, p
m = json.load(open(os.path.join(d, "manifest.json")))
for f in m["files"]:  # anyone can check the digests with their own tools
    assert hashlib.sha256(open(os.path.join(d, f["path"]), "rb").read()).hexdigest() == f["sha256"]
stages = json.load(open(os.path.join(d, "stages.json")))
assert stages["moves"][2]["back"] is True
audit = json.load(open(os.path.join(d, "audit.json")))
assert any(x["action"] == "case.stage" for x in audit["entries"]), "the moves are audited"
PY

# The PDF: pages render, its text is Chinese, its fonts are embedded.
pdftoppm -r 40 -png pkg/summary.pdf page
ls page-*.png >/dev/null 2>&1 || fail "pdftoppm renders the PDF's pages"
pdftotext pkg/summary.pdf summary.txt
grep -q "案件证据材料摘要" summary.txt || fail "the PDF's text is Chinese"
grep -q "资金现存" summary.txt || fail "the PDF holds the table of held money"
if pdffonts pkg/summary.pdf | awk 'NR>2 && $(NF-4) != "yes"' | grep -q .; then
  fail "every font of the PDF is embedded"
fi

# One changed byte: verify fails and names the file.
python3 - pkg/trace/fifo.json <<'PY'
import sys
p = sys.argv[1]; b = bytearray(open(p, "rb").read()); b[len(b) // 2] ^= 1; open(p, "wb").write(b)
PY
if "$FANZHA" case verify pkg --key "$KEY" > bad.txt; then fail "a changed package does not verify"; fi
grep -q "trace/fifo.json" bad.txt || fail "verify names the changed file: $(cat bad.txt)"
grep -q "校验未通过" bad.txt || fail "and says so in Chinese"

# An export never overwrites, and a case that does not exist is named.
if "$FANZHA" case export --db w.db --case "$CASE" --out pkg --no-pdf 2>err.txt; then
  fail "an export into a package folder is refused"
fi
if "$FANZHA" case export --db w.db --case NO-SUCH --out x --no-pdf 2>err.txt; then
  fail "an unknown case is refused"
fi
grep -q "NO-SUCH" err.txt || fail "the unknown case is named"
# The dashboard's download: the same package as a .zip, through the server, for a centre user.
echo "case-file-pw" | "$FANZHA" user add centre --role centre --db w.db >/dev/null
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$FANZHA" serve --db w.db --port "$PORT" --web "$W" >serve.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$W"' EXIT
python3 - "$PORT" "$CASE" <<'PY'
import json, sys, time, urllib.request, urllib.error, zipfile, io
port, case = sys.argv[1], sys.argv[2]
base = f"http://127.0.0.1:{port}"
def call(method, path, body=None, token=None):
    req = urllib.request.Request(base + path, method=method,
                                 data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Content-Type": "application/json",
                                          **({"Authorization": "Bearer " + token} if token else {})})
    with urllib.request.urlopen(req, timeout=120) as a:
        return a.status, a.headers, a.read()
for _ in range(300):
    try:
        call("GET", "/api/health"); break
    except Exception:
        time.sleep(0.1)
_, _, body = call("POST", "/api/login", {"user": "centre", "password": "case-file-pw"})
token = json.loads(body)["token"]
try:
    call("GET", f"/api/cases/{case}/export", token=token)
    sys.exit("an export without a reason is refused")
except urllib.error.HTTPError as e:
    assert e.code == 400, e.code
status, headers, body = call("GET", f"/api/cases/{case}/export?reason=prosecution", token=token)
assert headers["Content-Type"] == "application/zip", headers["Content-Type"]
assert "attachment" in headers["Content-Disposition"]
zipfile.ZipFile(io.BytesIO(body)).extractall("from-server")
status, _, body = call("POST", f"/api/cases/{case}/stage", {"to": "verdict", "document": "判决书 3"}, token)
assert status == 201 and json.loads(body)["to"] == "verdict"
PY
"$FANZHA" case verify "from-server/$CASE" --key "$KEY" >/dev/null || fail "the server's package verifies"
echo "case file: ok"
