#!/usr/bin/env python3
"""Render farm orchestrator: generated trees x (producer, style) pairs -> PDFs with their expected trees.

    farm.py --trees N --per-tree K --out DIR [--producers chromium,weasyprint,reportlab,lo-odt,lo-docx]
            [--seed S] [--jobs 2] [--keep-html] [--cycle] [--small]

For tree i (0-based) the tree seed is S * 100000 + i (generate.generate). Per tree, K
renderings: producer k of the tree is producers[(i * K + k) % len(producers)] (so every
producer gets its share), the style is styles.sample_style(random.Random(f"{S}:{i}:{k}")).
With --cycle the level cue is assigned round-robin too: rendering j = i * K + k gets cue
LEVEL_CUES[(j // len(producers)) % 8], so any len(producers) * 8 consecutive renderings cover
every producer x level cue pair (the other knobs are still drawn). With --small the trees are
generate(seed, small=True): a few pages each (3-6 strategic lines, short chapters).
Everything is reproducible from S; only Chromium's browser furniture prints today's date.

Per rendering NAME = t<seed>-<k>-<producer>-<style tag>, in DIR:
    NAME.pdf                      the rendering
    NAME.expected.json            the tree (what a perfect converter would output, ids included;
                                  `source` and `level_evidence` are the generator's, not the PDF's)
    NAME.style.json               the style knobs
    NAME.pdftotext.txt            pdftotext -enc UTF-8
    NAME.pdftotext-layout.txt     pdftotext -enc UTF-8 -layout
    NAME.html                     (chromium/weasyprint, with --keep-html) the printed HTML
and DIR/manifest.json listing every rendering (producer, style, pages, seconds, and verify.py's
count of tree strings not found in the PDF's text) and what was skipped or failed. Producers reportlab, lo-odt and lo-docx come from
tools/farm/render_office.py (render(tree, style, producer, out_pdf)); when that module is
missing they are skipped with a message. At most --jobs renders run at once (default 2).
"""

import argparse
import concurrent.futures as cf
import json
import os
import random
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import generate as G  # noqa: E402
import styles as S  # noqa: E402

HTML_PRODUCERS = ["chromium", "weasyprint"]
OFFICE_PRODUCERS = ["reportlab", "lo-odt", "lo-docx"]
ALL_PRODUCERS = HTML_PRODUCERS + OFFICE_PRODUCERS


def office_available():
    return os.path.exists(os.path.join(HERE, "render_office.py"))


def plan(args, producers):
    jobs = []
    cues = S.KNOBS["level_cue"]
    for i in range(args.trees):
        tree_seed = args.seed * 100000 + i
        for k in range(args.per_tree):
            j = i * args.per_tree + k
            producer = producers[j % len(producers)]
            style = S.sample_style(random.Random(f"{args.seed}:{i}:{k}"))
            if args.cycle:
                style["level_cue"] = cues[(j // len(producers)) % len(cues)]
            name = f"t{tree_seed}-{k}-{producer}-{S.style_name(style)}"
            jobs.append({"name": name, "tree_seed": tree_seed, "k": k, "producer": producer, "style": style,
                         "small": args.small})
    return jobs


def run_one(job, out_dir, keep_html):
    """Render one job; returns its manifest entry (raises on failure)."""
    t0 = time.time()
    name, producer, style = job["name"], job["producer"], job["style"]
    base = os.path.join(out_dir, name)
    pdf = base + ".pdf"
    tree = G.generate(job["tree_seed"], job.get("small", False))
    with open(base + ".expected.json", "w", encoding="utf-8") as f:
        f.write(G.dumps(tree))
    with open(base + ".style.json", "w", encoding="utf-8") as f:
        f.write(json.dumps(style, ensure_ascii=False, indent=2) + "\n")
    if producer in HTML_PRODUCERS:
        import render_html as R
        html_path = base + ".html"
        html = R.render_html(tree, style, producer, url="file://" + os.path.abspath(html_path))
        R.render_pdf(html, producer, pdf, browser_furniture=style["furniture"] == "browser", html_path=html_path)
        if not keep_html:
            os.remove(html_path)
    else:
        import render_office
        render_office.render(tree, style, producer, pdf)
    subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, base + ".pdftotext.txt"], check=True)
    subprocess.run(["pdftotext", "-enc", "UTF-8", "-layout", pdf, base + ".pdftotext-layout.txt"], check=True)
    import verify
    check = verify.verify(pdf, tree)
    pages = None
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
    for line in info.splitlines():
        if line.startswith("Pages:"):
            pages = int(line.split()[1])
    return {
        "name": name,
        "tree_seed": job["tree_seed"],
        "producer": producer,
        "style": style,
        "pdf": name + ".pdf",
        "expected": name + ".expected.json",
        "style_file": name + ".style.json",
        "pdftotext": name + ".pdftotext.txt",
        "pdftotext_layout": name + ".pdftotext-layout.txt",
        "pages": pages,
        "seconds": round(time.time() - t0, 2),
        # verify.py: strings of the tree not found in `pdftotext -raw` (furniture dropped, lines joined)
        "verify": {"checked": check["checked"], "missing": len(check["missing"]),
                   "spacing": len(check["spacing"]),
                   "missing_first": [f"{k}: {t[:120]}" for k, t in check["missing"][:5]]},
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--trees", type=int, required=True)
    ap.add_argument("--per-tree", type=int, default=2)
    ap.add_argument("--producers", default=",".join(ALL_PRODUCERS))
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2, help="renders at once (the machine has 2 cores)")
    ap.add_argument("--keep-html", action="store_true", help="keep NAME.html of the HTML producers")
    ap.add_argument("--cycle", action="store_true",
                    help="level cues round-robin: every producer x cue pair in len(producers) * 8 renderings")
    ap.add_argument("--small", action="store_true", help="trees of a few pages (generate(seed, small=True))")
    args = ap.parse_args()
    wanted = [p.strip() for p in args.producers.split(",") if p.strip()]
    for p in wanted:
        if p not in ALL_PRODUCERS:
            ap.error(f"unknown producer {p} (known: {', '.join(ALL_PRODUCERS)})")
    skipped = []
    if any(p in OFFICE_PRODUCERS for p in wanted) and not office_available():
        skipped = [p for p in wanted if p in OFFICE_PRODUCERS]
        print(f"farm: tools/farm/render_office.py not found; skipping {', '.join(skipped)}", file=sys.stderr)
        wanted = [p for p in wanted if p not in OFFICE_PRODUCERS]
    if not wanted:
        sys.exit("farm: no producer left to run")
    os.makedirs(args.out, exist_ok=True)
    jobs = plan(args, wanted)
    done, failed = [], []
    t0 = time.time()
    with cf.ProcessPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        futs = {ex.submit(run_one, j, args.out, args.keep_html): j for j in jobs}
        for fut in cf.as_completed(futs):
            j = futs[fut]
            try:
                e = fut.result()
                done.append(e)
                v = e["verify"]
                print(f"farm: {e['name']}.pdf  {e['pages']} pages  {e['seconds']} s  "
                      f"verify {v['checked'] - v['missing']}/{v['checked']}", file=sys.stderr)
            except Exception as ex_:  # one failed rendering does not stop the farm
                failed.append({"name": j["name"], "producer": j["producer"], "style": j["style"],
                               "error": f"{type(ex_).__name__}: {ex_}"})
                print(f"farm: FAILED {j['name']}: {ex_}", file=sys.stderr)
    done.sort(key=lambda e: e["name"])
    failed.sort(key=lambda e: e["name"])
    manifest = {
        "seed": args.seed,
        "trees": args.trees,
        "per_tree": args.per_tree,
        "cycle": args.cycle,
        "small": args.small,
        "producers": wanted,
        "skipped_producers": skipped,
        "knobs": S.KNOBS,
        "renderings": done,
        "failed": failed,
        "seconds": round(time.time() - t0, 1),
    }
    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    print(f"farm: {len(done)} renderings, {len(failed)} failed, {manifest['seconds']} s -> "
          f"{os.path.join(args.out, 'manifest.json')}", file=sys.stderr)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
