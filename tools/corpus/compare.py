#!/usr/bin/env python3
"""Compare tulossopimus's PDF reading with pdftotext's over a folder of PDFs.

For every *.pdf under FOLDER (recursively): pdftotext (poppler) extracts the text, and
`tulossopimus convert` (isolated workers, as a user runs it) converts the file. A PDF is
*readable* when pdftotext's text has at least 50 non-space characters. The tool's outcome:

  ok        exit 0, or refused for what the text says, not for reading it:
            `not_an_agreement` (every test-suite PDF is no agreement) or `too_deep`
  refused   any other error code (pdf_damaged, pdf_no_text, pdf_garbled, pdf_encrypted, ...)
  crash     the worker died (crashed, stack_overflow, memory_limit) or no error code
  hang      the worker's timeout (`timeout`) or this script's own wall-clock limit

Prints the counts and writes one TSV row per file (path, readable, chars, outcome, code,
message) to --tsv. Not part of CI: the corpora are other projects' test suites.

    tools/corpus/compare.py /work/corpora --bin target/release/tulossopimus --tsv before.tsv
"""
import argparse
import concurrent.futures as cf
import os
import re
import subprocess
import sys
from collections import Counter

CRASH = {"crashed", "stack_overflow", "memory_limit"}
# Refusals of a PDF that was read: what its text holds is not an agreement.
READ = {"not_an_agreement", "too_deep"}
HANG = {"timeout"}


def pdftotext_chars(path, timeout):
    try:
        p = subprocess.run(["pdftotext", "-q", path, "-"], capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return -1
    return sum(1 for c in p.stdout.decode("utf-8", "replace") if not c.isspace())


def tool(path, binary, timeout):
    cmd = [binary, "convert", "--timeout", str(timeout), path]
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=timeout + 30)
    except subprocess.TimeoutExpired:
        return "hang", "wallclock", ""
    err = p.stderr.decode("utf-8", "replace")
    if p.returncode == 0:
        return "ok", "", ""
    m = re.findall(r"\[([a-z_]+)\]\s*$", err, re.M)
    code = m[-1] if m else ""
    msg = err.strip().splitlines()[-1][:300] if err.strip() else f"exit {p.returncode}"
    if code in READ:
        return "ok", code, ""
    if code in HANG:
        return "hang", code, msg
    if code in CRASH or not code or p.returncode not in (0, 1):
        return "crash", code or f"exit{p.returncode}", msg
    return "refused", code, msg


def one(path, binary, timeout):
    chars = pdftotext_chars(path, timeout)
    outcome, code, msg = tool(path, binary, timeout)
    return path, chars, outcome, code, msg


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder")
    ap.add_argument("--bin", default="target/release/tulossopimus")
    ap.add_argument("--timeout", type=int, default=30)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--tsv", default=None)
    a = ap.parse_args()
    paths = sorted(
        os.path.join(d, f) for d, _, fs in os.walk(a.folder) for f in fs if f.lower().endswith(".pdf")
    )
    rows = []
    with cf.ThreadPoolExecutor(a.jobs) as ex:
        for r in ex.map(lambda p: one(p, a.bin, a.timeout), paths):
            rows.append(r)
    table = Counter()
    for _, chars, outcome, _, _ in rows:
        table[(chars >= 50, outcome)] += 1
    print(f"{len(rows)} PDFs under {a.folder}")
    print("| pdftotext | ok | refused | crash | hang | total |")
    print("|---|---|---|---|---|---|")
    for readable in (True, False):
        cells = [table[(readable, o)] for o in ("ok", "refused", "crash", "hang")]
        name = "readable (>= 50 chars)" if readable else "not readable"
        print(f"| {name} | " + " | ".join(map(str, cells)) + f" | {sum(cells)} |")
    codes = Counter(code for _, chars, o, code, _ in rows if chars >= 50 and o != "ok")
    print("readable but not ok, by code:", dict(codes.most_common()))
    if a.tsv:
        with open(a.tsv, "w") as f:
            f.write("path\treadable\tchars\toutcome\tcode\tmessage\n")
            for path, chars, outcome, code, msg in rows:
                msg = msg.replace("\t", " ").replace("\n", " ")
                f.write(f"{path}\t{int(chars >= 50)}\t{chars}\t{outcome}\t{code}\t{msg}\n")


if __name__ == "__main__":
    sys.exit(main())
