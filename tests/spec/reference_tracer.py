#!/usr/bin/env python3
"""An independent reading of TRACING.md, written apart from fanzha's C++ tracer: a plain replay
of every transfer of a world's CSV files, with lots per account as the specification describes
them. It traces cases of a world with fifo, lifo, haircut and poison and compares held accounts,
exits, flows and dust, to the fen and the hop, with `fanzha trace --json` on the same world; or it
checks the worked trace cases' expected answers (tests/spec/trace-cases) against its own.

    reference_tracer.py FANZHA WORLD_DIR STORE [CASES]
    reference_tracer.py --cases CASES_DIR

WORLD_DIR (and each folder of CASES_DIR) holds accounts.csv, transfers.csv (times with an offset)
and cases.jsonl as FORMATS.md defines them; STORE is the same world imported into a fanzha store.
Fields an expected file leaves out (hops, flows) are not compared. Exit status 1 on any
difference."""
import csv, json, subprocess, sys
from collections import deque
from datetime import datetime
from decimal import Decimal

EXIT_KINDS = {"merchant", "platform", "exchange"}
POLICIES = ("fifo", "lifo", "haircut", "poison")


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


def take_poison(state, n):
    """poison: once money of the seeds has reached an account, all it holds and all it pays is
    tainted (an upper bound). state is [balance, origin or None, fewest hop]."""
    part = (n, state[1], state[2] + 1) if state[1] is not None else (n, None, 0)
    state[0] = max(0, state[0] - n)
    return [part]


def arrive_poison(state, amount, origin, hop):
    state[0] += amount
    if origin is not None and (state[1] is None or hop < state[2]):
        state[1], state[2] = origin, hop


def trace(kinds, opening, transfers, case, policy, max_hops=8):
    """Returns held {account: (fen, hops)}, exits {(account, kind): (fen, hops)}, flows
    {transfer: (from, to, fen, hops)} and dust. hops: the fewest, of the taint held, of the money
    at the exit's account (for a withdrawal the account it left), of the money a flow brought."""
    seeds = set(case["transfers"])
    poison = policy == "poison"
    if poison:
        lots = {a: [b, None, 0] for a, b in opening.items()}
    else:
        lots = {a: deque([[b, None, 0]]) if b > 0 else deque() for a, b in opening.items()}
    exits, flows, dust = {}, {}, 0  # dust stays 0: no --min-amount here

    def exit(account, kind, amount, hop):
        fen_, hops = exits.get((account, kind), (0, hop))
        exits[(account, kind)] = (fen_ + amount, min(hops, hop))

    for _, _, tid, frm, to, amount, channel in transfers:
        if not frm:
            parts = [(amount, None, 0)]
        elif poison:
            parts = take_poison(lots.setdefault(frm, [0, None, 0]), amount)
        else:
            parts = take(lots.setdefault(frm, deque()), policy, amount)
        if tid in seeds:
            parts = [(a, case["id"], 1) if o is None else (a, o, h) for a, o, h in parts]
        tainted = [(a, h) for a, o, h in parts if o is not None and a > 0]
        if tainted:
            flows[tid] = (frm, to, sum(a for a, h in tainted), min(h for a, h in tainted))
        if not to:
            for a, h in tainted:
                exit(frm, "withdrawal", a, h - 1)
            continue
        kind = kinds.get(to, "unknown")
        if kind in EXIT_KINDS:
            for a, h in tainted:
                exit(to, kind, a, h)
            continue
        for a, o, h in parts:
            if o is not None and h > max_hops:
                exit(to, "hop_limit", a, h)
                o = None
            if poison:
                arrive_poison(lots.setdefault(to, [0, None, 0]), a, o, h)
            else:
                lots.setdefault(to, deque()).append([a, o, h if o is not None else 0])
    held = {}
    for account, account_lots in lots.items():
        if poison:
            if account_lots[1] is not None and account_lots[0] > 0:
                held[account] = (account_lots[0], account_lots[2])
            continue
        taint = [(a, h) for a, o, h in account_lots if o is not None and a > 0]
        if taint:
            held[account] = (sum(a for a, h in taint), min(h for a, h in taint))
    return held, exits, flows, dust


def answer_of(doc):
    """A `fanzha trace --json` answer, or an expected file, in the shapes trace() returns; a
    field that the document leaves out (hops, flows) is None."""
    def hops(e):
        return e.get("hops")
    held = {h["account"]: (fen(h["amount"]), hops(h)) for h in doc["held"]}
    exits = {(e["account"], e["kind"]): (fen(e["amount"]), hops(e)) for e in doc["exits"]}
    flows = None
    if "flows" in doc:
        flows = {f["transfer"]: (f["from"], f["to"], fen(f["amount"]), f["hops"]) for f in doc["flows"]}
    return held, exits, flows, fen(doc["dust"])


def differences(mine, theirs):
    """What differs between a reference answer and a document's (answer_of), leaving out what the
    document does not list."""
    held, exits, flows, dust = mine
    t_held, t_exits, t_flows, t_dust = theirs
    out = []
    strip = lambda d, o: {k: (v[0], v[1] if o.get(k, (0, 0))[1] is not None else None)
                          for k, v in d.items()}
    if strip(held, t_held) != t_held:
        out.append("held " + str(sorted(a for a in set(held) | set(t_held)
                                        if strip(held, t_held).get(a) != t_held.get(a))[:5]))
    if strip(exits, t_exits) != t_exits:
        out.append("exits")
    if t_flows is not None and flows != t_flows:
        out.append("flows " + str(sorted(t for t in set(flows) | set(t_flows)
                                         if flows.get(t) != t_flows.get(t))[:5]))
    if dust != t_dust:
        out.append("dust")
    return out


def check_cases(root):
    """Every expected-<case>-<policy>.json of the trace cases under root, against this reading."""
    import glob, os
    failed = checked = 0
    for path in sorted(glob.glob(os.path.join(root, "*", "expected-*.json"))):
        folder = os.path.dirname(path)
        kinds, opening, transfers = load(folder)
        expected = json.load(open(path, encoding="utf-8"))
        case = next(c for c in (json.loads(l) for l in open(f"{folder}/cases.jsonl", encoding="utf-8"))
                    if c["id"] == expected["case"])
        mine = trace(kinds, opening, transfers, case, expected["policy"], expected["max_hops"])
        seed = sum(t[5] for t in transfers if t[2] in case["transfers"])
        wrong = differences(mine, answer_of(expected))
        if seed != fen(expected["seed"]):
            wrong.append("seed")
        checked += 1
        if wrong:
            failed += 1
            print(f"{os.path.relpath(path, root)}: differs in {', '.join(wrong)}")
    print(f"reference tracer: {checked - failed} of {checked} trace cases as expected")
    return failed == 0


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--cases":
        sys.exit(0 if check_cases(sys.argv[2]) else 1)
    fanzha, world, store = sys.argv[1:4]
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 20
    kinds, opening, transfers = load(world)
    cases = [json.loads(l) for l in open(f"{world}/cases.jsonl", encoding="utf-8")]
    cases = sorted((c for c in cases if c.get("transfers")), key=lambda c: c["id"])[:n]
    differ = 0
    for policy in POLICIES:
        for case in cases:
            mine = trace(kinds, opening, transfers, case, policy)
            out = subprocess.run([fanzha, "trace", "--db", store, "--case", case["id"], "--policy", policy,
                                  "--json"], capture_output=True, text=True, check=True).stdout
            wrong = differences(mine, answer_of(json.loads(out)))
            if wrong:
                differ += 1
                print(f"{policy} {case['id']}: differs in {', '.join(wrong)}")
    print(f"reference tracer: {len(POLICIES) * len(cases) - differ} of {len(POLICIES) * len(cases)} "
          "traces equal to the fen and the hop")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
