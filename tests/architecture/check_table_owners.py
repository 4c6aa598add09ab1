#!/usr/bin/env python3
"""Each table is queried by its owner only (store/schema.h, docs/ARCHITECTURE.md "Who owns a table").

    check_table_owners.py [ROOT]

Reads the owners from ROOT/<module>/schema/*.sql: a table belongs to the module whose migration
creates it (CREATE TABLE or VIEW; a table renamed keeps its owner, ALTER TABLE a RENAME TO b), or
to the module a migration's header names ("-- owned by takedown: takedowns"). Then reads the SQL
of every C++ source under ROOT (its string literals, adjacent ones joined) and names each source
outside store/ and outside the table's owner that writes FROM/JOIN/INTO/UPDATE/TABLE <table>.
store/ is the database layer: its imports in bounded transactions tag and remove the rows of every
record table. Exits 1 when it finds one. Test inputs (folders named testdata) are not read.
"""
import os
import re
import sys

# Tests of other modules that must read or write a table directly, and why. Code and benchmarks
# have no exceptions: they ask the owner's API.
EXCEPTIONS = {
    # The report's oracle: every figure is checked against a plain query of the tables, so that
    # the test does not check the books' code against itself.
    'report/report_test.cc': 'checks the report against plain queries of the tables it reports',
    # Someone holding the store file edits an audit entry: Verify must find it. No API edits one.
    'server/server_test.cc': 'tampers with the audit log as someone with the file would',
    # An attacker, or a kill -9 inside a change: the rows every table holds afterwards (a change
    # and its audit entry both or neither), and edits no API makes (expired sessions, a dropped
    # table that must not leak the file's name).
    'tests/security/auth_security_test.cc': 'checks the rows a killed or refused change left',
    # Exactly once across killed bank nodes and a JetStream failover: the rows of every module's
    # tables in three processes' stores, including those no API lists whole (a bank's requests).
    'tests/interchange/interchange_nats_test.cc': 'counts the rows of every process, exactly once',
}

SOURCE_EXTENSIONS = ('.cc', '.h', '.cpp', '.hpp')
SKIP_DIRS = {'.git', 'node_modules', 'testdata'}

CREATE = re.compile(r'\bCREATE\s+(?:TABLE|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?"?(\w+)', re.I)
RENAME = re.compile(r'\bALTER\s+TABLE\s+"?(\w+)"?\s+RENAME\s+TO\s+"?(\w+)', re.I)
OWNED_BY = re.compile(r'^-- owned by (\w+): (.+)$')
NAMES = re.compile(r'\b(FROM|JOIN|INTO|UPDATE|TABLE)\s+"?(\w+)')
# A C++ token that matters here: a comment, a raw string, a string, a character literal.
TOKEN = re.compile(r'//[^\n]*|/\*.*?\*/|R"([^(\s]*)\((.*?)\)\1"|"((?:[^"\\\n]|\\.)*)"|\'(?:[^\'\\\n]|\\.)*\'',
                   re.S)


def owners_of(root):
    owners = {}
    files = []
    for module in sorted(os.listdir(root)):
        folder = os.path.join(root, module, 'schema')
        if os.path.isdir(folder):
            files += [(name, module, os.path.join(folder, name)) for name in os.listdir(folder)
                      if name.endswith('.sql')]
    for _, module, path in sorted(files):  # in version order
        with open(path, encoding='utf-8') as f:
            text = f.read()
        claimed = {}
        for line in text.split('\n')[1:]:
            if not line.startswith('--'):
                break
            m = OWNED_BY.match(line)
            if m:
                for table in re.split(r'[,\s]+', m.group(2).strip()):
                    claimed[table] = m.group(1)
        for m in re.finditer(r'%s|%s' % (CREATE.pattern, RENAME.pattern), text, re.I):
            if m.group(1):
                owners.setdefault(m.group(1), claimed.get(m.group(1), module))
            else:
                old, new = m.group(2), m.group(3)
                owners.setdefault(new, owners.get(old, module))
        for table, module in claimed.items():
            owners[table] = module
    return owners


def sql_strings(text):
    """The string literals of C++ source text, adjacent ones joined, with their line numbers."""
    out = []
    last_end = None
    for m in TOKEN.finditer(text):
        if m.group(0).startswith(('//', '/*', "'")):
            continue
        value = m.group(2) if m.group(0).startswith('R"') else m.group(3)
        line = text.count('\n', 0, m.start()) + 1
        if out and last_end is not None and text[last_end:m.start()].strip() == '':
            out[-1] = (out[-1][0], out[-1][1] + value)
        else:
            out.append((line, value))
        last_end = m.end()
    return out


def violations(root):
    owners = owners_of(root)
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and
                         not os.path.exists(os.path.join(folder, d, 'CMakeCache.txt')))
        for name in sorted(files):
            if not name.endswith(SOURCE_EXTENSIONS):
                continue
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, root).replace(os.sep, '/')
            module = rel.split('/')[0]
            if module == 'store' or rel in EXCEPTIONS:
                continue
            with open(path, encoding='utf-8', errors='replace') as f:
                text = f.read()
            for line, value in sql_strings(text):
                for m in NAMES.finditer(value):
                    table = m.group(2)
                    owner = owners.get(table)
                    if owner and owner != module:
                        found.append('%s:%d: names table %s (%s %s), which %s/ owns: ask %s/ instead'
                                     % (rel, line, table, m.group(1), table, owner, owner))
    return found


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..')
    root = os.path.abspath(root)
    if not owners_of(root):
        print('no tables declared under %s/*/schema/' % root)
        return 1
    found = violations(root)
    for v in found:
        print(v)
    if found:
        print('%d names of a table in SQL outside its owner (store/schema.h)' % len(found))
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
