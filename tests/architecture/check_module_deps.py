#!/usr/bin/env python3
"""Each module's build file names every module it uses (docs/ARCHITECTURE.md).

    check_module_deps.py [ROOT]

A module is a folder of ROOT whose CMakeLists.txt declares libraries with fanzha_add_module(NAME
SOURCES ... DEPS ...) (target_link_libraries(fanzha_NAME ...) adds to the DEPS). For every library,
each #include "X/..." of another module X in its sources (the .cc files it lists and the headers
beside them of the same name; a header with no such .cc counts for every library of its folder,
any of which may name X) must be matched by a library of X among its DEPS. Tests (*_test.cc, and
files only fanzha_add_test lists) may include more: their own DEPS give them what they use. Exits 1
naming each include whose module the DEPS do not name.
"""
import os
import re
import sys

CALL = re.compile(r'\b(fanzha_add_module|target_link_libraries)\s*\(([^)]*)\)', re.S)
INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]+"([A-Za-z0-9_]+)/[^"]+"', re.M)
KEYWORDS = {'SOURCES', 'DEPS', 'PUBLIC', 'PRIVATE', 'INTERFACE'}


def libraries(root):
    """{target: (folder, [sources], {deps})} of every fanzha_add_module under ROOT/*/."""
    libs = {}
    for folder in sorted(os.listdir(root)):
        path = os.path.join(root, folder, 'CMakeLists.txt')
        if not os.path.isfile(path):
            continue
        with open(path, encoding='utf-8') as f:
            text = re.sub(r'#[^\n]*', '', f.read())
        for call, args in CALL.findall(text):
            words = args.split()
            if call == 'fanzha_add_module':
                target, part, sources, deps = 'fanzha_' + words[0], None, [], set()
                for w in words[1:]:
                    if w in KEYWORDS:
                        part = w
                    elif part == 'SOURCES' and '$' not in w:
                        sources.append(w)
                    elif part == 'DEPS':
                        deps.add(w)
                libs[target] = (folder, sources, deps)
            elif words and words[0] in libs:
                libs[words[0]][2].update(w for w in words[1:] if w not in KEYWORDS)
    return libs


def includes(path):
    """The modules a file includes ("X/..."), with the line of each."""
    with open(path, encoding='utf-8', errors='replace') as f:
        text = f.read()
    return [(m.group(1), text.count('\n', 0, m.start()) + 1) for m in INCLUDE.finditer(text)]


def findings(root):
    libs = libraries(root)
    modules = {}  # folder -> its libraries
    for target, (folder, _, _) in libs.items():
        modules.setdefault(folder, set()).add(target)
    out = []
    for folder in sorted(modules):
        base = os.path.join(root, folder)
        listed = {}  # source file (relative to the folder) -> the library that lists it
        for target in modules[folder]:
            for s in libs[target][1]:
                listed[os.path.normpath(s)] = target
        stems = {os.path.splitext(s)[0]: t for s, t in listed.items()}
        files = []
        for d, dirs, names in os.walk(base):
            dirs[:] = sorted(x for x in dirs if x not in ('testdata', 'schema'))
            for name in sorted(names):
                rel = os.path.relpath(os.path.join(d, name), base)
                if rel in listed:
                    files.append((rel, {listed[rel]}))
                elif name.endswith('.h') and not name.endswith('_test.h'):
                    stem = os.path.splitext(rel)[0]
                    files.append((rel, {stems[stem]} if stem in stems else modules[folder]))
        missing = {}  # (libraries, module used) -> where
        for rel, owners in files:
            deps = set().union(*(libs[t][2] for t in owners))
            for used, line in includes(os.path.join(base, rel)):
                if used != folder and used in modules and not deps & modules[used]:
                    missing.setdefault((tuple(sorted(owners)), used), []).append(
                        '%s/%s:%d' % (folder, rel, line))
        for (owners, used), where in sorted(missing.items()):
            out.append('%s: %s names none of %s in its DEPS (%s/ is included by %s)'
                       % (folder, ' or '.join(owners), ', '.join(sorted(modules[used])), used,
                          ', '.join(where[:3]) + (', ...' if len(where) > 3 else '')))
    return out


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..')
    root = os.path.abspath(root)
    if not libraries(root):
        print('no fanzha_add_module under %s/*/CMakeLists.txt' % root)
        return 1
    found = findings(root)
    for f in found:
        print(f)
    if found:
        print('%d modules used that the build files do not name' % len(found))
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
