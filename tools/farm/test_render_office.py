#!/usr/bin/env python3
"""Checks for render_office.py: every string of the tree occurs in `pdftotext -raw` of the rendering.

    /work/venv/bin/python tools/farm/test_render_office.py [--lo] [--out DIR]      # a matrix of knob combinations
    /work/venv/bin/python -m pytest tools/farm/test_render_office.py                # reportlab only (fast)

Furniture lines (running header, "Sivu N", browser stamp/URL/"n/m") are dropped, lines are joined with the
tool's hyphen rule (a line ending in "-" joins without a space), whitespace is collapsed.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import render_office as ro  # noqa: E402

TREES = [
    os.path.join(ROOT, "golden", "keha-tulossopimus-2026-2029.json"),
    os.path.join(ROOT, "fixtures", "layout", "pitka-tulossopimus-2026-2029-40s.source.json"),
    os.path.join(ROOT, "golden", "vesilaitos-tulossopimus-2027-2030.json"),
    os.path.join(ROOT, "golden", "arkisto-tulossopimus-2026-2029.json"),
]


def collapse(s):
    return " ".join(s.replace("\u00a0", " ").split())


def expected_strings(tree):
    out = []

    def add(s, what):
        if s:
            for p in str(s).split("\n\n"):
                if collapse(p):
                    out.append((what, collapse(p)))

    def node(n):
        add(n["title"], "title")
        add(n.get("description"), "description")
        for t in n.get("targets", []):
            add(t["text"], "target")
        for i in n.get("indicators", []):
            ind(i)
        for g in n.get("goals", []):
            node(g)

    def ind(i):
        add(i["name"], "indicator")
        add(i.get("description"), "indicator description")
        add(i.get("unit"), "unit")
        for v in i["values"]:
            add(v.get("raw"), "value")
        add(i.get("group"), "group")

    for a in tree["agreements"]:
        for k in ("title", "ministry", "agency", "scope"):
            add(a.get(k), k)
        for c in a.get("chapters", []):
            add(c.get("number"), "chapter number")
            add(c["title"], "chapter title")
            add(c.get("text"), "chapter text")
            for cap in c.get("captions", []):
                add(cap, "caption")
        for g in a.get("impact_goals", []):
            add(g["text"], "impact")
            add(g["ministry"], "ministry")
        for s in a.get("strategic_lines", []):
            node(s)
        for i in a.get("resource_indicators", []):
            ind(i)
        for g in a.get("monitoring_indicators", []):
            add(g.get("group"), "group")
            for i in g["indicators"]:
                ind(i)
        for s in a.get("signatories", []):
            add(s["organization"], "organization")
            add(s["name"], "name")
            add(s["title"], "signatory title")
        if a.get("signed"):
            y, m, d = a["signed"].split("-")
            add(f"{int(d)}.{int(m)}.{y}", "date")
    return out


def pdf_text(pdf, header, title):
    raw = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", pdf, "-"], check=True,
                         stdout=subprocess.PIPE).stdout.decode("utf-8")
    lines = []
    for ln in raw.replace("\f", "\n").split("\n"):
        t = collapse(ln)
        if not t or t == header or re.fullmatch(r"Sivu \d+", t) or re.fullmatch(r"\d+/\d+", t) \
                or t.startswith(ro.BROWSER_STAMP) or t.startswith("file:///"):
            continue
        lines.append(t)
    out = ""
    for t in lines:
        if out.endswith("-"):
            out += t
        else:
            out += (" " if out else "") + t
    return out


def check(tree, pdf):
    _, header, title = ro.prepare(tree)
    text = pdf_text(pdf, header, title)
    missing = [(w, s) for w, s in expected_strings(tree) if s not in text]
    return missing


def pages(pdf):
    info = subprocess.run(["pdfinfo", pdf], stdout=subprocess.PIPE, check=True).stdout.decode()
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


COMBOS = [
    {},
    {"level_cue": "indent", "values": "stacked", "target_label": "above", "impact": "numbers",
     "signatures": "lines", "furniture": "none", "ruled": False, "font": "carlito"},
    {"level_cue": "weight", "values": "transposed", "description": "own-row", "description_italic": True,
     "impact": "table", "furniture": "browser", "font": "caladea", "page": "a4-landscape"},
    {"level_cue": "size", "font": "liberation-serif", "page": "letter-portrait", "ruled": False},
    {"level_cue": "shading", "font": "dejavu-sans", "values": "stacked", "impact": "table"},
    {"level_cue": "numbering", "target_label": "above", "values": "transposed", "signatures": "lines"},
    {"level_cue": "size+weight", "description": "own-row", "furniture": "none"},
    {"level_cue": "shading+indent", "ruled": False, "description_italic": True, "page": "a4-landscape"},
]


def run_matrix(producers, out_dir, trees=TREES[:2], combos=COMBOS):
    bad = 0
    for producer in producers:
        for n, combo in enumerate(combos):
            for tp in trees:
                tree = json.load(open(tp, encoding="utf-8"))
                name = os.path.basename(tp).split("-tulossopimus")[0]
                pdf = os.path.join(out_dir, f"{name}-{producer}-{n}.pdf")
                t0 = time.time()
                ro.render(tree, combo, producer, pdf)
                dt = time.time() - t0
                missing = check(tree, pdf)
                bad += bool(missing)
                print(f"{producer:9} combo {n} {name:10} {pages(pdf):3} pages {dt:6.1f} s  missing {len(missing)}"
                      + "".join(f"\n    {w}: {s[:110]}" for w, s in missing[:6]), flush=True)
    return bad


def test_reportlab_all_strings():
    with tempfile.TemporaryDirectory() as td:
        assert run_matrix(["reportlab"], td) == 0


def test_deterministic():
    tree = json.load(open(TREES[3], encoding="utf-8"))
    with tempfile.TemporaryDirectory() as td:
        a, b = os.path.join(td, "a.pdf"), os.path.join(td, "b.pdf")
        ro.render(tree, {"furniture": "browser"}, "reportlab", a)
        ro.render(tree, {"furniture": "browser"}, "reportlab", b)
        assert open(a, "rb").read() == open(b, "rb").read()


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--producers", default="reportlab")
    ap.add_argument("--out", default=tempfile.mkdtemp(prefix="farm-test-"))
    ap.add_argument("--combos", default="")
    ap.add_argument("--all-trees", action="store_true")
    args = ap.parse_args()
    combos = COMBOS if not args.combos else [COMBOS[int(k)] for k in args.combos.split(",")]
    print("out:", args.out)
    bad = run_matrix(args.producers.split(","), args.out, TREES if args.all_trees else TREES[:2], combos)
    sys.exit(1 if bad else 0)
