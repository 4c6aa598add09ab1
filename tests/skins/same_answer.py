#!/usr/bin/env python3
"""The CLI and the server give the same JSON for the same question.

A generated world is imported into a temporary store and its books are filled through the CLI
(freeze orders, a sent one, one executed so that money is frozen, leads, takedown requests,
warnings screened from the world's events). A `fanzha serve` on the same store then takes a case
posted to it (sharing a phone with a stored case, paying into one of its accounts) and answers GET
/api/stats, GET /api/clusters, the return plan of the frozen account, GET /api/leads and a region's
GET /api/warnings; after it stops, `fanzha stats --json`, `fanzha link --json`, `fanzha return plan
--json`, `fanzha leads --json` and `fanzha warn queue --json` must give the same documents. Both skins call the same layer (app/stats.h, app/freeze.h,
link/json.h over the stored clusters), and the posted case must be linked as an imported one is: a
skin that computed a figure of its own, or forgot to link, would show here.

Usage: same_answer.py FANZHA
"""
import json
import os
import pwd
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

FANZHA = os.path.realpath(sys.argv[1])
ENV = dict(os.environ, FANZHA_NO_PROGRESS="1")


def run(*args, stdin=None):
    done = subprocess.run([FANZHA, *args], input=stdin, capture_output=True, text=True, env=ENV)
    if done.returncode != 0:
        sys.exit(f"fanzha {' '.join(args)} failed ({done.returncode}): {done.stderr}")
    return done.stdout


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(base, method, path, body=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=30) as answer:
        return json.loads(answer.read())


def fill_books(tmp, db):
    world = os.path.join(tmp, "world")
    run("gen", "--out", world, "--seed", "23", "--transfers", "6000", "--cases", "24")
    run("import", "--db", db, *(os.path.join(world, f) for f in ("accounts.csv", "transfers.csv", "cases.jsonl")))
    first_case = json.loads(open(os.path.join(world, "cases.jsonl"), encoding="utf-8").readline())["id"]
    orders = json.loads(run("freeze", "order", "--db", db, "--case", first_case, "--json"))["orders"]
    if not orders:
        sys.exit(f"no freeze order for case {first_case}: the books would stay empty")
    run("freeze", "move", "--db", db, "--order", str(orders[0]["id"]), "--to", "sent")
    run("freeze", "move", "--db", db, "--order", str(orders[0]["id"]), "--to", "executed",
        "--amount", orders[0]["amount"])
    run("dispatch", "--db", db, "--now", "2020-03-01T09:00:00+08:00")
    run("takedown", "--db", db, "--make")
    run("warn", "--db", db, os.path.join(world, "events.jsonl"))  # screened, the warnings stored
    # The command line audits its changes as the server does, each in the change's transaction.
    entries = [json.loads(line) for line in run("audit", "list", "--db", db, "--json").splitlines()]
    actions = [(e["user"], e["action"], e["target"]) for e in entries]
    order = f"order {orders[0]['id']}"
    ME = pwd.getpwuid(os.geteuid()).pw_name  # the command line audits who ran it
    for wanted in [(ME, "freeze.draft", first_case),
                   (ME, "freeze.move", order)]:
        if wanted not in actions:
            sys.exit(f"no audit entry {wanted} for a change made on the command line: {actions}")
    done_here = {(user, action) for user, action, _ in actions}
    for action in ("lead.dispatch", "takedown.create"):
        if (ME, action) not in done_here:
            sys.exit(f"no audit entry {action} for a change made on the command line: {actions}")
    if actions.count((ME, "freeze.move", order)) != 2:
        sys.exit(f"two moves of {order}, not two audit entries: {actions}")
    run("audit", "verify", "--db", db)
    return orders[0]["account"]


def posted_case(world):
    """A case reported through the server: a new victim's payment into the account of the first
    stored case that names one, and that case's phone."""
    for line in open(os.path.join(world, "cases.jsonl"), encoding="utf-8"):
        known = json.loads(line)
        phones = [i for i in known["identifiers"] if i["type"] == "phone"]
        accounts = [i for i in known["identifiers"] if i["type"] == "account"]
        if phones and accounts:
            break
    else:
        sys.exit("no case names a phone and an account: nothing to link the posted case to")
    mule = "".join(ch for ch in accounts[0]["value"] if ch.isdigit())
    case = {"id": "POSTED0001", "reported_at": known["reported_at"], "region": known["region"],
            "category": known["category"], "loss": "3000.00", "narrative": "posted through the server",
            "victim": {"name": "posted", "phone": "13900000001", "account": "6200000000000000001"},
            "transfers": ["POSTED-T1"], "identifiers": [phones[0]]}
    payment = {"id": "POSTED-T1", "time": known["reported_at"], "from": "6200000000000000001",
               "to": mule, "amount": "3000.00", "channel": "transfer", "memo": ""}
    return {"case": case, "transfers": [payment], "reason": "same-answer test"}, known["id"]


def served(tmp, db, world, frozen_account):
    run("user", "add", "same", "--role", "centre", "--db", db, stdin="same-answer-pw\n")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([FANZHA, "serve", "--db", db, "--port", str(port), "--web", tmp],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=ENV)
    try:
        for _ in range(600):
            if server.poll() is not None:
                sys.exit(f"fanzha serve exited ({server.returncode}): {server.stderr.read()}")
            try:
                http(base, "GET", "/api/health")
                break
            except OSError:
                time.sleep(0.1)
        token = http(base, "POST", "/api/login", {"user": "same", "password": "same-answer-pw"})["token"]
        body, linked_to = posted_case(world)
        posted = http(base, "POST", "/api/cases", body, token=token)
        if posted != {"case": "POSTED0001", "created": True, "transfers_added": 1,
                      "ledger_version": posted.get("ledger_version")}:
            sys.exit(f"POST /api/cases answered {posted}")
        warnings = http(base, "GET", "/api/warnings?limit=1", token=token)["warnings"]
        if not warnings:
            sys.exit("no warning stored: the comparison of the queues would not cover it")
        region = warnings[0]["region"]
        queue = http(base, "GET", f"/api/warnings?region={region}&limit=1000", token=token)
        return (body, http(base, "GET", "/api/stats", token=token),
                http(base, "GET", "/api/clusters", token=token), linked_to,
                http(base, "GET", f"/api/accounts/{frozen_account}/return-plan?reason=same-answer",
                     token=token),
                http(base, "GET", "/api/leads", token=token), (region, queue))
    finally:
        server.terminate()
        server.wait(timeout=30)


def differences(a, b, path=""):
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                yield f"{path}/{key}: only in the {'server' if key in b else 'CLI'}'s answer"
            else:
                yield from differences(a[key], b[key], f"{path}/{key}")
    elif a != b:
        yield f"{path}: CLI {a!r}, server {b!r}"


def compare(what, cli, server):
    wrong = list(differences(cli, server))
    if wrong:
        sys.exit(f"the CLI and the server answer {what} differently:\n  " + "\n  ".join(wrong))


def main():
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "w.db")
        frozen_account = fill_books(tmp, db)
        before = json.loads(run("stats", "--db", db, "--json"))
        report, stats, clusters, linked_to, return_plan, leads, (region, queue) = served(
            tmp, db, os.path.join(tmp, "world"), frozen_account)
        # The CLI only reads now: the server linked the posted case and saved its cluster.
        cli_stats = json.loads(run("stats", "--db", db, "--json"))
        cli_clusters = json.loads(run("link", "--db", db, "--json"))
        compare("GET /api/stats", cli_stats, stats)
        compare("GET /api/clusters", cli_clusters, clusters)
        cli_return = json.loads(run("return", "plan", "--db", db, "--account", frozen_account, "--json"))
        compare("the return plan", cli_return, return_plan)
        cli_leads = [json.loads(l) for l in run("leads", "--db", db, "--json").splitlines()]
        compare("the leads", {"leads": cli_leads}, leads)
        cli_queue = [json.loads(l) for l in run("warn", "--db", db, "queue", "--region", region,
                                                 "--limit", "1000", "--json").splitlines()]
        compare(f"the warning queue of {region}", {"warnings": cli_queue}, queue)
        if not leads["leads"] or not queue["warnings"]:
            sys.exit(f"{len(leads['leads'])} leads, {len(queue['warnings'])} warnings queued: "
                     "the comparison would not cover them")
        # The same report through the command line (app/intake.h): stored already, nothing new.
        again = json.loads(run("case", "add", "--db", db, "-", "--json", stdin=json.dumps(report)))
        compare("a report posted again", again,
                {"case": "POSTED0001", "created": False, "transfers_added": 0})
        report["transfers"][0]["amount"] = "-5"
        bad = subprocess.run([FANZHA, "case", "add", "--db", db, "-"], input=json.dumps(report),
                             capture_output=True, text=True, env=ENV)
        if bad.returncode == 0 or "transfers[0].amount" not in bad.stderr:
            sys.exit(f"a report with a negative amount: exit {bad.returncode}, {bad.stderr}")
        if not return_plan["shares"]:
            sys.exit(f"the return plan of {frozen_account} has no shares: {return_plan}")
        for key in ("freeze_orders", "leads", "link", "takedowns"):
            if not cli_stats.get(key):
                sys.exit(f"'{key}' is empty: the comparison would not cover it")
        if stats["cases"] != before["cases"] + 1:
            sys.exit(f"cases: {before['cases']} before the post, {stats['cases']} after")
        home = [c for c in clusters["clusters"] if "POSTED0001" in c["cases"]]
        if not home or linked_to not in home[0]["cases"]:
            sys.exit(f"the posted case is not in the cluster of {linked_to}: {home}")
        if stats["link"]["linked_cases"] <= before["link"]["linked_cases"]:
            sys.exit(f"linked cases: {before['link']} before the post, {stats['link']} after")
        kinds = {e["kind"] for e in home[0]["evidence"] if "POSTED0001" in e["cases"]}
        print(f"same answer from both skins: {len(cli_stats)} keys, {cli_stats['cases']} cases, "
              f"{cli_stats['freeze']['orders']} orders, {cli_stats['leads']['leads']} leads, "
              f"{len(clusters['clusters'])} clusters; the posted case linked to {linked_to} "
              f"by {', '.join(sorted(kinds))}; the return plan of {frozen_account}: "
              f"{return_plan['rule']}, {len(return_plan['shares'])} shares; "
              f"{len(cli_leads)} leads and {len(cli_queue)} warnings of {region} alike")


main()
