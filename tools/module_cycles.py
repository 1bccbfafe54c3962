#!/usr/bin/env python3
"""Module cycles in src/: which modules use each other, directly or round a loop.

    tools/module_cycles.py [--edges] [--fail] [SRC]      (SRC defaults to src/)

A module is a file: src/foo.rs is `foo`, src/foo/mod.rs is `foo`, src/foo/bar.rs is
`foo::bar`. Module A depends on module B when A's code (tests left out: a
`#[cfg(test)]` module at column 0 up to its closing brace) names a path into B:
`use crate::b::...`, `use crate::{b, ...}`, an inline `crate::b::item`, or the same
relative to the module (`super::b`, `self::b`). Full-line comments are skipped, so
intra-doc links in doc comments are no dependency. A path resolves to the longest
module it names (`crate::structure::cells::Cell` is `structure::cells`).

Two kinds of edge are left out, both by design:
- a module's use of its own ancestors (`structure::cells` using `super::Ctx` from
  `structure`): a parent holds the context its children share and calls them, which
  is how Rust splits a module into files, not a loop between layers;
- the crate root (src/lib.rs, src/main.rs): it drives the pipeline and defines the
  shared `Options` and `Error`, so every module would sit in one loop with it.

Prints each strongly connected component of two or more modules, with one line that
makes each edge inside it, then "N cycles". With --edges, every edge too. With
--fail, exits 1 when there is a cycle.
"""

import os
import re
import sys


def module_of(src, path):
    rel = os.path.relpath(path, src)[: -len(".rs")]
    parts = rel.split(os.sep)
    if parts[-1] == "mod":
        parts = parts[:-1]
    return "::".join(parts)


def code_lines(text):
    """(line number, line) outside test modules and full-line comments."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#[cfg(test)]") and i + 1 < len(lines) and re.match(
            r"^(pub(\([^)]*\))? )?mod \w+ \{", lines[i + 1]
        ):
            i += 2
            while i < len(lines) and lines[i] != "}":
                i += 1
            i += 1
            continue
        if not line.lstrip().startswith("//"):
            yield i + 1, line
        i += 1


def use_paths(text):
    """Every path named in the code: (line, path), paths as lists of segments. Grouped
    imports (`use a::{b, c::d}`) are expanded."""
    out = []
    body = list(code_lines(text))
    joined = "\n".join(l for _, l in body)
    numbers = [n for n, _ in body]

    def line_at(offset):
        return numbers[joined.count("\n", 0, offset)]

    # `use` statements, possibly over several lines, with groups.
    for m in re.finditer(r"\buse\s+([^;]+);", joined):
        for p in expand(m.group(1).replace("\n", " ")):
            out.append((line_at(m.start()), p))
    # Inline paths (also inside `use`, harmlessly repeated).
    for m in re.finditer(r"\b((?:crate|super|self)(?:::\w+)+)", joined):
        out.append((line_at(m.start()), m.group(1).split("::")))
    return out


def expand(tree):
    """`a::{b, c::{d, e}}` -> [[a, b], [a, c, d], [a, c, e]]."""
    tree = re.sub(r"\s+", "", tree)
    tree = re.sub(r"\bas\w+", "", tree) if False else re.sub(r"as[A-Za-z_]\w*(?=[,}]|$)", "", tree)

    def parse(s, i, prefix):
        paths = []
        cur = []
        while i < len(s):
            c = s[i]
            if c == "{":
                inner, i = parse(s, i + 1, prefix + cur)
                paths.extend(inner)
                cur = None
                continue
            if c == "}":
                if cur:
                    paths.append(prefix + cur)
                return paths, i + 1
            if c == ",":
                if cur:
                    paths.append(prefix + cur)
                cur = []
                i += 1
                continue
            m = re.match(r"(\w+|\*)(::)?", s[i:])
            if not m:
                i += 1
                continue
            if cur is None:
                cur = []
            cur.append(m.group(1))
            i += len(m.group(0))
        if cur:
            paths.append(prefix + cur)
        return paths, i

    return parse(tree, 0, [])[0]


def resolve(module, path, modules):
    """The module a path names, or None (outside the crate, or the crate root)."""
    if not path:
        return None
    base = module.split("::") if module else []
    segs = list(path)
    if segs[0] == "crate":
        parts = []
        segs = segs[1:]
    elif segs[0] in ("super", "self"):
        parts = list(base)
        # `self` in a file module is the module itself.
        while segs and segs[0] in ("super", "self"):
            if segs[0] == "super":
                parts = parts[:-1]
            segs = segs[1:]
    else:
        return None
    best = None
    for k in range(1, len(segs) + 1):
        name = "::".join(parts + segs[:k])
        if name in modules:
            best = name
    if best is None and parts and "::".join(parts) in modules:
        best = "::".join(parts)
    return best


def edges_of(src):
    files = {}
    for root, _, names in os.walk(src):
        for n in names:
            if n.endswith(".rs"):
                path = os.path.join(root, n)
                files[module_of(src, path)] = path
    roots = {"lib", "main"}
    modules = set(files) - roots
    edges = {}
    for module, path in sorted(files.items()):
        if module in roots:
            continue
        text = open(path, encoding="utf-8").read()
        for line, p in use_paths(text):
            target = resolve(module, p, modules)
            if target is None or target == module:
                continue
            if module.startswith(target + "::"):
                continue  # its own ancestor
            edges.setdefault((module, target), f"{path}:{line}")
    return modules, edges


def sccs(nodes, edges):
    graph = {n: sorted({b for (a, b) in edges if a == n}) for n in nodes}
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for n in sorted(nodes):
        if n not in index:
            visit(n)
    return [c for c in out if len(c) > 1]


def main(argv):
    flags = {a for a in argv if a.startswith("--")}
    args = [a for a in argv if not a.startswith("--")]
    src = args[0] if args else "src"
    modules, edges = edges_of(src)
    if "--edges" in flags:
        for (a, b), where in sorted(edges.items()):
            print(f"{a} -> {b}    ({where})")
        print()
    cycles = sccs(modules, edges)
    for comp in sorted(cycles):
        print("cycle: " + ", ".join(comp))
        for (a, b), where in sorted(edges.items()):
            if a in comp and b in comp:
                print(f"    {a} -> {b}    ({where})")
    print(f"{len(cycles)} cycles among {len(modules)} modules")
    return 1 if cycles and "--fail" in flags else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
