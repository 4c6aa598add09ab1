#!/usr/bin/env python3
"""The server's real answers match their schemas in server/openapi.json.

The dashboard's types are generated from openapi.json (web/src/api.gen.ts), so the description
must say what the server writes. A generated world is imported, its books filled through the CLI
(freeze orders, one executed, leads, takedown requests, warnings), and a `fanzha serve` on that
store answers the main routes; each answer is checked against the schema openapi.json gives for its
route and status, with the subset of OpenAPI 3.0 the file uses (type, properties, required, items,
nullable, enum, allOf, additionalProperties, $ref). Stricter than OpenAPI: a key the server writes
that an object's schema does not name is an error too, unless the schema allows other keys, so
that the description stays complete as well as true.

Usage: answers_match_openapi.py FANZHA OPENAPI_JSON
"""
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

FANZHA = os.path.realpath(sys.argv[1])
SPEC = json.load(open(sys.argv[2], encoding="utf-8"))
ENV = dict(os.environ, FANZHA_NO_PROGRESS="1")
TYPES = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}


def resolve(schema):
    while "$ref" in schema:
        ref = schema["$ref"]
        if not ref.startswith("#/"):
            raise ValueError(f"only local references are read: {ref}")
        schema = SPEC
        for part in ref[2:].split("/"):
            schema = schema[part]
    return schema


def named(schema):
    """The keys an object's schema names, through allOf."""
    schema = resolve(schema)
    keys = set(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        keys |= named(part)
    return keys


def open_ended(schema):
    schema = resolve(schema)
    return schema.get("additionalProperties") not in (None, False) or \
        any(open_ended(p) for p in schema.get("allOf", []))


def check(value, schema, where, errors, strict=True):
    """Appends to errors each way value breaks schema; strict: no key the schema does not name."""
    schema = resolve(schema)
    if value is None:
        if not schema.get("nullable"):
            errors.append(f"{where}: null, and the schema is not nullable")
        return
    for part in schema.get("allOf", []):
        check(value, part, where, errors, strict=False)
    kind = schema.get("type")
    if kind is not None and not TYPES[kind](value):
        errors.append(f"{where}: {type(value).__name__} {json.dumps(value)[:60]}, the schema says {kind}")
        return
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{where}: {value!r} is not one of {schema['enum']}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            check(item, schema["items"], f"{where}[{i}]", errors)
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                errors.append(f"{where}: no '{key}', which the schema requires")
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for key, v in value.items():
            if key in props:
                check(v, props[key], f"{where}.{key}", errors)
            elif isinstance(extra, dict):
                check(v, extra, f"{where}.{key}", errors)
        if strict and (props or "allOf" in schema) and not open_ended(schema):
            for key in sorted(set(value) - named(schema)):
                errors.append(f"{where}: '{key}' is not in the schema")


def route_of(method, path):
    """The path of openapi.json that path answers to: the one with fewest parameters."""
    bare = path.split("?")[0]
    found = []
    for template, ops in SPEC["paths"].items():
        pattern = "^" + re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, bare) and method.lower() in ops:
            found.append((template.count("{"), template))
    if not found:
        sys.exit(f"openapi.json has no {method} {bare}")
    return min(found)[1]


def schema_of(method, path, status):
    template = route_of(method, path)
    responses = SPEC["paths"][template][method.lower()]["responses"]
    answer = responses.get(str(status))
    if answer is None:
        sys.exit(f"{method} {path} answered {status}, which openapi.json does not list for {template}")
    return template, answer["content"]["application/json"]["schema"]


def self_test():
    """The checker finds what it must (else every answer would pass)."""
    order = {"$ref": "#/components/schemas/Order"}
    bad = {"id": "7", "status": "lost", "deadline": None, "invented": 1}
    errors = []
    check(bad, order, "order", errors)
    wanted = ["order.id: str", "order.status: 'lost'", "no 'case'", "'invented' is not in the schema"]
    for w in wanted:
        if not any(w in e for e in errors):
            sys.exit(f"the checker missed {w!r} in {bad}: {errors}")
    errors = []
    check({"clusters": [{"id": "K1"}], "hubs": None}, {"$ref": "#/components/schemas/Links"}, "links", errors)
    if not any("links.hubs: null" in e for e in errors) or not any("links.clusters[0]: no 'cases'" in e for e in errors):
        sys.exit(f"the checker missed a null list or a missing key in a list's item: {errors}")


def run(*args, stdin=None):
    done = subprocess.run([FANZHA, *args], input=stdin, capture_output=True, text=True, env=ENV)
    if done.returncode != 0:
        sys.exit(f"fanzha {' '.join(args)} failed ({done.returncode}): {done.stderr}")
    return done.stdout


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    def __init__(self, base):
        self.base, self.token, self.checked, self.errors = base, None, [], []

    def call(self, method, path, body=None, statuses=(200,), raw=None):
        headers = {"Content-Type": "application/json" if raw is None else "application/pdf"}
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        data = raw if raw is not None else json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=60) as answer:
                status, text = answer.status, answer.read()
        except urllib.error.HTTPError as e:
            status, text = e.code, e.read()
        value = json.loads(text)
        if status not in statuses:
            sys.exit(f"{method} {path} answered {status}: {value}")
        template, schema = schema_of(method, path, status)
        errors = []
        check(value, schema, f"{method} {template} ({status})", errors)
        self.errors += errors
        self.checked.append(f"{method} {template}")
        return value


def fill_books(tmp, db):
    world = os.path.join(tmp, "world")
    run("gen", "--out", world, "--seed", "11", "--transfers", "6000", "--cases", "24")
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
    warnings = [json.loads(line) for line in run("warn", "--db", db, os.path.join(world, "events.jsonl")).splitlines()
                if line.startswith("{")]
    if not warnings:
        sys.exit("the world's events gave no warning: the hotline queue would go unchecked")
    run("user", "add", "centre", "--role", "centre", "--db", db, stdin="answers-centre-pw\n")
    run("user", "add", "auditor", "--role", "auditor", "--db", db, stdin="answers-auditor-pw\n")
    return first_case, orders[0], warnings[0]["region"]


def main():
    self_test()
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "w.db")
        case, order, warn_region = fill_books(tmp, db)
        port = free_port()
        server = subprocess.Popen([FANZHA, "serve", "--db", db, "--port", str(port), "--web", tmp],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=ENV)
        try:
            c = Client(f"http://127.0.0.1:{port}")
            for _ in range(600):
                if server.poll() is not None:
                    sys.exit(f"fanzha serve exited ({server.returncode}): {server.stderr.read()}")
                try:
                    c.call("GET", "/api/health")
                    break
                except OSError:
                    time.sleep(0.1)
            c.token = c.call("POST", "/api/login", {"user": "centre", "password": "answers-centre-pw"})["token"]
            c.call("GET", "/api/me")
            listed = c.call("GET", "/api/cases?limit=5")
            c.call("GET", f"/api/cases/{case}")
            c.call("GET", f"/api/cases/{case}/trace?reason=schema-test")
            c.call("GET", f"/api/cases/{case}/trace?reason=schema-test&flows_limit=3")
            c.call("GET", f"/api/cases/{case}/freeze-plan?reason=schema-test")
            drafted = c.call("POST", f"/api/cases/{listed['cases'][1]['id']}/freeze-orders",
                             {"reason": "schema test"}, statuses=(201,))
            # An order sent and executed now runs its legal clock from now (a freeze: six months).
            fresh = drafted["orders"][0]
            c.call("POST", f"/api/freeze-orders/{fresh['id']}/move", {"to": "sent"})
            c.call("POST", f"/api/freeze-orders/{fresh['id']}/move", {"to": "executed", "amount": fresh["amount"]})
            orders = c.call("GET", "/api/freeze-orders")
            c.call("GET", f"/api/freeze-orders/{order['id']}")
            c.call("GET", f"/api/freeze-orders/{order['id']}/history")
            due = c.call("GET", "/api/freeze-orders/due?within=200d")
            c.call("GET", f"/api/accounts/{order['account']}/return-plan?reason=schema-test")
            links = c.call("GET", "/api/clusters")
            queue = c.call("GET", f"/api/warnings?region={warn_region}")
            c.call("GET", "/api/stats")
            for by in ("day", "region", "category"):
                c.call("GET", f"/api/stats/breakdown?by={by}")
            c.call("GET", "/api/stats/daily")
            leads = c.call("GET", "/api/leads")
            takedowns = c.call("GET", "/api/takedowns")
            c.call("POST", f"/api/cases/{case}/takedowns", {}, statuses=(200, 201))
            c.call("POST", f"/api/cases/{case}/stage", {"to": "opened", "document": "杭公立字〔2020〕1号"},
                   statuses=(201,))
            c.call("POST", f"/api/cases/{case}/suspects",
                   {"name": "张某", "role": "organiser", "detained_at": "2020-02-09T10:00:00+08:00"},
                   statuses=(201,))
            c.call("POST", f"/api/cases/{case}/suspects", {"name": "李某"}, statuses=(201,))
            process = c.call("GET", f"/api/cases/{case}/process")
            c.call("POST", f"/api/cases/{case}/assign", {"officer": "centre", "note": "值班"}, statuses=(201,))
            c.call("POST", f"/api/cases/{case}/notes", {"text": "受害人补充材料"}, statuses=(201,))
            c.call("POST", f"/api/cases/{case}/attachments?kind=legal_document&name=doc.pdf",
                   raw=b"%PDF-1.4 test", statuses=(201,))
            work = c.call("GET", f"/api/cases/{case}/work")
            timeline = c.call("GET", f"/api/cases/{case}/timeline")
            c.call("GET", "/api/cases?officer=me&sort=loss_desc&stage=opened")
            profile = c.call("GET", f"/api/profile?type=account&value={order['account']}")
            c.call("POST", "/api/users", {"name": "li", "role": "investigator", "region": "330100",
                                          "password": "answers-li-pw"}, statuses=(201,))
            c.call("POST", "/api/users/li/disable", {})
            c.call("POST", "/api/users/li/enable", {})
            users = c.call("GET", "/api/users")
            found = c.call("GET", f"/api/search?q={case}")
            c.call("GET", "/api/statement-queries")
            c.call("GET", "/api/interchange")
            c.token = c.call("POST", "/api/login", {"user": "auditor", "password": "answers-auditor-pw"})["token"]
            audit = c.call("GET", "/api/audit")
            c.call("GET", "/api/audit/verify")
        finally:
            server.terminate()
            server.wait(timeout=30)
        # Lists that came back empty would leave their items' schemas unchecked.
        for what, items in [("cases", listed["cases"]), ("drafted orders", drafted["orders"]),
                            ("orders", orders["orders"]), ("due orders", due["orders"]),
                            ("clusters", links["clusters"]), ("warnings", queue["warnings"]),
                            ("leads", leads["leads"]), ("takedowns", takedowns["takedowns"]),
                            ("audit entries", audit["entries"]), ("moves", process["moves"]),
                            ("suspects", process["suspects"]), ("clocks", process["deadlines"]),
                            ("search hits", found["cases"]), ("assignments", work["assignments"]),
                            ("notes", work["notes"]), ("attachments", work["attachments"]),
                            ("timeline events", timeline["events"]),
                            ("orders on an account", profile["orders"]), ("users", users["users"]),
                            ("counterparties", (profile["money"] or {}).get("counterparties"))]:
            if not items:
                sys.exit(f"no {what} in the answers: their schema went unchecked")
        if c.errors:
            sys.exit(f"{len(c.errors)} ways the server's answers differ from openapi.json:\n  " +
                     "\n  ".join(c.errors[:80]))
        print(f"answers match openapi.json: {len(c.checked)} answers of {len(set(c.checked))} routes")


main()
