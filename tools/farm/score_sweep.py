#!/usr/bin/env python3
"""Score a farm directory: every rendering, converted from four inputs, against its expected tree.

    score_sweep.py DIR [--bin PATH] [--jobs 2] [--out REPORT.md] [--json RESULTS.json]
                   [--write-floors FLOORS.json] [--keep-json OUTDIR]

For every rendering of DIR/manifest.json (written by farm.py) the converter (`--bin`, default
target/release/tulossopimus of this checkout) converts four inputs:

    pdf                NAME.pdf
    pdftotext          NAME.pdftotext.txt          (pdftotext default)
    pdftotext-layout   NAME.pdftotext-layout.txt   (pdftotext -layout)
    pdf-extract        NAME.pdf-extract.txt        (made here with examples/pdf_text when missing)

and `tulossopimus score NAME.expected.json OUTPUT --json` scores each. Per input it records the
overall F1, every category's F1 (categories with a key on either side), the number of warnings,
the exit code, the seconds and the dialect the converter recognised. A conversion that fails
(non-zero exit, no JSON, time-out) scores F1 0 in every category: it is counted, never skipped.
For the PDF it also measures **word agreement**: the Dice coefficient of the multisets of
whitespace-separated words of the lines the converter assembles (examples/pdf_lines, the text
after " | ") and of NAME.pdftotext.txt.

The binary and the two example programs are copied to a temporary directory first, so a rebuild
of target/release during the sweep does not mix two converters in one report.

The report (Markdown, `--out`, else stdout) gives the commit, the counts, per input kind a table
producer x level_cue, the figures of the issue's "Done when" for ALL, TUNE and HELD-OUT (the
split is `split_of` below, the one definition), and the 15 worst renderings. `--json` writes
every measurement. `--write-floors F` writes {input file name: its overall F1 rounded down to two
decimals}, for every input kind scored, for tests/farm.rs.

Seeds: farm --seed 1000-1999 is the dev (tuning) set, 5000+ the evaluation sweep, 7000+ the
committed sample fixtures/farm (see tools/farm/README.md).
"""

import argparse
import collections
import concurrent.futures as cf
import datetime
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_BIN = os.path.join(REPO, "target", "release", "tulossopimus")

KINDS = ["pdf", "pdftotext", "pdftotext-layout", "pdf-extract"]
SUFFIX = {"pdf": ".pdf", "pdftotext": ".pdftotext.txt", "pdftotext-layout": ".pdftotext-layout.txt",
          "pdf-extract": ".pdf-extract.txt"}
PRODUCERS = ["chromium", "weasyprint", "reportlab", "lo-odt", "lo-docx"]
CUES = ["indent", "weight", "size", "shading", "numbering", "indent+weight", "size+weight", "shading+indent"]
TIMEOUT = 300  # seconds per conversion (the converter's own worker limit is 60 s per PDF)

# ---------------------------------------------------------------------------------------------
# Held-out discipline: the ONE definition of the split. Tune on TUNE; report HELD-OUT separately.
TUNE_PRODUCERS = {"reportlab", "lo-odt", "chromium"}
TUNE_CUES = {"indent", "weight", "size", "numbering", "indent+weight"}


def split_of(producer, cue):
    """TUNE = producer in TUNE_PRODUCERS and cue in TUNE_CUES; HELD-OUT = every other combination
    (producers weasyprint and lo-docx with any cue; cues shading, size+weight, shading+indent with
    any producer)."""
    return "TUNE" if producer in TUNE_PRODUCERS and cue in TUNE_CUES else "HELD-OUT"


SPLIT_DOC = ("TUNE = producer in {%s} AND level_cue in {%s}; HELD-OUT = every other combination "
             "(producers %s with any cue; cues %s with any producer)." % (
                 ", ".join(sorted(TUNE_PRODUCERS)), ", ".join(c for c in CUES if c in TUNE_CUES),
                 ", ".join(p for p in PRODUCERS if p not in TUNE_PRODUCERS),
                 ", ".join(c for c in CUES if c not in TUNE_CUES)))
# ---------------------------------------------------------------------------------------------


def by_indent(cue):
    """'Where levels are shown by indentation' (the issue): the level cue includes indent."""
    return "indent" in cue


def sh(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, **kw)


def commit_of(repo):
    try:
        head = sh(["git", "-C", repo, "rev-parse", "--short", "HEAD"], text=True).stdout.strip()
        dirty = sh(["git", "-C", repo, "status", "--porcelain", "--untracked-files=no"], text=True).stdout.strip()
        return head + (" dirty" if dirty else "")
    except OSError:
        return "unknown"


def copy_tools(bin_path, tmp):
    """Copy the converter and its example programs to `tmp` (waiting a little if a rebuild has
    removed the binary for a moment). Returns (bin, pdf_text or None, pdf_lines or None, mtime)."""
    for _ in range(60):
        if os.path.exists(bin_path):
            break
        print(f"score_sweep: {bin_path} missing, waiting", file=sys.stderr)
        time.sleep(5)
    mtime = datetime.datetime.fromtimestamp(os.path.getmtime(bin_path)).strftime("%Y-%m-%d %H:%M:%S")
    out = [shutil.copy2(bin_path, os.path.join(tmp, "tulossopimus"))]
    examples = os.path.join(os.path.dirname(os.path.abspath(bin_path)), "examples")
    for ex in ["pdf_text", "pdf_lines"]:
        src = os.path.join(examples, ex)
        out.append(shutil.copy2(src, os.path.join(tmp, ex)) if os.path.exists(src) else None)
    return out[0], out[1], out[2], mtime


def words(text):
    return collections.Counter(text.split())


def dice(a, b):
    total = sum(a.values()) + sum(b.values())
    if total == 0:
        return 1.0
    return 2.0 * sum((a & b).values()) / total


def word_agreement(pdf_lines, pdf, pdftotext_txt):
    """Dice of the word multisets: converter's assembled lines vs pdftotext's default text."""
    r = sh([pdf_lines, pdf], timeout=TIMEOUT)
    if r.returncode != 0:
        return None
    ours = []
    for line in r.stdout.decode("utf-8", "replace").splitlines():
        i = line.find(" | ")
        if i >= 0:
            ours.append(line[i + 3:])
    with open(pdftotext_txt, encoding="utf-8", errors="replace") as f:
        theirs = f.read()
    return dice(words("\n".join(ours)), words(theirs))


def convert_and_score(tools, expected, inp, out_json):
    """One input: convert, score. Returns the record (F1 0 everywhere on failure)."""
    rec = {"exit": None, "seconds": None, "warnings": None, "dialect": None, "error": None,
           "f1": 0.0, "categories": {}}
    t0 = time.time()
    try:
        r = sh([tools["bin"], "convert", inp, "-o", out_json], timeout=TIMEOUT)
        rec["exit"] = r.returncode
        if r.returncode != 0:
            rec["error"] = (r.stderr.decode("utf-8", "replace").strip().splitlines() or ["?"])[-1][:300]
    except subprocess.TimeoutExpired:
        rec["exit"] = "timeout"
        rec["error"] = f"timeout after {TIMEOUT} s"
    rec["seconds"] = round(time.time() - t0, 2)
    if rec["exit"] != 0:
        return rec
    try:
        with open(out_json, encoding="utf-8") as f:
            doc = json.load(f)
        rec["warnings"] = len(doc.get("warnings") or [])
        rec["dialect"] = (doc.get("source") or {}).get("dialect")
        rec["agreements"] = len(doc.get("agreements") or [])
    except (OSError, ValueError) as e:
        rec["error"] = f"unreadable output: {e}"
        return rec
    r = sh([tools["bin"], "score", expected, out_json, "--json"], timeout=TIMEOUT)
    if r.returncode != 0:
        rec["error"] = "score failed: " + r.stderr.decode("utf-8", "replace").strip()[:300]
        return rec
    s = json.loads(r.stdout)
    rec["f1"] = s["overall"]["f1"]
    # Only categories with a key on either side count in `overall` (the scorer's macro mean).
    rec["categories"] = {c["name"]: c["f1"] for c in s["categories"] if c["expected"] or c["actual"]}
    rec["expected_keys"] = {c["name"]: c["expected"] for c in s["categories"]}
    return rec


def task(tools, d, ent, kind, keep_dir, tmp):
    name = ent["name"]
    base = os.path.join(d, name)
    inp = base + SUFFIX[kind]
    if kind == "pdf-extract" and not os.path.exists(inp):
        r = sh([tools["pdf_text"], base + ".pdf"], timeout=TIMEOUT)
        if r.returncode == 0:
            with open(inp, "wb") as f:
                f.write(r.stdout)
    if not os.path.exists(inp):
        rec = {"exit": "missing input", "seconds": 0, "warnings": None, "dialect": None,
               "error": f"{os.path.basename(inp)} missing", "f1": 0.0, "categories": {}}
    else:
        out_dir = keep_dir or tmp
        out_json = os.path.join(out_dir, f"{name}.{kind}.json")
        rec = convert_and_score(tools, base + ".expected.json", inp, out_json)
        if not keep_dir and os.path.exists(out_json):
            os.remove(out_json)
    if kind == "pdf" and tools.get("pdf_lines"):
        try:
            rec["words"] = word_agreement(tools["pdf_lines"], base + ".pdf", base + ".pdftotext.txt")
        except (OSError, subprocess.TimeoutExpired):
            rec["words"] = None
    return name, kind, rec


# ----------------------------------------------------------------------------- statistics

def mean(xs):
    xs = list(xs)
    return sum(xs) / len(xs) if xs else None


def fmt(x, nd=3):
    return "–" if x is None else f"{x:.{nd}f}"


def cat(rec, name):
    """A category's F1, or None when it has no key on either side (so it is not averaged).
    A failed conversion has no categories: it counts 0 for every category of its tree."""
    if name in rec["categories"]:
        return rec["categories"][name]
    if rec.get("exit") != 0 or rec.get("error"):
        return 0.0
    return None


def goals_by_path(rec):
    return cat(rec, "goals_by_path")


def figures(rows):
    """The issue's Done-when figures over `rows` (renderings with their records).
    Returns a list of (input, figure, value, target, comparison) tuples."""
    out = []

    def pick(kind, pred=lambda r: True):
        return [r["inputs"][kind] for r in rows if kind in r["inputs"] and pred(r)]

    pdf = pick("pdf")
    out.append(("pdf", "mean overall F1", mean(x["f1"] for x in pdf), 0.99, len(pdf)))
    out.append(("pdf", "worst overall F1", min((x["f1"] for x in pdf), default=None), 0.95, len(pdf)))
    gp = [v for v in (goals_by_path(x) for x in pdf) if v is not None]
    out.append(("pdf", "mean goals_by_path F1 (full-path levels)", mean(gp), 0.98, len(gp)))
    lay = pick("pdftotext-layout")
    out.append(("pdftotext-layout", "mean overall F1", mean(x["f1"] for x in lay), 0.95, len(lay)))
    for kind in ["pdftotext", "pdf-extract"]:
        recs = pick(kind)
        for c in ["targets", "indicators", "values"]:
            vals = [v for v in (cat(x, c) for x in recs) if v is not None]
            out.append((kind, f"mean {c} F1", mean(vals), 0.98, len(vals)))
        ind = pick(kind, lambda r: by_indent(r["cue"]))
        out.append((kind, "mean overall F1, level cue with indent", mean(x["f1"] for x in ind), 0.95, len(ind)))
    return out


# ----------------------------------------------------------------------------- report

def report(results, meta):
    L = []
    rows = results
    L.append(f"# Farm sweep: {meta['dir']}")
    L.append("")
    L.append(f"- commit: `{meta['commit']}` (binary `{meta['bin']}` built {meta['bin_mtime']}; "
             f"swept {meta['date']}, {meta['seconds']:.0f} s, --jobs {meta['jobs']})")
    trees = {r["tree_seed"] for r in rows}
    per_prod = collections.Counter(r["producer"] for r in rows)
    per_cue = collections.Counter(r["cue"] for r in rows)
    per_split = collections.Counter(r["split"] for r in rows)
    L.append(f"- renderings: {len(rows)} of {len(trees)} trees (farm seed {meta['seed']}); "
             f"farm failures (no PDF, not scored): {meta['farm_failed']}")
    L.append("- per producer: " + ", ".join(f"{p} {per_prod[p]}" for p in PRODUCERS if per_prod[p])
             + "".join(f", {p} {n}" for p, n in per_prod.items() if p not in PRODUCERS))
    L.append("- per level cue: " + ", ".join(f"{c} {per_cue[c]}" for c in CUES if per_cue[c]))
    L.append(f"- split: TUNE {per_split['TUNE']}, HELD-OUT {per_split['HELD-OUT']}. {SPLIT_DOC}")
    if meta.get("notes"):
        for n in meta["notes"]:
            L.append(f"- note: {n}")
    failures = collections.Counter()
    for r in rows:
        for k, x in r["inputs"].items():
            if x["exit"] != 0 or x.get("error"):
                failures[k] += 1
    L.append("- failed conversions (scored F1 0): " +
             (", ".join(f"{k} {failures[k]}" for k in KINDS if failures[k]) or "none"))
    # The scorer prefixes keys with "agreement N" when either side has several agreements, so a
    # conversion that finds one agreement too many or too few scores near 0 in most categories.
    split_wrong = collections.Counter()
    for r in rows:
        for k, x in r["inputs"].items():
            if x.get("agreements") is not None and x["agreements"] != r["agreements"]:
                split_wrong[k] += 1
    L.append("- conversions with another number of agreements than the tree (most keys then differ "
             "by their \"agreement N\" prefix): " +
             (", ".join(f"{k} {split_wrong[k]}/{sum(1 for r in rows if k in r['inputs'])}"
                        for k in KINDS if split_wrong[k]) or "none"))
    L.append("")
    L.append("F1 is the scorer's overall F1 (macro mean over the categories with a key on either side); "
             "path = goals_by_path F1 (a goal's full path of titles, i.e. its level); words = Dice "
             "coefficient of the word multisets of the converter's assembled lines and pdftotext's text.")
    L.append("")

    # overview
    L.append("## Overview (mean overall F1 / worst)")
    L.append("")
    L.append("| input | ALL | TUNE | HELD-OUT |")
    L.append("|---|---|---|---|")
    for k in KINDS:
        cells = []
        for sp in ["ALL", "TUNE", "HELD-OUT"]:
            xs = [r["inputs"][k]["f1"] for r in rows if k in r["inputs"] and sp in ("ALL", r["split"])]
            cells.append(f"{fmt(mean(xs))} / {fmt(min(xs, default=None))} (n={len(xs)})" if xs else "–")
        L.append(f"| {k} | " + " | ".join(cells) + " |")
    L.append("")

    # Done-when
    L.append("## The issue's figures")
    L.append("")
    cov = len(rows) >= 400 and len(trees) >= 100 and all(per_prod[p] >= 100 for p in PRODUCERS)
    L.append(f"Coverage (>= 400 renderings, >= 100 per producer, >= 100 trees): "
             f"**{'met' if cov else 'not met'}** ({len(rows)} renderings, {len(trees)} trees, "
             + ", ".join(f"{p} {per_prod[p]}" for p in PRODUCERS) + ").")
    L.append("")
    L.append("| input | figure | target | ALL | TUNE | HELD-OUT |")
    L.append("|---|---|---|---|---|---|")
    by_split = {sp: figures([r for r in rows if sp in ("ALL", r["split"])]) for sp in ["ALL", "TUNE", "HELD-OUT"]}
    for i, (kind, fig, _, target, _) in enumerate(by_split["ALL"]):
        cells = []
        for sp in ["ALL", "TUNE", "HELD-OUT"]:
            _, _, v, _, n = by_split[sp][i]
            if v is None:
                cells.append(f"– (n={n})")
            else:
                cells.append(f"{fmt(v)} {'met' if v >= target else '**not met**'} (n={n})")
        L.append(f"| {kind} | {fig} | >= {target} | " + " | ".join(cells) + " |")
    L.append("")
    L.append("Means of targets/indicators/values are over the renderings whose tree or conversion has "
             "that category; a failed conversion counts 0.")
    L.append("")

    # per input kind: producer x cue
    for k in KINDS:
        if not any(k in r["inputs"] for r in rows):
            continue
        L.append(f"## {k}: producer x level cue")
        L.append("")
        head = "| producer | level cue | split | n | mean F1 | worst F1 | mean path F1 | warnings | s |"
        sep = "|---|---|---|---|---|---|---|---|---|"
        if k == "pdf":
            head += " words mean | words worst |"
            sep += "---|---|"
        L.append(head)
        L.append(sep)

        def line(prod, cue, sp, group):
            recs = [r["inputs"][k] for r in group if k in r["inputs"]]
            if not recs:
                return None
            f1s = [x["f1"] for x in recs]
            gp = [v for v in (goals_by_path(x) for x in recs) if v is not None]
            warns = [x["warnings"] for x in recs if x["warnings"] is not None]
            secs = [x["seconds"] for x in recs if x["seconds"] is not None]
            s = (f"| {prod} | {cue} | {sp} | {len(recs)} | {fmt(mean(f1s))} | {fmt(min(f1s))} | "
                 f"{fmt(mean(gp))} | {fmt(mean(warns), 0)} | {fmt(mean(secs), 2)} |")
            if k == "pdf":
                ws = [x["words"] for x in recs if x.get("words") is not None]
                s += f" {fmt(mean(ws))} | {fmt(min(ws, default=None))} |"
            return s

        prods = [p for p in PRODUCERS if per_prod[p]] + [p for p in per_prod if p not in PRODUCERS]
        for p in prods:
            for c in CUES:
                g = [r for r in rows if r["producer"] == p and r["cue"] == c]
                s = line(p, c, split_of(p, c), g) if g else None
                if s:
                    L.append(s)
            s = line(f"**{p}**", "**all**", "", [r for r in rows if r["producer"] == p])
            if s:
                L.append(s)
        for c in CUES:
            g = [r for r in rows if r["cue"] == c]
            s = line("**all**", f"**{c}**", "", g) if g else None
            if s:
                L.append(s)
        L.append(line("**all**", "**all**", "", rows))
        L.append("")

    # worst renderings
    L.append("## The 15 worst renderings (by PDF F1)")
    L.append("")
    L.append("| rendering | producer | cue | split | agreements (tree/pdf) | pdf | pdftotext | -layout | pdf-extract "
             "| pdf's worst categories |")
    L.append("|---|---|---|---|---|---|---|---|---|---|")
    ranked = sorted(rows, key=lambda r: (r["inputs"].get("pdf", {"f1": 0})["f1"], r["name"]))
    for r in ranked[:15]:
        x = r["inputs"].get("pdf", {"f1": 0.0, "categories": {}})
        if x.get("error"):
            worst = "failed: " + x["error"][:80]
        else:
            worst = ", ".join(f"{n} {v:.2f}" for n, v in sorted(x["categories"].items(), key=lambda kv: kv[1])[:4])
        f = [fmt(r["inputs"][k]["f1"]) if k in r["inputs"] else "–" for k in KINDS]
        found = x.get("agreements")
        L.append(f"| {r['name']} | {r['producer']} | {r['cue']} | {r['split']} | "
                 f"{r['agreements']}/{'–' if found is None else found} | " + " | ".join(f) + f" | {worst} |")
    L.append("")

    # dialect recognition
    wrong = collections.Counter()
    want = {"pdftotext": "pdftotext", "pdftotext-layout": "pdftotext-layout", "pdf-extract": "pdf-extract"}
    for r in rows:
        for k, d in want.items():
            got = r["inputs"].get(k, {}).get("dialect")
            if got is not None and got != d:
                wrong[(k, got)] += 1
    if wrong:
        L.append("## Text dumps read as another dialect")
        L.append("")
        for (k, got), n in sorted(wrong.items()):
            L.append(f"- {k} read as `{got}`: {n}")
        L.append("")
    return "\n".join(L) + "\n"


def floor2(x):
    """`x` rounded DOWN to two decimals, never above `x` (float noise in x * 100 aside)."""
    c = math.floor(x * 100) / 100
    if c > x:
        c = (math.floor(x * 100) - 1) / 100
    return max(c, 0.0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir")
    ap.add_argument("--bin", default=DEFAULT_BIN)
    ap.add_argument("--jobs", type=int, default=2, help="conversions at once (the machine has 2 cores)")
    ap.add_argument("--out", help="write the Markdown report here (default: stdout)")
    ap.add_argument("--json", help="write every measurement here")
    ap.add_argument("--write-floors", metavar="FLOORS.json",
                    help="write {input file: overall F1 rounded down to 2 decimals} (tests/farm.rs)")
    ap.add_argument("--keep-json", metavar="OUTDIR", help="keep the conversions as OUTDIR/NAME.KIND.json")
    ap.add_argument("--kinds", default=",".join(KINDS), help="inputs to convert (default: all four)")
    args = ap.parse_args()

    with open(os.path.join(args.dir, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    kinds = [k for k in args.kinds.split(",") if k]
    for k in kinds:
        if k not in KINDS:
            ap.error(f"unknown input kind {k}")
    if args.keep_json:
        os.makedirs(args.keep_json, exist_ok=True)
    notes = []
    t0 = time.time()
    with tempfile.TemporaryDirectory(prefix="score_sweep-") as tmp:
        b, pdf_text, pdf_lines, mtime = copy_tools(args.bin, tmp)
        tools = {"bin": b, "pdf_text": pdf_text, "pdf_lines": pdf_lines}
        if "pdf-extract" in kinds and not pdf_text:
            missing = [e for e in manifest["renderings"]
                       if not os.path.exists(os.path.join(args.dir, e["name"] + SUFFIX["pdf-extract"]))]
            if missing:
                notes.append("examples/pdf_text not built: pdf-extract dumps skipped")
                kinds.remove("pdf-extract")
        if not pdf_lines:
            notes.append("examples/pdf_lines not built: no word agreement")
        commit = commit_of(os.path.dirname(os.path.abspath(args.bin)))
        rows = {}
        for e in manifest["renderings"]:
            cue = e["style"]["level_cue"]
            with open(os.path.join(args.dir, e["expected"]), encoding="utf-8") as f:
                n_agreements = len(json.load(f)["agreements"])
            rows[e["name"]] = {"name": e["name"], "tree_seed": e["tree_seed"], "producer": e["producer"],
                               "agreements": n_agreements,
                               "cue": cue, "split": split_of(e["producer"], cue), "pages": e.get("pages"),
                               "style": e["style"], "inputs": {}}
        jobs = [(name, k) for name in rows for k in kinds]
        done = 0
        with cf.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
            futs = [ex.submit(task, tools, args.dir, {"name": n}, k, args.keep_json, tmp) for n, k in jobs]
            for fut in cf.as_completed(futs):
                name, kind, rec = fut.result()
                rows[name]["inputs"][kind] = rec
                done += 1
                if done % 20 == 0 or done == len(jobs):
                    print(f"score_sweep: {done}/{len(jobs)} conversions, {time.time() - t0:.0f} s", file=sys.stderr)
    results = sorted(rows.values(), key=lambda r: r["name"])
    meta = {"dir": args.dir, "commit": commit, "bin": args.bin, "bin_mtime": mtime,
            "date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"), "seconds": time.time() - t0,
            "jobs": args.jobs, "seed": manifest.get("seed"), "farm_failed": len(manifest.get("failed") or []),
            "notes": notes, "split": SPLIT_DOC}
    text = report(results, meta)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"score_sweep: report -> {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"meta": meta, "renderings": results}, f, ensure_ascii=False, indent=1)
            f.write("\n")
    if args.write_floors:
        floors = {}
        for r in results:
            for kind, x in r["inputs"].items():
                floors[r["name"] + SUFFIX[kind]] = floor2(x["f1"])
        with open(args.write_floors, "w", encoding="utf-8") as f:
            f.write(json.dumps(floors, indent=1, sort_keys=True) + "\n")
        print(f"score_sweep: floors -> {args.write_floors}", file=sys.stderr)


if __name__ == "__main__":
    main()
