#!/usr/bin/env python3
"""Every value of every knob once, with the HTML producers, on one small tree; verify.py on each.

    sweep.py --out DIR [--tree-seed 266] [--producers chromium,weasyprint]

Base style: the first value of every knob; then each other value of each knob alone. Prints
one line per rendering (pages, strings not found) and exits 1 if any string is missing.
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import generate as G  # noqa: E402
import render_html as R  # noqa: E402
import styles as S  # noqa: E402
import verify as V  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--tree-seed", type=int, default=266)
    ap.add_argument("--producers", default="chromium,weasyprint")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    tree = G.generate(args.tree_seed)
    base = {k: v[0] for k, v in S.KNOBS.items()}
    variants = [("base", base)] + [(f"{k}={v}", dict(base, **{k: v})) for k, vs in S.KNOBS.items() for v in vs[1:]]
    bad = 0
    for producer in args.producers.split(","):
        for tag, style in variants:
            name = f"{producer}-{tag.replace('=', '-').replace('+', '_')}"
            pdf = os.path.join(args.out, name + ".pdf")
            html = R.render_html(tree, style, producer, url="file://" + os.path.abspath(pdf[:-4] + ".html"))
            R.render_pdf(html, producer, pdf, browser_furniture=style["furniture"] == "browser")
            r = V.verify(pdf, tree)
            pages = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout.split("Pages:")[1].split()[0]
            bad += bool(r["missing"])
            print(f"{name:45s} {pages:>3} pages  missing {len(r['missing'])}  spacing {len(r['spacing'])}"
                  + (f"  first: {r['missing'][0]}" if r["missing"] else ""))
    with open(os.path.join(args.out, "tree.json"), "w", encoding="utf-8") as f:
        f.write(G.dumps(tree))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
