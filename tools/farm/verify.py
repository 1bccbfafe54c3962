#!/usr/bin/env python3
"""Does a rendering print its expected tree? Every string of the tree must occur in the PDF's text.

    verify.py NAME.pdf NAME.expected.json      prints the strings not found; exit 1 if any

Text: `pdftotext -raw -enc UTF-8`, page furniture lines dropped (running header
"<agency> – tulossopimus YYYY–YYYY", "Sivu N (M)", browser date/title/URL/"n/m"), lines joined with a space, or without one after
an in-word hyphen ("KEHA-" + "keskus"), white space collapsed. Checked strings: titles,
descriptions and target texts (paragraph by paragraph), indicator names, units and raw
values, chapter titles and texts, impact texts and ministry codes, agency, ministry, title,
signatories' organizations, names and titles. A string counts as found when it occurs
verbatim, or (reported separately as `spacing`) once spaces are ignored — pdftotext
drops a space it finds too narrow ("< 5" read as "<5"), which says nothing about the PDF.
"""

import json
import re
import subprocess
import sys

FURNITURE = [
    re.compile(r"^Sivu \d+( \(\d+\))?$"),
    re.compile(r"^\d+ ?/ ?\d+$"),
    re.compile(r"^\d{1,2}/\d{1,2}/\d{2}, \d{1,2}:\d{2}\s?[AP]M"),
    re.compile(r"^file://\S+( \d+ ?/ ?\d+)?$"),
    re.compile(r"^\S.* – tulossopimus \d{4}–\d{4}$"),
    re.compile(r"^Tulossopimus$"),
]


def pdf_text(pdf, extra_furniture=()):
    raw = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", pdf, "-"], capture_output=True, text=True,
                         check=True).stdout
    lines = []
    for ln in raw.replace("\f", "\n").split("\n"):
        t = " ".join(ln.split())
        if not t or any(p.search(t) for p in FURNITURE) or t in extra_furniture:
            continue
        lines.append(t)
    out = ""
    for t in lines:
        if out.endswith("-") and len(out) > 1 and out[-2].isalpha() and t[:1].isalpha():
            out += t
        else:
            out += (" " if out else "") + t
    return out


def strings(tree):
    out = []

    def add(kind, s):
        if s:
            for p in s.split("\n\n"):
                p = " ".join(p.split())
                if p:
                    out.append((kind, p))

    def ind(i):
        add("indicator", i["name"])
        add("indicator description", i["description"])
        add("unit", i["unit"])
        for v in i["values"]:
            add("raw", v["raw"])

    def node(n):
        add("heading", n["title"])
        add("description", n["description"])
        for t in n["targets"]:
            add("target", t["text"])
        for i in n["indicators"]:
            ind(i)
        for g in n["goals"]:
            node(g)

    for a in tree["agreements"]:
        for k in ("title", "ministry", "agency", "scope"):
            add(k, a[k])
        for c in a["chapters"]:
            add("chapter", c["title"])
            add("chapter text", c["text"])
            for cap in c["captions"]:
                add("caption", cap)
        for g in a["impact_goals"]:
            add("impact", g["text"])
            add("ministry tag", g["ministry"])  # "(TEM)" in a list, maybe bare in a table cell
        for sl in a["strategic_lines"]:
            node(sl)
        for i in a["resource_indicators"]:
            add("group", i["group"])
            ind(i)
        for g in a["monitoring_indicators"]:
            add("group", g["group"])
            for i in g["indicators"]:
                ind(i)
        for s in a["signatories"]:
            add("signatory", s["organization"])
            add("signatory", s["name"])
            add("signatory", s["title"])
    return out


def verify(pdf, tree):
    """{"checked": n, "missing": [(kind, text)], "spacing": [(kind, text)]}"""
    text = pdf_text(pdf)
    nospace = text.replace(" ", "")
    missing, spacing = [], []
    ss = strings(tree)
    for kind, s in ss:
        if s in text:
            continue
        if s.replace(" ", "") in nospace:
            spacing.append((kind, s))
        else:
            missing.append((kind, s))
    return {"checked": len(ss), "missing": missing, "spacing": spacing}


def main():
    pdf, exp = sys.argv[1], sys.argv[2]
    r = verify(pdf, json.load(open(exp, encoding="utf-8")))
    for kind, s in r["missing"]:
        print(f"missing {kind}: {s[:160]}")
    for kind, s in r["spacing"]:
        print(f"spacing {kind}: {s[:160]}")
    print(f"{r['checked']} strings, {len(r['missing'])} missing, {len(r['spacing'])} only without spaces")
    sys.exit(1 if r["missing"] else 0)


if __name__ == "__main__":
    main()
