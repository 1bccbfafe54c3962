#!/usr/bin/env python3
"""Long functions and long files in src/ (issue 15's size rules).

    tools/long_items.py [--fail] [--max-fn N] [--max-file N] [SRC]   (SRC defaults to src/)

Counts non-test code: a `#[cfg(test)]` module at column 0 is left out up to its closing
brace, as tools/module_cycles.py does. A function runs from its `fn` line to the first
line after it that holds only its closing brace at the `fn`'s indentation; its length
counts every line of that span (blank and comment lines too). A file's length is its
non-test lines.

A function over the limit (80 lines by default) is allowed when its doc comment or
the comment lines right above it state the reason, in a line that contains `Long:`.
Prints each function over the limit (`ok` when a reason is stated) and each file over
the file limit (1,200 non-test lines). With --fail, exits 1 when a function over the
limit has no reason or a file is over its limit.
"""

import os
import re
import sys

FN = re.compile(r"^(\s*)(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?(extern\s+\"C\"\s+)?fn\s+(\w+)")


def non_test_lines(text):
    """The file's lines with test modules blanked out (numbers kept)."""
    lines = text.split("\n")
    out = list(lines)
    i = 0
    while i < len(lines):
        if lines[i].startswith("#[cfg(test)]") and i + 1 < len(lines) and re.match(
            r"^(pub(\([^)]*\))? )?mod \w+ \{", lines[i + 1]
        ):
            j = i
            while j < len(lines) and lines[j] != "}":
                out[j] = None
                j += 1
            if j < len(lines):
                out[j] = None
            i = j + 1
            continue
        i += 1
    return out


def reason_above(lines, at):
    """Whether the comment lines (doc or plain) and attributes right above line `at`
    state a reason (`Long:`)."""
    k = at - 1
    while k >= 0 and lines[k] is not None:
        s = lines[k].strip()
        if s.startswith("//") or s.startswith("#["):
            if "Long:" in s:
                return True
            k -= 1
            continue
        break
    return False


def functions(lines):
    """(name, first line (1-based), length, reason stated) of every function."""
    out = []
    for i, line in enumerate(lines):
        if line is None:
            continue
        m = FN.match(line)
        if not m:
            continue
        indent = m.group(1)
        # A declaration without a body (trait item) ends in `;` before any `{`.
        j = i
        while j < len(lines) and lines[j] is not None and "{" not in lines[j] and ";" not in lines[j]:
            j += 1
        if j >= len(lines) or lines[j] is None or (";" in lines[j] and "{" not in lines[j]):
            continue
        if lines[j].rstrip().endswith("}") and lines[j].count("{") == lines[j].count("}"):
            out.append((m.group(8), i + 1, j - i + 1, False))
            continue
        end = j + 1
        while end < len(lines) and (lines[end] is None or lines[end].rstrip() != indent + "}"):
            end += 1
        out.append((m.group(8), i + 1, end - i + 1, reason_above(lines, i)))
    return out


def main(argv):
    fail = "--fail" in argv
    max_fn, max_file = 80, 1200
    args = [a for a in argv if a != "--fail"]
    if "--max-fn" in args:
        k = args.index("--max-fn")
        max_fn = int(args[k + 1])
        del args[k : k + 2]
    if "--max-file" in args:
        k = args.index("--max-file")
        max_file = int(args[k + 1])
        del args[k : k + 2]
    src = args[0] if args else "src"
    bad = 0
    for root, _, files in sorted(os.walk(src)):
        for f in sorted(files):
            if not f.endswith(".rs"):
                continue
            path = os.path.join(root, f)
            with open(path, encoding="utf-8") as fh:
                lines = non_test_lines(fh.read())
            code = sum(1 for l in lines if l is not None)
            if code > max_file:
                print(f"{path}: {code} non-test lines (over {max_file})")
                bad += 1
            for name, at, n, reason in functions(lines):
                if n > max_fn:
                    print(f"{path}:{at}: fn {name}: {n} lines{' (ok: reason stated)' if reason else ''}")
                    bad += 0 if reason else 1
    print(f"{bad} over the limits without a stated reason")
    return 1 if fail and bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
