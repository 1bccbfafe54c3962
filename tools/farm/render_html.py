#!/usr/bin/env python3
"""Render farm, HTML producers: tree + style -> one HTML document -> PDF (Chromium or WeasyPrint).

    render_html(tree, style) -> str          one HTML document, CSS implementing every knob
    render_pdf(html, producer, out)          producer: chromium | weasyprint
    render_html.py TREE.json OUT.pdf --producer chromium [--seed N | --knob level_cue=size ...]

Content comes from make_layout.blocks_for_agreement (reading order by `source.line`); the
cover prints "Ministry", "ja", "Agency[, scope]" and the title; the date line is
generate.date_lines. Every string of the tree is printed verbatim; what is added is the
genre's grammar: "Tavoite 2026", "Mittayksikkö" ("Mittayksikkö:" in the monitoring
appendix), value labels "Tav 2026" / "Tot 2024" / "Arv 2025" / bare "2024", the
impact tags "(TEM)", bullets "•", numbers of the numbering cue, furniture.

Knobs (tools/farm/styles.py):
  page, font            @page size; font-family (body 10 pt)
  level_cue             heading rows of the results/resource/monitoring tables (strategic line
                        and group rows = level 0, goals 1..4) differ ONLY by the cue:
    indent              bold 10.5 pt, padding-left 6 mm per level (targets and indicators are
                        indented to their parent's level + 1 as well)
    weight              10.5 pt; bold, bold italic, italic, regular, regular (levels 0..4)
    size                bold; 15, 13, 11.5, 10.5, 10 pt
    shading             bold 10.5 pt; fill per level, level 0 white text on dark blue
    numbering           bold 10.5 pt; "1.", "1.1", "1.1.2" before the title (group rows unnumbered)
    indent+weight       both;  size+weight: 14 bold, 12 bold, 11 bold italic, 10.5 italic, 10
    shading+indent      light fills (level 0 pale blue, black text) and indentation
  description           in-cell: under the title in the heading cell, regular 10 pt;
                        own-row: a row of its own under the heading row
  description_italic    descriptions (also indicator descriptions) italic
  target_label          beside: label cell left of the text cell (a nested two-cell table);
                        above: label on its own line, paragraphs below
  values                side-by-side: grid of a label row over a value row;
                        stacked: one "Tav 2026  ≥ 95" line per cell, no grid;
                        transposed: two-column grid, one row per cell (label | value)
  impact                bullets (ul) | numbers (ol) | table (header Vaikuttavuustavoite | Ministeriö)
  signatures            table: organisation | "Name, title"; lines: organisation, signature
                        rule, name, title on separate lines, two blocks per row
  furniture             none; header-footer: CSS @page margin boxes (top left "<agency> –
                        tulossopimus YYYY–YYYY", bottom right "Sivu N (M)") in both producers; browser: Chromium's own print
                        header/footer (date, title, URL, n/m); WeasyPrint imitates it with
                        margin boxes (fixed date from the tree, title, file URL, n/m)
  ruled                 table borders (0.5 pt) or none

Lines never break inside a suspended compound ("kehittämis- ja"), a token with an en dash
or a value/unit cell (white-space: nowrap), so the tool's hyphen rule gives back the text.
Rows may break across pages.
"""

import argparse
import html as H
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "fixtures", "layout"))
sys.path.insert(0, HERE)

import generate as G  # noqa: E402
import make_layout as ml  # noqa: E402
import styles as S  # noqa: E402

PAGE_CSS = {"a4-portrait": "A4 portrait", "a4-landscape": "A4 landscape", "letter-portrait": "letter portrait"}

# heading rows per cue: (font-weight, font-style, size pt) per level 0..4
WEIGHT = [("bold", "normal"), ("bold", "italic"), ("normal", "italic"), ("normal", "normal"), ("normal", "normal")]
SIZE = [15, 13, 11.5, 10.5, 10]
SIZE_WEIGHT = [(14, "bold", "normal"), (12, "bold", "normal"), (11, "bold", "italic"), (10.5, "normal", "italic"),
               (10, "normal", "normal")]
DARK = [("#1f3a60", "#ffffff"), ("#c5d3e8", "#000000"), ("#dde6f2", "#000000"), ("#eef2f8", "#000000"),
        ("#f7f9fc", "#000000")]
LIGHT = [("#d9e2f3", "#000000"), ("#e8eef8", "#000000"), ("#f2f5fb", "#000000"), (None, None), (None, None)]
INDENT_MM = 6.0


def esc(s):
    return H.escape(s, quote=False)


def text_html(s):
    """Escaped text with no-wrap spans where a line break would change what is read back:
    after a suspended compound ("kehittämis- ja") and inside tokens with an en dash."""
    units, cur = [], None
    for w in s.split(" "):
        cur = w if cur is None else cur + " " + w
        if not w.endswith("-"):
            units.append(cur)
            cur = None
    if cur is not None:
        units.append(cur)
    return " ".join(f'<span class="nw">{esc(u)}</span>' if (" " in u or "–" in u) else esc(u) for u in units)


def cue_parts(cue):
    return set(cue.split("+"))


def css(style, furniture_text):
    st = style
    fam = S.FONT_FAMILIES[st["font"]]
    cues = cue_parts(st["level_cue"])
    rule = "0.5pt solid #444" if st["ruled"] else "none"
    out = []
    a = out.append
    margins = "22mm 18mm 20mm 22mm" if st["furniture"] != "none" else "18mm 18mm 18mm 20mm"
    a(f"@page {{ size: {PAGE_CSS[st['page']]}; margin: {margins};")
    hdr, ftr = furniture_text
    if st["furniture"] == "header-footer":
        a(f'  @top-left {{ content: "{hdr}"; font-family: "{fam}"; font-size: 8pt; color: #444;'
          f' vertical-align: bottom; padding-bottom: 3mm; }}')
        a(f'  @bottom-right {{ content: "Sivu " counter(page) " (" counter(pages) ")"; font-family: "{fam}";'
          f' font-size: 8pt; }}')
    elif st["furniture"] == "browser-emulated":
        date, title, url = ftr
        a(f'  @top-left {{ content: "{date}"; font-family: sans-serif; font-size: 8pt; }}')
        a(f'  @top-center {{ content: "{title}"; font-family: sans-serif; font-size: 8pt; }}')
        a(f'  @bottom-left {{ content: "{url}"; font-family: sans-serif; font-size: 8pt; }}')
        a('  @bottom-right { content: counter(page) "/" counter(pages); font-family: sans-serif; font-size: 8pt; }')
    a("}")
    a(f"""
html {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
body {{ font-family: "{fam}"; font-size: 10pt; line-height: 1.3; margin: 0; color: #000; }}
p {{ margin: 0 0 2.5mm 0; }}
.nw {{ white-space: nowrap; }}
.cover {{ break-after: page; padding-top: 55mm; }}
.agreement + .agreement .cover {{ break-before: page; }}
.cover .party {{ font-size: 14pt; margin: 0 0 3mm 0; }}
.cover .title {{ font-size: 18pt; font-weight: bold; margin-top: 12mm; }}
h2 {{ font-size: 14pt; font-weight: bold; margin: 7mm 0 3mm 0; break-after: avoid; }}
h3 {{ font-size: 12pt; font-weight: bold; margin: 5mm 0 2.5mm 0; break-after: avoid; }}
p.bullet {{ padding-left: 5mm; text-indent: -5mm; }}
p.caption {{ font-style: italic; font-size: 9pt; margin-top: 3mm; break-after: avoid; }}
ul.impact, ol.impact {{ margin: 0 0 3mm 0; padding-left: 7mm; }}
ul.impact li, ol.impact li {{ margin-bottom: 1.5mm; }}
table {{ border-collapse: collapse; }}
table.impact {{ width: 100%; margin-bottom: 4mm; }}
table.impact td, table.impact th {{ border: {rule}; padding: 1mm 2mm; vertical-align: top; text-align: left; }}
table.impact th {{ font-weight: bold; }}
table.rows {{ width: 100%; margin: 2mm 0 5mm 0; }}
table.rows > tbody > tr > td {{ padding: 1.2mm 1.5mm; vertical-align: top; border-top: {rule};
  border-bottom: {rule}; border-left: {rule}; border-right: {rule}; }}
.desc {{ font-weight: normal; font-size: 10pt; font-style: {"italic" if st["description_italic"] else "normal"};
  margin-top: 1mm; }}
.desc p {{ margin: 0 0 1.5mm 0; }}
.hd {{ break-after: avoid; }}
table.tgt {{ width: 100%; }}
table.tgt td {{ vertical-align: top; padding: 0; border: none; }}
table.tgt td.lab {{ width: 24mm; white-space: nowrap; padding-right: 3mm; }}
.tlab {{ font-weight: bold; margin-bottom: 1mm; }}
.txt p {{ margin: 0 0 1.8mm 0; }}
.iname {{ margin-bottom: 1mm; }}
.idesc p {{ margin: 0 0 1mm 0; }}
.idesc {{ font-size: 9pt; font-style: {"italic" if st["description_italic"] else "normal"}; margin-bottom: 1mm; }}
table.grid {{ font-size: 9pt; margin-top: 1mm; }}
table.grid td {{ border: {rule if st["ruled"] else "none"}; padding: 0.6mm 2mm; white-space: nowrap;
  min-width: 12mm; }}
table.grid tr.labels td {{ font-weight: bold; }}
.stack {{ font-size: 9pt; margin-top: 1mm; }}
.stack .cell {{ white-space: nowrap; }}
.stack .vl {{ display: inline-block; width: 26mm; font-style: italic; }}
table.trans {{ font-size: 9pt; margin-top: 1mm; }}
table.trans td {{ border: {rule if st["ruled"] else "none"}; padding: 0.5mm 2mm; white-space: nowrap; }}
table.trans td.vl {{ font-weight: bold; min-width: 24mm; }}
table.trans td.vv {{ min-width: 18mm; }}
p.date {{ margin-top: 8mm; break-after: avoid; }}
table.sig {{ width: 100%; margin-top: 4mm; }}
table.sig td {{ padding: 3mm 2mm 3mm 0; vertical-align: top; width: 50%; border: none; }}
.siglines {{ display: flex; flex-wrap: wrap; margin-top: 4mm; }}
.sigblock {{ width: 46%; margin: 0 4% 8mm 0; break-inside: avoid; }}
.sigrule {{ border-bottom: 0.6pt solid #000; height: 12mm; margin-bottom: 1mm; }}
""")
    # heading rows by cue
    for lvl in range(5):
        rules = []
        if cues & {"indent", "shading", "numbering"} and not cues & {"weight", "size"}:
            rules += ["font-weight: bold", "font-size: 10.5pt"]
        if cues == {"weight"} or cues == {"indent", "weight"}:
            w, s = WEIGHT[lvl]
            rules += [f"font-weight: {w}", f"font-style: {s}", "font-size: 10.5pt"]
        if cues == {"size"}:
            rules += ["font-weight: bold", f"font-size: {SIZE[lvl]}pt"]
        if cues == {"size", "weight"}:
            sz, w, s = SIZE_WEIGHT[lvl]
            rules += [f"font-weight: {w}", f"font-style: {s}", f"font-size: {sz}pt"]
        if "shading" in cues:
            bg, fg = (DARK if cues == {"shading"} else LIGHT)[lvl]
            if bg:
                rules += [f"background: {bg}", f"color: {fg}"]
        a(f"td.h.lv{lvl} {{ {'; '.join(rules)}; }}")
        if "shading" in cues:
            bg, fg = (DARK if cues == {"shading"} else LIGHT)[lvl]
            if bg:
                # an own-row description keeps the heading row's fill
                a(f"td.d.lv{lvl} {{ background: {bg}; color: {fg}; }}")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------


class Doc:
    def __init__(self, style):
        self.st = style
        self.cues = cue_parts(style["level_cue"])
        self.parts = []

    def pad(self, level):
        if "indent" in self.cues and level:
            return f' style="padding-left: {1.5 + INDENT_MM * level:.1f}mm"'
        return ""

    def paras(self, text, cls=None):
        c = f' class="{cls}"' if cls else ""
        return "".join(f"<p{c}>{text_html(p)}</p>" for p in text.split("\n\n") if p)

    def values_html(self, r, table_kind):
        st = self.st
        ulabel = "Mittayksikkö:" if table_kind == "monitoring" else "Mittayksikkö"
        cells = [(ulabel, r["unit"])] + [(ml.value_label(k, y), raw) for k, y, raw in r["values"]]
        if st["values"] == "side-by-side":
            labs = "".join(f"<td>{esc(lab)}</td>" for lab, _ in cells)
            vals = "".join(f"<td>{esc(v) if v else ''}</td>" for _, v in cells)
            return f'<table class="grid"><tr class="labels">{labs}</tr><tr class="values">{vals}</tr></table>'
        if st["values"] == "stacked":
            lines = "".join(f'<div class="cell"><span class="vl">{esc(lab)}</span>'
                            f'<span class="vv">{esc(v) if v else ""}</span></div>' for lab, v in cells)
            return f'<div class="stack">{lines}</div>'
        rows = "".join(f'<tr><td class="vl">{esc(lab)}</td><td class="vv">{esc(v) if v else ""}</td></tr>'
                       for lab, v in cells)
        return f'<table class="trans">{rows}</table>'

    def rows_table(self, rows, table_kind):
        st = self.st
        out = ['<table class="rows"><tbody>']
        numbers = []  # numbering cue: counters per level
        for r in rows:
            k = r["kind"]
            if k in ("sl", "goal", "group"):
                lvl = r.get("level", 0)
                title = text_html(r["title"])
                if "numbering" in self.cues and k != "group":
                    numbers = (numbers + [0] * (lvl + 1))[: lvl + 1]
                    numbers[lvl] += 1
                    num = f"{numbers[0]}." if lvl == 0 else ".".join(str(n) for n in numbers)
                    title = f'<span class="num">{num}</span> {title}'
                desc = r.get("description")
                cell = f'<div class="hd">{title}</div>'
                if desc and st["description"] == "in-cell":
                    cell += f'<div class="desc">{self.paras(desc)}</div>'
                out.append(f'<tr><td class="h lv{lvl}"{self.pad(lvl)}>{cell}</td></tr>')
                if desc and st["description"] == "own-row":
                    out.append(f'<tr><td class="d lv{lvl}"{self.pad(lvl)}><div class="desc">{self.paras(desc)}'
                               f'</div></td></tr>')
            elif k == "target":
                lvl = r["level"]
                label = f"Tavoite {r['year']}"
                body = "".join(f"<p>{text_html(p)}</p>" for p in r["paras"])
                if st["target_label"] == "beside":
                    cell = (f'<table class="tgt"><tr><td class="lab">{label}</td>'
                            f'<td class="txt">{body}</td></tr></table>')
                else:
                    cell = f'<div class="tlab">{label}</div><div class="txt">{body}</div>'
                out.append(f'<tr><td class="t"{self.pad(lvl)}>{cell}</td></tr>')
            elif k == "indicator":
                lvl = r["level"]
                cell = f'<div class="iname">{text_html(r["name"])}</div>'
                if r.get("description"):
                    cell += f'<div class="idesc">{self.paras(r["description"])}</div>'
                cell += self.values_html(r, table_kind)
                out.append(f'<tr><td class="i"{self.pad(lvl)}>{cell}</td></tr>')
        out.append("</tbody></table>")
        return "".join(out)

    def impact(self, goals):
        st = self.st
        if st["impact"] == "table":
            rows = "".join(f"<tr><td>{text_html(t)}</td><td>({esc(m)})</td></tr>" for t, m in goals)
            return (f'<table class="impact"><thead><tr><th>Vaikuttavuustavoite</th><th>Ministeriö</th></tr>'
                    f'</thead><tbody>{rows}</tbody></table>')
        tag = "ul" if st["impact"] == "bullets" else "ol"
        items = "".join(f"<li>{text_html(t)} ({esc(m)})</li>" for t, m in goals)
        return f'<{tag} class="impact">{items}</{tag}>'

    def signatures(self, sigs):
        if self.st["signatures"] == "table":
            rows = "".join(f"<tr><td>{text_html(o)}</td><td>{text_html(n)}, {text_html(t)}</td></tr>"
                           for o, n, t in sigs)
            return f'<table class="sig">{rows}</table>'
        blocks = "".join(f'<div class="sigblock"><div>{text_html(o)}</div><div class="sigrule"></div>'
                         f'<div>{text_html(n)}</div><div>{text_html(t)}</div></div>' for o, n, t in sigs)
        return f'<div class="siglines">{blocks}</div>'

    def agreement(self, a, date_line):
        out = ['<section class="agreement">']
        blocks = ml.blocks_for_agreement(a, None)
        impact = []

        def flush():
            if impact:
                out.append(self.impact(impact))
                impact.clear()

        for b in blocks:
            kind = b[0]
            if kind != "impact":
                flush()
            if kind == "cover":
                agency = a["agency"] + (f", {a['scope']}" if a.get("scope") else "")
                out.append(f'<div class="cover"><p class="party">{text_html(a["ministry"])}</p>'
                           f'<p class="party">ja</p><p class="party">{text_html(agency)}</p>'
                           f'<p class="title">{text_html(a["title"])}</p></div>')
            elif kind == "chapter":
                tag = "h2" if b[1] == 1 else "h3"
                out.append(f"<{tag}>{text_html(b[2])}</{tag}>")
            elif kind == "para":
                out.append(f"<p>{text_html(b[1])}</p>")
            elif kind == "bullet":
                out.append(f'<p class="bullet">{text_html(b[1])}</p>')
            elif kind == "caption":
                out.append(f'<p class="caption">{text_html(b[1])}</p>')
            elif kind == "impact":
                impact.append((b[1], b[2]))
            elif kind in ("results", "resources", "monitoring"):
                out.append(self.rows_table(b[1], kind))
            elif kind == "date":
                out.append(f'<p class="date">{esc(date_line)}</p>')
            elif kind == "signatures":
                out.append(self.signatures(b[1]))
        flush()
        out.append("</section>")
        return "".join(out)


def furniture_text(tree, style):
    named = [a for a in tree["agreements"] if a.get("agency")]
    if named:
        a = named[0]
        hdr = f"{a['agency']} – tulossopimus {a['period']['start']}–{a['period']['end']}"
    else:
        hdr = "Tulossopimus"
    return hdr, None


def doc_title(tree):
    named = [a for a in tree["agreements"] if a.get("agency")]
    if named:
        return f"{named[0]['agency']} – {named[0]['title']}"
    return "Tulossopimus"


def css_string(s):
    return s.replace("\\", "\\\\").replace('"', '\\"')


def render_html(tree, style, producer="chromium", url=None):
    """One HTML document for `tree` in `style`. `producer` matters only for furniture=browser:
    Chromium draws its own header/footer; for WeasyPrint margin boxes imitate it (`url` is
    the printed file URL)."""
    S.validate(style)
    st = dict(style)
    hdr, _ = furniture_text(tree, st)
    title = doc_title(tree)
    ftr = None
    if st["furniture"] == "browser" and producer != "chromium":
        signed = sorted(a["signed"] for a in tree["agreements"] if a.get("signed")) or ["2026-01-15"]
        y, m, d = signed[0].split("-")
        ftr = (f"{int(m)}/{int(d)}/{y[2:]}, 9:41 AM", css_string(title), css_string(url or "file:///tmp/farm.html"))
        st["furniture"] = "browser-emulated"
    style_css = css(st, (css_string(hdr), ftr))
    d = Doc(style)
    agreements = tree["agreements"]
    body = "".join(d.agreement(a, line) for a, line in zip(agreements, G.date_lines(agreements)))
    return (f'<!DOCTYPE html>\n<html lang="fi"><head><meta charset="utf-8"><title>{esc(title)}</title>'
            f"<style>\n{style_css}\n</style></head>\n<body>\n{body}\n</body></html>\n")


# ---------------------------------------------------------------------------------------------

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


def render_pdf(html, producer, out, browser_furniture=False, html_path=None, timeout=600):
    """Writes `html` to `html_path` (default: OUT with .html) and prints it to `out` with
    `producer` (chromium | weasyprint); then fixes dates and /ID (deterministic where the
    producer allows; Chromium's browser header prints the current date)."""
    out = os.path.abspath(out)
    html_path = os.path.abspath(html_path or out[:-4] + ".html")
    with open(html_path, "w", encoding="utf-8") as f:
        f.write(html)
    if producer == "chromium":
        prof = tempfile.mkdtemp(prefix="farm-chromium-")
        try:
            cmd = ["chromium"] + CHROMIUM_FLAGS + [f"--user-data-dir={prof}"]
            if not browser_furniture:
                cmd.append("--no-pdf-header-footer")
            cmd += [f"--print-to-pdf={out}", "file://" + html_path]
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout)
        finally:
            shutil.rmtree(prof, ignore_errors=True)
    elif producer == "weasyprint":
        import weasyprint
        weasyprint.HTML(filename=html_path).write_pdf(out)
    else:
        raise ValueError(f"unknown HTML producer {producer}")
    fix_pdf(out)
    return out


def fix_pdf(path):
    """Fixed creation/modification dates (same byte length), /ID from the content (qpdf)."""
    data = open(path, "rb").read()
    data = re.sub(rb"D:\d{14}[^)]*\)", lambda m: b"D:20260101000000" + b"Z" + b" " * (len(m.group(0)) - 18) + b")",
                  data)
    tmp = path + ".tmp"
    open(tmp, "wb").write(data)
    subprocess.run(["qpdf", "--deterministic-id", tmp, path], check=True)
    os.remove(tmp)


def main():
    ap = argparse.ArgumentParser(description="render one tree with one HTML producer")
    ap.add_argument("tree")
    ap.add_argument("out")
    ap.add_argument("--producer", default="chromium", choices=["chromium", "weasyprint"])
    ap.add_argument("--seed", type=int, default=0, help="style seed (styles.sample_style)")
    ap.add_argument("--knob", action="append", default=[], help="knob=value, overrides the sampled style")
    args = ap.parse_args()
    tree = json.load(open(args.tree, encoding="utf-8"))
    style = S.sample_style(random.Random(args.seed))
    for kv in args.knob:
        k, v = kv.split("=", 1)
        style[k] = {"true": True, "false": False}.get(v, v)
    out = os.path.abspath(args.out)
    html = render_html(tree, style, args.producer, url="file://" + out[:-4] + ".html")
    render_pdf(html, args.producer, out, browser_furniture=style["furniture"] == "browser")
    print(json.dumps(style, ensure_ascii=False))


if __name__ == "__main__":
    main()
