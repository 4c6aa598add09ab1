#!/usr/bin/env python3
"""The CLI and the server give the same JSON for the same question.

A generated world is imported into a temporary store and its books are filled through the CLI
(freeze orders, a sent one, leads, takedown requests). Then `fanzha stats --json` and GET /api/stats
of a `fanzha serve` on the same store must be the same document: both come from app/stats.h, and a
skin that computed a figure of its own would show here.

Usage: same_answer.py FANZHA
"""
import json
import os
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
    run("dispatch", "--db", db, "--now", "2020-03-01T09:00:00+08:00")
    run("takedown", "--db", db, "--make")


def served_stats(tmp, db):
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
        return http(base, "GET", "/api/stats", token=token)
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


def main():
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "w.db")
        fill_books(tmp, db)
        cli = json.loads(run("stats", "--db", db, "--json"))
        server = served_stats(tmp, db)
        wrong = list(differences(cli, server))
        if wrong:
            sys.exit("the CLI and the server answer differently:\n  " + "\n  ".join(wrong))
        for key in ("freeze_orders", "leads", "link", "takedowns"):
            if not cli.get(key):
                sys.exit(f"'{key}' is empty: the comparison would not cover it")
        print(f"same answer from both skins: {len(cli)} keys, "
              f"{cli['cases']} cases, {cli['freeze']['orders']} orders, {cli['leads']['leads']} leads")


main()
