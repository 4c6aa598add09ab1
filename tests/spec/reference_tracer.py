#!/usr/bin/env python3
"""An independent reading of TRACING.md, written apart from fanzha's C++ tracer: a plain replay
of every transfer of a world's CSV files, with lots per account as the specification describes
them. It traces cases of a world with fifo, lifo and haircut and compares held accounts, exits and
dust, to the fen, with `fanzha trace --json` on the same world.

    reference_tracer.py FANZHA WORLD_DIR STORE [CASES]

WORLD_DIR holds accounts.csv, transfers.csv (times with an offset) and cases.jsonl as FORMATS.md
defines them; STORE is the same world imported into a fanzha store. Exit status 1 on any
difference."""
import csv, json, subprocess, sys
from collections import deque
from datetime import datetime
from decimal import Decimal

EXIT_KINDS = {"merchant", "platform", "exchange"}


def fen(text):
    return int((Decimal(text or "0") * 100).to_integral_exact())


def load(world):
    kinds, opening = {}, {}
    with open(f"{world}/accounts.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            kinds[row["account"]] = row.get("kind") or "unknown"
            opening[row["account"]] = fen(row.get("opening_balance"))
    transfers = []
    with open(f"{world}/transfers.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            when = datetime.fromisoformat(row["time"]).timestamp()
            transfers.append((round(when * 1000), row["id"].encode(), row["id"], row["from"], row["to"],
                              fen(row["amount"]), row.get("channel") or "transfer"))
    transfers.sort(key=lambda t: (t[0], t[1]))  # (time, id as bytes)
    return kinds, opening, transfers


def split(n, weights):
    """TRACING.md "Splitting in proportion": floors, then the largest remainders, earlier first."""
    total = sum(weights)
    parts = [n * w // total for w in weights]
    order = sorted(range(len(weights)), key=lambda i: (-(n * weights[i] % total), i))
    for i in order[: n - sum(parts)]:
        parts[i] += 1
    return parts


def take(lots, policy, n):
    """Takes n fen out of an account's lots ([amount, origin, hop], oldest first); returns the
    parts in the order taken, as (amount, origin, hop at the receiver); origin None is clean."""
    parts = []
    have = sum(l[0] for l in lots)
    if policy == "haircut":
        groups = {}
        for amount, origin, hop in lots:
            key = (0, "", 0) if origin is None else (1, origin, hop)
            groups[key] = groups.get(key, 0) + amount
        keys = sorted(k for k, v in groups.items() if v > 0)  # clean first, then (origin, hop)
        if n >= have:  # every group whole, the rest from unknown clean funds
            shares = [groups[k] for k in keys]
            parts.append((n - have + sum(groups[k] for k in keys if k[0] == 0), None, 0))
        else:
            shares = split(n, [groups[k] for k in keys])
        lots.clear()
        for k, share in zip(keys, shares):
            if n < have and share:
                parts.append((share, None, 0) if k[0] == 0 else (share, k[1], k[2] + 1))
            elif n >= have and k[0] == 1:
                parts.append((share, k[1], k[2] + 1))
            if groups[k] > share:
                lots.append([groups[k] - share, None if k[0] == 0 else k[1], k[2]])
        return [p for p in parts if p[0] > 0]
    left = n
    while left > 0 and lots:
        lot = lots[0] if policy == "fifo" else lots[-1]
        t = min(left, lot[0])
        parts.append((t, lot[1], 0 if lot[1] is None else lot[2] + 1))
        lot[0] -= t
        left -= t
        if lot[0] == 0:
            lots.popleft() if policy == "fifo" else lots.pop()
    if left > 0:
        parts.append((left, None, 0))
    return parts


def trace(kinds, opening, transfers, case, policy, max_hops=8):
    seeds = set(case["transfers"])
    lots = {a: deque([[b, None, 0]]) if b > 0 else deque() for a, b in opening.items()}
    held_by = {}
    exits, dust = {}, 0  # dust stays 0: no --min-amount here
    for _, _, tid, frm, to, amount, channel in transfers:
        if frm:
            parts = take(lots.setdefault(frm, deque()), policy, amount)
        else:
            parts = [(amount, None, 0)]
        if tid in seeds:
            parts = [(a, case["id"], 1) if o is None else (a, o, h) for a, o, h in parts]
        if not to:
            for a, o, h in parts:
                if o is not None:
                    exits[(frm, "withdrawal")] = exits.get((frm, "withdrawal"), 0) + a
            continue
        kind = kinds.get(to, "unknown")
        if kind in EXIT_KINDS:
            for a, o, h in parts:
                if o is not None:
                    exits[(to, kind)] = exits.get((to, kind), 0) + a
            continue
        dest = lots.setdefault(to, deque())
        for a, o, h in parts:
            if o is not None and h > max_hops:
                exits[(to, "hop_limit")] = exits.get((to, "hop_limit"), 0) + a
                o = None
            dest.append([a, o, h if o is not None else 0])
    for account, account_lots in lots.items():
        t = sum(a for a, o, h in account_lots if o is not None)
        if t:
            held_by[account] = t
    return held_by, exits, dust


def main():
    fanzha, world, store = sys.argv[1:4]
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 20
    kinds, opening, transfers = load(world)
    cases = [json.loads(l) for l in open(f"{world}/cases.jsonl", encoding="utf-8")]
    cases = sorted((c for c in cases if c.get("transfers")), key=lambda c: c["id"])[:n]
    differ = 0
    for policy in ("fifo", "lifo", "haircut"):
        for case in cases:
            held, exits, dust = trace(kinds, opening, transfers, case, policy)
            out = subprocess.run([fanzha, "trace", "--db", store, "--case", case["id"], "--policy", policy,
                                  "--json"], capture_output=True, text=True, check=True).stdout
            got = json.loads(out)
            got_held = {h["account"]: fen(h["amount"]) for h in got["held"]}
            got_exits = {(e["account"], e["kind"]): fen(e["amount"]) for e in got["exits"]}
            if got_held != held or got_exits != exits or fen(got["dust"]) != dust:
                differ += 1
                wrong = sorted(a for a in set(held) | set(got_held) if held.get(a) != got_held.get(a))
                print(f"{policy} {case['id']}: held differs at {wrong[:5]}; exits "
                      f"{'equal' if got_exits == exits else 'differ'}")
    print(f"reference tracer: {3 * len(cases) - differ} of {3 * len(cases)} traces equal to the fen")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
