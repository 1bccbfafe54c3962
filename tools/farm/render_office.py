#!/usr/bin/env python3
"""Render farm, office-style producers: one agreement tree -> one PDF, in a house style given by knobs.

    render(tree, style, producer, out_pdf)

- tree      {"schema_version": 1, "agreements": [...]} in the model's JSON shape (src/model.rs; golden/*.json,
            fixtures/layout/*.source.json). `source` provenance is optional: without it, the reading order is
            derived from chapter titles (impact goals after the "...vaikuttavuus" chapter, the results table after
            "Tulostavoitteet", resources after "Voimavar...", monitoring after "...seurantamittarit").
- style     dict of knobs (missing keys take DEFAULT_STYLE's value):
              page         a4-portrait | a4-landscape | letter-portrait
              font         carlito | caladea | liberation-sans | liberation-serif | dejavu-sans
              level_cue    indent | weight | size | shading | numbering | indent+weight | size+weight | shading+indent
              description  in-cell | own-row          description_italic  bool
              target_label beside | above
              values       side-by-side | stacked | transposed
              impact       bullets | numbers | table
              signatures   table | lines
              furniture    none | header-footer | browser   (office producers: browser = header-footer)
              ruled        bool
- producer  reportlab (canvas, drawn here) | lo-odt (flat ODT -> soffice) | lo-docx (python-docx -> soffice)

Every string of the tree is printed verbatim (titles, descriptions, target texts, indicator names, units, raw
values, impact texts and ministries, chapter numbers/titles/text, signatories, the signing date as d.m.yyyy).
Lines never break after a suspended compound ("kehittämis- ja"): reportlab by make_layout.wrap, LibreOffice by a
no-break space there. Output is deterministic (reportlab invariant=1; LibreOffice via make_layout.fix_lo_pdf).

Level cues of heading rows (strategic line = level 0, goals 1..4; resource/monitoring group rows as level 0):
  indent    one regular font and size, x grows by a step per level
  weight    no indentation, one size; levels 0 and 1 bold, deeper levels regular
  size      no indentation, regular; size by level (body +4, +2.5, +1.5, +0.75, +0)
  shading   no indentation, regular, one size; row fill by level (0 dark blue with white text, 1..4 lighter blues)
  numbering no indentation, regular, one size; the number ("1.", "1.2", "1.2.1") is in its OWN narrow cell left of
            the title, so the title cell holds the tree's title exactly (the converter has to drop the number cell)
Descriptions are one size smaller than body text (italic when description_italic).

Other shapes: target_label "beside" = label cell left of the text, same first baseline; "above" = label on its own
line. values "side-by-side" = labels (Mittayksikkö, Tav 2026, ...) as a header row, values under them;
"stacked" = one "Tav 2026  ≥ 95" line per value, no grid; "transposed" = a two-column grid, labels in the left
column, values in the right (years as rows). The monitoring appendix prints "Mittayksikkö:" (with colon).
impact "table" has a header row (Vaikuttavuustavoite | Ministeriö). signatures "table" = organisation |
"Name, title" on one line; "lines" = organisation, a signature rule, name, title on separate lines.

Approximations: office producers print `browser` furniture as header-footer (running header, "Sivu N" footer);
the `weight` cue has only two weights, so level 0 and 1 (and levels >= 2) look alike and the reader must use the
sequence; LibreOffice heading styles exist for chapter levels 1-2 only (deeper chapters print as level 2).
Render times on 2 cores (keha 21-31 pages, pitka 30-46): reportlab 0.2-1.3 s; lo-odt 2.5-5 s; lo-docx 4-13 s
(soffice start-up included; soffice calls are serialised with a lock file, each with its own profile).

CLI for trying it:  python3 tools/farm/render_office.py TREE.json OUT.pdf --producer lo-odt --knob level_cue=size
"""

import copy
import fcntl
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "fixtures", "layout"))
import make_layout as ml  # noqa: E402  (blocks_for_agreement, wrap, value_label, fix_lo_pdf)

PRODUCERS = ("reportlab", "lo-odt", "lo-docx")

DEFAULT_STYLE = {
    "page": "a4-portrait",
    "font": "liberation-sans",
    "level_cue": "indent+weight",
    "description": "in-cell",
    "description_italic": False,
    "target_label": "beside",
    "values": "side-by-side",
    "impact": "bullets",
    "signatures": "table",
    "furniture": "header-footer",
    "ruled": True,
}

KNOB_VALUES = {
    "page": ("a4-portrait", "a4-landscape", "letter-portrait"),
    "font": ("carlito", "caladea", "liberation-sans", "liberation-serif", "dejavu-sans"),
    "level_cue": ("indent", "weight", "size", "shading", "numbering", "indent+weight", "size+weight",
                  "shading+indent"),
    "description": ("in-cell", "own-row"),
    "target_label": ("beside", "above"),
    "values": ("side-by-side", "stacked", "transposed"),
    "impact": ("bullets", "numbers", "table"),
    "signatures": ("table", "lines"),
    "furniture": ("none", "header-footer", "browser"),
}

# page sizes in points (width, height)
PAGES = {
    "a4-portrait": (595.2756, 841.8898),
    "a4-landscape": (841.8898, 595.2756),
    "letter-portrait": (612.0, 792.0),
}

# family name, file pattern, face suffixes (regular, bold, italic, bold italic)
FONTS = {
    "carlito": ("Carlito", "/usr/share/fonts/truetype/crosextra/Carlito-{}.ttf",
                ("Regular", "Bold", "Italic", "BoldItalic")),
    "caladea": ("Caladea", "/usr/share/fonts/truetype/crosextra/Caladea-{}.ttf",
                ("Regular", "Bold", "Italic", "BoldItalic")),
    "liberation-sans": ("Liberation Sans", "/usr/share/fonts/truetype/liberation/LiberationSans-{}.ttf",
                        ("Regular", "Bold", "Italic", "BoldItalic")),
    "liberation-serif": ("Liberation Serif", "/usr/share/fonts/truetype/liberation/LiberationSerif-{}.ttf",
                         ("Regular", "Bold", "Italic", "BoldItalic")),
    "dejavu-sans": ("DejaVu Sans", "/usr/share/fonts/truetype/dejavu/DejaVuSans{}.ttf",
                    ("", "-Bold", "-Oblique", "-BoldOblique")),
}

# shading cue: fill per level (0 dark with white text)
FILLS = ["#1f3864", "#8eaadb", "#c5d3ec", "#e3eaf6", "#f3f6fb"]
SIZE_STEP = [4.0, 2.5, 1.5, 0.75, 0.0]
BODY = 10.0
IMPACT_HEAD = ("Vaikuttavuustavoite", "Ministeriö")
BROWSER_STAMP = "1.3.2026 klo 9.00"


def knobs(style):
    st = dict(DEFAULT_STYLE)
    st.update({k: v for k, v in (style or {}).items() if v is not None})
    for k, allowed in KNOB_VALUES.items():
        if st[k] not in allowed:
            raise ValueError(f"style knob {k}={st[k]!r}: expected one of {allowed}")
    st["ruled"] = bool(st["ruled"])
    st["description_italic"] = bool(st["description_italic"])
    return st


def cue_of(level_cue):
    parts = set(level_cue.split("+"))
    return {"indent": "indent" in parts, "weight": "weight" in parts, "size": "size" in parts,
            "shading": "shading" in parts, "numbering": "numbering" in parts}


def heading_look(cue, lvl):
    """(bold, size, indent steps, fill or None, white text) of a heading row at `lvl` (groups: 0)."""
    lv = min(lvl, 4)
    bold = cue["weight"] and lv <= 1
    size = BODY + (SIZE_STEP[lv] if cue["size"] else 0.0)
    fill = FILLS[lv] if cue["shading"] else None
    return bold, size, (lvl if cue["indent"] else 0), fill, (cue["shading"] and lv == 0)


# ---------------------------------------------------------------------------------------------
# tree -> blocks (make_layout.blocks_for_agreement), with synthetic provenance when the tree has none
# ---------------------------------------------------------------------------------------------


def _has_sources(a):
    def ok(o):
        return isinstance(o.get("source"), dict) and isinstance(o["source"].get("line"), (int, float))

    def node_ok(n):
        return ok(n) and all(ok(t) for t in n.get("targets", [])) and all(ok(i) for i in n.get("indicators", [])) \
            and all(node_ok(g) for g in n.get("goals", []))

    return (ok(a) and all(ok(c) for c in a.get("chapters", [])) and all(ok(g) for g in a.get("impact_goals", []))
            and all(node_ok(s) for s in a.get("strategic_lines", []))
            and all(ok(i) for i in a.get("resource_indicators", []))
            and all(ok(i) for g in a.get("monitoring_indicators", []) for i in g.get("indicators", []))
            and all(ok(s) for s in a.get("signatories", [])))


def _assign_sources(a):
    """Reading order for a tree without provenance: chapters in order; impact goals, results, resources and
    monitoring after the chapter that introduces them (by title), else before the signatures."""
    n = [0]

    def src(o):
        n[0] += 10
        o["source"] = {"line": n[0]}

    def node(s):
        src(s)
        for t in s.get("targets", []):
            src(t)
        for i in s.get("indicators", []):
            src(i)
        for g in s.get("goals", []):
            node(g)

    parts = {
        "impact": lambda: [src(g) for g in a.get("impact_goals", [])],
        "results": lambda: [node(s) for s in a.get("strategic_lines", [])],
        "resources": lambda: [src(i) for i in a.get("resource_indicators", [])],
        "monitoring": lambda: [src(i) for g in a.get("monitoring_indicators", []) for i in g.get("indicators", [])],
    }
    anchors = [("impact", r"vaikuttav"), ("results", r"tulostavoit"), ("resources", r"voimavar"),
               ("monitoring", r"seurantamittar")]
    done = set()
    src(a)
    for c in a.get("chapters", []):
        src(c)
        title = (c.get("title") or "").lower()
        for part, rx in anchors:
            if part not in done and re.search(rx, title):
                done.add(part)
                parts[part]()
    for part, _ in anchors:
        if part not in done:
            parts[part]()
    for s in a.get("signatories", []):
        src(s)


def prepare(tree):
    """[(blocks, agreement)] per agreement, plus the running header text and the document title."""
    t = copy.deepcopy(tree)
    out = []
    for a in t["agreements"]:
        for k in ("chapters", "impact_goals", "strategic_lines", "resource_indicators", "monitoring_indicators",
                  "signatories", "evaluation_scale"):
            a[k] = a.get(k) or []
        a["monitoring_indicators"] = [g for g in a["monitoring_indicators"] if g.get("indicators")] + \
            [g for g in a["monitoring_indicators"] if not g.get("indicators")]
        for c in a["chapters"]:
            c.setdefault("captions", [])
        if not _has_sources(a):
            _assign_sources(a)
        blocks = ml.blocks_for_agreement(a, None)
        fixed = []
        for b in blocks:
            if b[0] == "cover":
                lines = []
                if a.get("ministry"):
                    lines.append(a["ministry"])
                if a.get("ministry") and a.get("agency"):
                    lines.append("ja")
                if a.get("agency"):
                    lines.append(a["agency"])
                lines.append(a["title"])
                if a.get("scope"):
                    lines.insert(len(lines) - 1, a["scope"])
                b = ("cover", lines)
            fixed.append(b)
        # empty monitoring groups (no indicators) still print their group row
        for g in a["monitoring_indicators"]:
            if not g.get("indicators") and g.get("group"):
                for k, b in enumerate(fixed):
                    if b[0] == "monitoring":
                        b[1].append({"kind": "group", "title": g["group"]})
                        break
        out.append((merge_impacts(fixed), a))
    named = [a for _, a in out if a.get("agency")]
    ag = named[0] if named else (out[0][1] if out else {})
    per = ag.get("period") or {}
    if ag.get("agency") and per:
        header = f"{ag['agency']} – tulossopimus {per['start']}–{per['end']}"
    elif ag.get("agency"):
        header = f"{ag['agency']} – tulossopimus"
    else:
        header = ag.get("title") or "Tulossopimus"
    title = ag.get("title") or header
    return out, header, title


def merge_impacts(blocks):
    """Consecutive ("impact", text, ministry) blocks -> one ("impacts", [(text, ministry), ...])."""
    out = []
    for b in blocks:
        if b[0] == "impact":
            if out and out[-1][0] == "impacts":
                out[-1][1].append((b[1], b[2]))
            else:
                out.append(("impacts", [(b[1], b[2])]))
        else:
            out.append(b)
    return out


def numbered(rows):
    """Heading-row numbers for the numbering cue: row index -> "1.", "1.2", "1.2.3"."""
    stack, nums = [], {}
    for k, r in enumerate(rows):
        if r["kind"] in ("sl", "goal"):
            lvl = r["level"]
            stack = stack[: lvl + 1]
            while len(stack) < lvl + 1:
                stack.append(0)
            stack[lvl] += 1
            nums[k] = f"{stack[0]}." if lvl == 0 else ".".join(str(s) for s in stack)
    return nums


# ---------------------------------------------------------------------------------------------
# reportlab
# ---------------------------------------------------------------------------------------------

_registered = set()


def rl_fonts(key):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.lib.fonts import addMapping

    fam, pat, faces = FONTS[key]
    names = {f: f"{key}-{f}" for f in ("r", "b", "i", "bi")}
    if key not in _registered:
        for f, suffix in zip(("r", "b", "i", "bi"), faces):
            pdfmetrics.registerFont(TTFont(names[f], pat.format(suffix)))
        addMapping(names["r"], 0, 0, names["r"])
        addMapping(names["r"], 1, 0, names["b"])
        addMapping(names["r"], 0, 1, names["i"])
        addMapping(names["r"], 1, 1, names["bi"])
        _registered.add(key)
    return names


class Item:
    """An unbreakable slice of a table row: height and a draw(canvas, top_y) callback."""

    def __init__(self, h, draw=None, post=None):
        self.h = h
        self.draw = draw or (lambda c, top: None)
        self.post = post  # drawn with the item's top after the rest of its page segment (a right-hand cell)


def text_item(x, text, font, size, lead, color=None, extra=()):
    """One line of text (plus extra (x, text, font, size) on the same baseline)."""

    def draw(c, top):
        base = top - (lead - size) / 2 - 0.78 * size
        if color:
            c.setFillColor(color)
        # left to right, so that content-stream order is reading order
        for ex, et, ef, es in sorted([(x, text, font, size)] + list(extra), key=lambda e: e[0]):
            c.setFont(ef, es)
            c.drawString(ex, base, et)
        if color:
            c.setFillColor("#000000")

    return Item(lead, draw)


class RLDoc:
    def __init__(self, target, st, header, title, total=None):
        from reportlab.pdfgen import canvas

        self.st = st
        self.W, self.H = PAGES[st["page"]]
        self.F = rl_fonts(st["font"])
        self.c = canvas.Canvas(target, pagesize=(self.W, self.H), invariant=1, pageCompression=1)
        self.c.setTitle(title)
        self.c.setAuthor("tulossopimus render farm")
        self.c.setCreator("tools/farm/render_office.py")
        land = self.W > self.H
        self.left = self.right = 72.0 if land else 56.7
        self.top = self.bottom = 56.7 if land else 72.0
        self.x0, self.x1 = self.left, self.W - self.right
        self.header, self.title, self.total = header, title, total
        self.page = 0
        self.body, self.lead = BODY, BODY * 1.3
        self.new_page()

    # furniture ----------------------------------------------------------------------------------
    def furniture(self):
        c, fur = self.c, self.st["furniture"]
        if fur == "none":
            return
        r = self.F["r"]
        if fur == "header-footer":
            c.setFont(r, 8)
            c.drawString(self.x0, self.H - 40, self.header)
            c.setLineWidth(0.5)
            c.line(self.x0, self.H - 45, self.x1, self.H - 45)
            c.drawCentredString(self.W / 2, 34, f"Sivu {self.page}")
        else:  # browser print: date + title on top, file URL + n/m at the bottom
            c.setFont(r, 7.5)
            c.drawString(22, self.H - 18, BROWSER_STAMP)
            c.drawCentredString(self.W / 2, self.H - 18, self.title)
            c.drawString(22, 14, "file:///tmp/tulossopimus.html")
            c.drawRightString(self.W - 22, 14, f"{self.page}/{self.total or '?'}")

    def new_page(self):
        if self.page:
            self.c.showPage()
        self.page += 1
        self.furniture()
        self.y = self.H - self.top
        self.at_top = True

    def need(self, h):
        if self.y - h < self.bottom and not self.at_top:
            self.new_page()

    def space(self, h):
        if not self.at_top:
            self.y -= h

    def lines(self, lines, x, font, size, lead, color=None):
        for ln in lines:
            self.need(lead)
            text_item(x, ln, font, size, lead, color).draw(self.c, self.y)
            self.y -= lead
            self.at_top = False

    def para(self, text, x=None, font=None, size=None, lead=None, width=None):
        x = self.x0 if x is None else x
        font = font or self.F["r"]
        size = size or self.body
        lead = lead or size * 1.3
        self.lines(ml.wrap(text, font, size, width or (self.x1 - x)), x, font, size, lead)

    def row(self, items, x0, x1, fill=None, ruled=False, seps=(), pt=3.0, pb=3.0, keep=0.0):
        """Draw a table row that may break across pages between its items."""
        c = self.c
        total = pt + pb + sum(i.h for i in items)
        self.need(min(total, 3 * self.lead) + keep)
        i, n = 0, len(items)
        while i < n:
            avail = self.y - self.bottom
            h, j = pt, i
            while j < n and h + items[j].h + (pb if j == n - 1 else 0) <= avail:
                h += items[j].h
                j += 1
            if j == i:
                if not self.at_top:
                    self.new_page()
                    continue
                h, j = pt + items[i].h, i + 1
            if j == n:
                h += pb
            top = self.y
            if fill:
                c.setFillColor(fill)
                c.rect(x0, top - h, x1 - x0, h, stroke=0, fill=1)
                c.setFillColor("#000000")
            if ruled:
                c.setLineWidth(0.5)
                c.rect(x0, top - h, x1 - x0, h, stroke=1, fill=0)
                for s in seps:
                    c.line(s, top, s, top - h)
            yy = top - pt
            posts = []
            for it in items[i:j]:
                it.draw(c, yy)
                if it.post:
                    posts.append((it.post, yy))
                yy -= it.h
            for post, at in posts:
                post(c, at)
            self.y = top - h
            self.at_top = False
            i = j
            if i < n:
                self.new_page()

    def save(self):
        self.c.showPage()
        self.c.save()
        return self.page


def rl_table(d, rows, kind, st):
    """Results / resources / monitoring table."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    F, cue = d.F, cue_of(st["level_cue"])
    ruled = st["ruled"]
    X0, X1 = d.x0, d.x1
    pad = 4.0
    numw = 34.0 if cue["numbering"] else 0.0
    step = 18.0
    nums = numbered(rows) if cue["numbering"] else {}
    dfont = F["i"] if st["description_italic"] else F["r"]
    dsize = BODY - 1
    mon = kind == "monitoring"

    def desc_items(text, x):
        out = []
        for p in text.split("\n\n"):
            out.append(Item(2))
            out += [text_item(x, ln, dfont, dsize, dsize * 1.3) for ln in ml.wrap(p, dfont, dsize, X1 - pad - x)]
        return out

    def content_x(r):
        lvl = r.get("level", 0)
        return X0 + pad + numw + (step * lvl if cue["indent"] else 0.0)

    for k, r in enumerate(rows):
        rk = r["kind"]
        if rk in ("sl", "goal", "group"):
            lvl = r.get("level", 0)
            bold, size, ind, fill, white = heading_look(cue, lvl)
            font = F["b"] if bold else F["r"]
            x = X0 + pad + numw + step * ind
            color = "#ffffff" if white else None
            lead = size * 1.3
            items = []
            for n, ln in enumerate(ml.wrap(r["title"], font, size, X1 - pad - x)):
                extra = [(X0 + pad, nums[k], font, size)] if (n == 0 and k in nums) else []
                items.append(text_item(x, ln, font, size, lead, color, extra))
            seps = [X0 + numw] if numw else []
            gap = 8.0 if lvl == 0 else 4.0
            d.space(gap)
            desc = r.get("description")
            if desc and st["description"] == "in-cell":
                items += [Item(it.h, _colored(it, color)) for it in desc_items(desc, x)]
            d.row(items, X0, X1, fill=fill, ruled=ruled, seps=seps, keep=2 * d.lead)
            if desc and st["description"] == "own-row":
                d.row(desc_items(desc, x)[1:], X0, X1, ruled=ruled, seps=seps)
        elif rk == "target":
            if not ruled:
                d.space(4)
            x = content_x(r)
            label = f"Tavoite {r['year']}"
            items = []
            if st["target_label"] == "beside":
                tx = x + max(70.0, stringWidth(label, F["r"], BODY) + 12)
                seps = ([X0 + numw] if numw else []) + [tx - 4]
                for n, p in enumerate(r["paras"]):
                    if n:
                        items.append(Item(d.lead * 0.5))
                    for m, ln in enumerate(ml.wrap(p, F["r"], BODY, X1 - pad - tx)):
                        extra = [(x, label, F["r"], BODY)] if (n == 0 and m == 0) else []
                        items.append(text_item(tx, ln, F["r"], BODY, d.lead, None, extra))
            else:
                seps = [X0 + numw] if numw else []
                items.append(text_item(x, label, F["r"], BODY, d.lead))
                for n, p in enumerate(r["paras"]):
                    if n:
                        items.append(Item(d.lead * 0.5))
                    items += [text_item(x, ln, F["r"], BODY, d.lead) for ln in ml.wrap(p, F["r"], BODY, X1 - pad - x)]
            d.row(items, X0, X1, ruled=ruled, seps=seps)
        elif rk == "indicator":
            if not ruled:
                d.space(4)
            x = content_x(r) if kind == "results" else X0 + pad + numw + (step if cue["indent"] else 0.0)
            items = [text_item(x, ln, F["r"], BODY, d.lead) for ln in ml.wrap(r["name"], F["r"], BODY, X1 - pad - x)]
            if r.get("description"):
                items += desc_items(r["description"], x)
            items.append(Item(3))
            items += value_items(d, r, x, X1 - pad, st, mon)
            d.row(items, X0, X1, ruled=ruled, seps=[X0 + numw] if numw else [])


def _colored(it, color):
    if not color:
        return it.draw

    def draw(c, top):
        c.setFillColor(color)
        it.draw(c, top)
        c.setFillColor("#000000")

    return draw


def value_items(d, r, x, xmax, st, mon):
    from reportlab.pdfbase.pdfmetrics import stringWidth

    F = d.F
    ulabel = "Mittayksikkö:" if mon else "Mittayksikkö"
    labels = [ml.value_label(kd, y) for kd, y, _ in r["values"]]
    vals = [raw or "" for _, _, raw in r["values"]]
    unit = r.get("unit") or ""
    size, lead = 9.0, 12.0
    gridlines = st["ruled"]
    mode = st["values"]
    if mode == "stacked":
        out = []
        vx = x + max(80.0, max(stringWidth(s, F["i"], size) for s in [ulabel] + labels) + 12)
        for lab, v in [(ulabel, unit)] + list(zip(labels, vals)):
            extra = [(vx, v, F["r"], size)] if v else []
            out.append(text_item(x, lab, F["i"], size, lead, None, extra))
        return out
    if mode == "transposed":
        w0 = max(stringWidth(s, F["b"], size) for s in [ulabel] + labels) + 10
        w1 = max([stringWidth(s, F["r"], size) for s in [unit] + vals] + [40.0]) + 10
        out = []
        for lab, v in [(ulabel, unit)] + list(zip(labels, vals)):
            out.append(_cells_item([(x, w0, lab, F["b"]), (x + w0, w1, v, F["r"])], size, lead, gridlines))
        return out
    # side by side: two rows, label row bold over value row
    while True:
        wu = max(80.0, stringWidth(ulabel, F["b"], size) + 8, stringWidth(unit, F["r"], size) + 8)
        wy = max([48.0] + [stringWidth(s, F["b"], size) + 8 for s in labels] +
                 [stringWidth(s, F["r"], size) + 8 for s in vals])
        total = wu + wy * len(labels)
        gx = x if x + total <= xmax else max(d.x0 + 4, xmax - total)
        if gx + total <= xmax + 0.5 or size <= 6:
            break
        size -= 0.5
        lead = size * 1.35
    cols = [(gx, wu)] + [(gx + wu + wy * n, wy) for n in range(len(labels))]
    row1 = [(cx, cw, s, F["b"]) for (cx, cw), s in zip(cols, [ulabel] + labels)]
    row2 = [(cx, cw, s, F["r"]) for (cx, cw), s in zip(cols, [unit] + vals)]
    return [_cells_item(row1, size, lead, gridlines), _cells_item(row2, size, lead, gridlines)]


def _cells_item(cells, size, lead, grid):
    def draw(c, top):
        base = top - (lead - size) / 2 - 0.78 * size
        for cx, cw, s, font in cells:
            if s:
                c.setFont(font, size)
                c.drawString(cx + 3, base, s)
            if grid:
                c.setLineWidth(0.3)
                c.rect(cx, top - lead, cw, lead, stroke=1, fill=0)

    return Item(lead, draw)


def rl_render(prepared, header, title, st, target, total=None):
    d = RLDoc(target, st, header, title, total)
    F = d.F
    first = True
    for blocks, a in prepared:
        if not first:
            d.new_page()
        first = False
        for b in blocks:
            kind = b[0]
            if kind == "cover":
                if not d.at_top:
                    d.new_page()
                d.y = d.H - (260 if d.H > d.W else 180)
                lines = b[1]
                for k, ln in enumerate(lines):
                    big = k == len(lines) - 1
                    font, size = (F["b"], 18) if big else (F["r"], 14)
                    if big:
                        d.y -= 30
                    for w in ml.wrap(ln, font, size, d.x1 - d.x0):
                        d.y -= size * 1.5
                        d.c.setFont(font, size)
                        d.c.drawString(d.x0, d.y, w)
                d.new_page()
            elif kind == "chapter":
                level, head = b[1], b[2]
                size = 14.0 if level == 1 else 12.0
                d.space(d.lead * (1.2 if level == 1 else 0.8))
                d.need(size * 1.4 + d.lead * 3)
                d.lines(ml.wrap(head, F["b"], size, d.x1 - d.x0), d.x0, F["b"], size, size * 1.4)
                d.y -= 4
            elif kind == "para":
                d.space(d.lead * 0.5)
                d.para(b[1])
            elif kind == "bullet":
                d.space(d.lead * 0.5)
                hang(d, "•", b[1][2:] if b[1].startswith("• ") else b[1], 14)
            elif kind == "caption":
                d.space(d.lead * 0.6)
                d.need(d.lead * 3)
                d.lines([b[1]], d.x0, F["i"], BODY - 1, d.lead)
            elif kind == "impacts":
                if st["impact"] == "table":
                    d.space(d.lead * 0.6)
                    impact_table(d, b[1], st)
                else:
                    for n, (text, mini) in enumerate(b[1]):
                        d.space(d.lead * 0.5)
                        mark = "•" if st["impact"] == "bullets" else f"{n + 1}."
                        hang(d, mark, f"{text} ({mini})", 18)
            elif kind in ("results", "resources", "monitoring"):
                d.space(d.lead * 0.6)
                rl_table(d, b[1], kind, st)
                d.space(d.lead)
            elif kind == "date":
                d.space(d.lead * 1.5)
                d.need(d.lead * 3)
                d.lines([b[1]], d.x0, F["r"], BODY, d.lead)
                d.space(d.lead)
            elif kind == "signatures":
                for org, name, ttl in b[1]:
                    if st["signatures"] == "table":
                        d.space(d.lead * 1.5)
                        d.need(d.lead * 2)
                        text_item(d.x0, org, F["r"], BODY, d.lead, None,
                                  [(d.x0 + (d.x1 - d.x0) / 2, f"{name}, {ttl}", F["r"], BODY)]).draw(d.c, d.y)
                        d.y -= d.lead
                        d.at_top = False
                    else:
                        d.space(d.lead * 1.5)
                        d.need(d.lead * 6)
                        d.lines([org], d.x0, F["r"], BODY, d.lead)
                        d.y -= d.lead * 1.8
                        d.c.setLineWidth(0.5)
                        d.c.line(d.x0, d.y, d.x0 + 200, d.y)
                        d.lines([name], d.x0, F["r"], BODY, d.lead)
                        d.lines([ttl], d.x0, F["r"], BODY, d.lead)
    return d.save()


def hang(d, mark, text, indent):
    F = d.F
    lines = ml.wrap(text, F["r"], BODY, d.x1 - d.x0 - indent)
    d.need(d.lead)
    text_item(d.x0 + indent, lines[0], F["r"], BODY, d.lead, None, [(d.x0 + 2, mark, F["r"], BODY)]).draw(d.c, d.y)
    d.y -= d.lead
    d.at_top = False
    d.lines(lines[1:], d.x0 + indent, F["r"], BODY, d.lead)


def impact_table(d, pairs, st):
    F = d.F
    X0, X1 = d.x0, d.x1
    mw = 80.0
    sep = X1 - mw
    rows = [(IMPACT_HEAD[0], IMPACT_HEAD[1], F["b"])] + [(t, m, F["r"]) for t, m in pairs]
    for k, (t, m, font) in enumerate(rows):
        lines = ml.wrap(t, font, BODY, sep - X0 - 8)
        items = []
        for n, ln in enumerate(lines):
            items.append(text_item(X0 + 4, ln, font, BODY, d.lead))
        # the ministry cell after the whole text cell in the content stream (reading order of a table)
        items[0].post = text_item(sep + 4, m, font, BODY, d.lead).draw
        d.row(items, X0, X1, fill="#e7e6e6" if k == 0 else None, ruled=st["ruled"], seps=[sep],
              keep=d.lead if k == 0 else 0)


def render_reportlab(prepared, header, title, st, out_pdf):
    total = None
    if st["furniture"] == "browser":
        total = rl_render(prepared, header, title, st, io.BytesIO())
    rl_render(prepared, header, title, st, out_pdf, total)


# ---------------------------------------------------------------------------------------------
# LibreOffice: shared
# ---------------------------------------------------------------------------------------------

LOCK = "/tmp/render_office.soffice.lock"


def nb(s):
    """No-break space after a suspended compound ("seuranta- ja"), as make_layout.x does; a word joiner (U+2060,
    not extracted by pdftotext) after a dash or slash inside a word ("2026–2030", "ja/tai"), where LibreOffice
    would otherwise break the line and the reader would join the halves with a space."""
    s = re.sub(r"(?<=\S-) (?=\S)", "\u00a0", s)
    return re.sub(r"(?<=\S)([–—/])(?=\S)", "\\1\u2060", s)


def soffice_pdf(src, out_pdf):
    """One soffice at a time (a lock file), each with its own throw-away profile."""
    with open(LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with tempfile.TemporaryDirectory(prefix="lo-") as td:
            profile = "file://" + os.path.join(td, "profile")
            r = subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                                "--outdir", td, src], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=900)
            out = os.path.join(td, os.path.splitext(os.path.basename(src))[0] + ".pdf")
            if not os.path.exists(out):
                raise RuntimeError(f"soffice made no PDF from {src}: {r.stdout.decode(errors='replace')[-2000:]}")
            shutil.copy(out, out_pdf)
    ml.fix_lo_pdf(out_pdf)


def label_width_cm(st):
    """Width of the results table's label column: "Tavoite 2026" at 9.5 pt on one line (+ cell padding)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    F = rl_fonts(st["font"])
    w = stringWidth("Tavoite 2026", F["r"], 9.5) / (72 / 2.54) + 0.7
    return max(2.4, round(w + 0.05, 1))


def page_geometry(st):
    """(width cm, height cm, margin top/bottom cm, margin left/right cm)"""
    w, h = PAGES[st["page"]]
    cm = 72 / 2.54
    land = w > h
    return w / cm, h / cm, (1.5 if land else 1.6), (2.2 if land else 2.0)


# ---------------------------------------------------------------------------------------------
# LibreOffice from a flat ODT
# ---------------------------------------------------------------------------------------------


def fx(s):
    return escape(nb(s))


def fodt(prepared, header, title, st):
    cue = cue_of(st["level_cue"])
    fam = FONTS[st["font"]][0]
    pw, ph, mtb, mlr = page_geometry(st)
    tw = pw - 2 * mlr  # text width cm
    numw = 1.2 if cue["numbering"] else 0.0
    labw = label_width_cm(st)
    border = '0.5pt solid #000000' if st["ruled"] else 'none'
    gborder = '0.3pt solid #808080' if st["ruled"] else 'none'
    fur = st["furniture"] != "none"
    S = []  # styles
    A = []  # automatic styles

    def pstyle(name, text_props="", para_props="", parent="Standard", extra="", tab=None):
        tabs = f'<style:tab-stops><style:tab-stop style:position="{tab:.2f}cm"/></style:tab-stops>' if tab else ""
        S.append(f'<style:style style:name="{name}" style:family="paragraph" style:parent-style-name="{parent}"{extra}>'
                 + (f'<style:paragraph-properties {para_props}>{tabs}</style:paragraph-properties>' if para_props else "")
                 + (f'<style:text-properties {text_props}/>' if text_props else "") + '</style:style>')

    pstyle("Text_20_body", para_props='fo:margin-top="0cm" fo:margin-bottom="0.2cm" fo:line-height="120%"',
           extra=' style:display-name="Text body"')
    for lv, size in ((1, 15), (2, 12)):
        pstyle(f"Heading_20_{lv}", f'fo:font-size="{size}pt" fo:font-weight="bold" fo:color="#1f3864"',
               f'fo:margin-top="{0.5 if lv == 1 else 0.35}cm" fo:margin-bottom="0.2cm" fo:keep-with-next="always"',
               extra=f' style:display-name="Heading {lv}" style:default-outline-level="{lv}"')
    pstyle("Caption", 'fo:font-size="9pt" fo:font-style="italic"',
           'fo:margin-top="0.2cm" fo:margin-bottom="0.2cm" fo:keep-with-next="always"')
    pstyle("Bullet", "", 'fo:margin-left="0.6cm" fo:text-indent="-0.4cm"', parent="Text_20_body")
    pstyle("Numero", "", 'fo:margin-left="0.7cm" fo:text-indent="-0.7cm"', parent="Text_20_body")
    pstyle("Cover", 'fo:font-size="14pt"', 'fo:margin-bottom="0.3cm"')
    pstyle("CoverTitle", 'fo:font-size="20pt" fo:font-weight="bold"', 'fo:margin-top="1.2cm"')
    for lv in range(5):
        bold, size, ind, fill, white = heading_look(cue, lv)
        tp = f'fo:font-size="{size}pt"' + (' fo:font-weight="bold"' if bold else "") + \
            (' fo:color="#ffffff"' if white else "")
        pstyle(f"Taso{lv}", tp, f'fo:margin-left="{0.6 * ind:.2f}cm" fo:keep-with-next="always"')
        dind = f'fo:margin-left="{0.6 * ind:.2f}cm"'
        pstyle(f"Kuvaus{lv}", 'fo:font-size="9pt"' + (' fo:font-style="italic"' if st["description_italic"] else "")
               + (' fo:color="#ffffff"' if white and st["description"] == "in-cell" else ""),
               dind + ' fo:margin-top="0.1cm"')
        pstyle(f"Sisennys{lv}", 'fo:font-size="9.5pt"', f'fo:margin-left="{0.6 * ind:.2f}cm" fo:margin-bottom="0.1cm"')
        pstyle(f"Mittari{lv}", 'fo:font-size="9.5pt"', f'fo:margin-left="{0.6 * ind:.2f}cm"')
        pstyle(f"Pino{lv}", 'fo:font-size="8.5pt"', f'fo:margin-left="{0.6 * ind:.2f}cm"', tab=3.0)
    pstyle("Solu", 'fo:font-size="9.5pt"', 'fo:margin-bottom="0.1cm"')
    pstyle("Vuosi", 'fo:font-size="8pt" fo:font-weight="bold"')
    pstyle("Arvo", 'fo:font-size="8pt"')
    pstyle("Numerosolu", 'fo:font-size="9.5pt"')
    pstyle("Header", 'fo:font-size="8pt" fo:color="#555555"')
    pstyle("Footer", 'fo:font-size="8pt"', 'fo:text-align="center"')
    pstyle("PB", "", 'fo:break-before="page"')

    def cell(name, fill=None, b=border):
        A.append(f'<style:style style:name="{name}" style:family="table-cell"><style:table-cell-properties '
                 f'fo:padding="0.1cm" fo:border="{b}"' + (f' fo:background-color="{fill}"' if fill else "")
                 + '/></style:style>')

    for lv in range(5):
        cell(f"SoluT{lv}", heading_look(cue, lv)[3])
    cell("SoluN")
    cell("SoluH", "#e7e6e6")
    cell("SoluNone", None, "none")
    A.append(f'<style:style style:name="VSolu" style:family="table-cell"><style:table-cell-properties '
             f'fo:padding="0.05cm" fo:border="{gborder}"/></style:style>')
    A.append('<style:style style:name="Rivi" style:family="table-row"><style:table-row-properties '
             'fo:keep-together="auto"/></style:style>')

    def table_style(name, width, cols):
        A.append(f'<style:style style:name="{name}" style:family="table"><style:table-properties '
                 f'style:width="{width:.2f}cm" table:align="left" style:may-break-between-rows="true"/></style:style>')
        for k, w in enumerate(cols):
            A.append(f'<style:style style:name="{name}.{k}" style:family="table-column">'
                     f'<style:table-column-properties style:column-width="{w:.2f}cm"/></style:style>')

    res_cols = ([numw] if numw else []) + [labw, tw - numw - labw]
    table_style("Tulos", tw, res_cols)
    table_style("Vaik", tw, [tw - 3.0, 3.0])
    table_style("Alle", tw, [tw / 2, tw / 2])
    grid_tables = {}

    def grid_style(ncols, transposed):
        key = ("T" if transposed else "S") + str(ncols)
        if key not in grid_tables:
            if transposed:
                cols = [2.8, 2.8]
            else:
                yw = min(1.9, (tw - numw - 2.8 - 0.6) / max(ncols - 1, 1))
                cols = [2.8] + [yw] * (ncols - 1)
            table_style("Grid" + key, sum(cols), cols)
            grid_tables[key] = cols
        return "Grid" + key

    out = []
    tcount = [0]
    pending_break = [False]

    def p(style, text):
        if pending_break[0]:
            out.append('<text:p text:style-name="PB"/>')
            pending_break[0] = False
        out.append(f'<text:p text:style-name="{style}">{fx(text)}</text:p>')

    def tcell(style, inner, span=1):
        sp = f' table:number-columns-spanned="{span}"' if span > 1 else ""
        return (f'<table:table-cell table:style-name="{style}"{sp} office:value-type="string">{inner}</table:table-cell>'
                + "<table:covered-table-cell/>" * (span - 1))

    def para(style, text):
        return f'<text:p text:style-name="{style}">{fx(text)}</text:p>' if text else f'<text:p text:style-name="{style}"/>'

    def values_xml(r, mon, lv):
        ulabel = "Mittayksikkö:" if mon else "Mittayksikkö"
        labels = [ml.value_label(kd, y) for kd, y, _ in r["values"]]
        vals = [raw or "" for _, _, raw in r["values"]]
        unit = r.get("unit") or ""
        mode = st["values"]
        if mode == "stacked":
            s = []
            for lab, v in [(ulabel, unit)] + list(zip(labels, vals)):
                s.append(f'<text:p text:style-name="Pino{lv}">{fx(lab)}' + (f'<text:tab/>{fx(v)}' if v else "")
                         + '</text:p>')
            return "".join(s)
        tcount[0] += 1
        if mode == "transposed":
            name = grid_style(2, True)
            s = [f'<table:table table:name="Vuodet{tcount[0]}" table:style-name="{name}">',
                 f'<table:table-column table:style-name="{name}.0"/><table:table-column table:style-name="{name}.1"/>']
            for lab, v in [(ulabel, unit)] + list(zip(labels, vals)):
                s.append('<table:table-row>' + tcell("VSolu", para("Vuosi", lab)) + tcell("VSolu", para("Arvo", v))
                         + '</table:table-row>')
            s.append('</table:table>')
            return "".join(s)
        name = grid_style(len(labels) + 1, False)
        s = [f'<table:table table:name="Vuodet{tcount[0]}" table:style-name="{name}">']
        s += [f'<table:table-column table:style-name="{name}.{k}"/>' for k in range(len(labels) + 1)]
        s.append('<table:table-row>' + "".join(tcell("VSolu", para("Vuosi", t)) for t in [ulabel] + labels)
                 + '</table:table-row><table:table-row>'
                 + "".join(tcell("VSolu", para("Arvo", t)) for t in [unit] + vals) + '</table:table-row>')
        s.append('</table:table>')
        return "".join(s)

    def results_table(rows, kind):
        tcount[0] += 1
        nums = numbered(rows) if numw else {}
        ncol = len(res_cols)
        s = [f'<table:table table:name="Taulukko{tcount[0]}" table:style-name="Tulos">']
        s += [f'<table:table-column table:style-name="Tulos.{k}"/>' for k in range(ncol)]

        def row(cells):
            s.append('<table:table-row table:style-name="Rivi">' + cells + '</table:table-row>')

        def lead_cell(k, style):
            # the number cell of the numbering cue (empty for targets and indicators)
            return tcell(style, para("Numerosolu", nums.get(k, ""))) if numw else ""

        for k, r in enumerate(rows):
            rk = r["kind"]
            if rk in ("sl", "goal", "group"):
                lv = min(r.get("level", 0), 4)
                inner = para(f"Taso{lv}", r["title"])
                desc = r.get("description")
                dpars = "".join(para(f"Kuvaus{lv}", d) for d in desc.split("\n\n")) if desc else ""
                if desc and st["description"] == "in-cell":
                    inner += dpars
                cs = f"SoluT{lv}"
                row(lead_cell(k, cs) + tcell(cs, inner, ncol - (1 if numw else 0)))
                if desc and st["description"] == "own-row":
                    row(lead_cell(-1, "SoluN") + tcell("SoluN", dpars, ncol - (1 if numw else 0)))
            elif rk == "target":
                lv = min(r["level"], 4)
                label = f"Tavoite {r['year']}"
                body = "".join(para(f"Sisennys{lv}" if st["target_label"] == "above" else "Solu", t)
                               for t in r["paras"])
                if st["target_label"] == "beside":
                    # the label column is narrow: no indentation there (levels show on the heading rows)
                    row(lead_cell(-1, "SoluN") + tcell("SoluN", para("Solu", label)) + tcell("SoluN", body))
                else:
                    row(lead_cell(-1, "SoluN") + tcell("SoluN", para(f"Sisennys{lv}", label) + body,
                                                       ncol - (1 if numw else 0)))
            elif rk == "indicator":
                lv = min(r["level"], 4)
                inner = para(f"Mittari{lv}", r["name"])
                if r.get("description"):
                    inner += para(f"Kuvaus{lv}", r["description"])
                inner += values_xml(r, kind == "monitoring", lv)
                row(lead_cell(-1, "SoluN") + tcell("SoluN", inner, ncol - (1 if numw else 0)))
        s.append("</table:table>")
        out.append("".join(s))

    first = True
    for blocks, a in prepared:
        if not first:
            pending_break[0] = True
        first = False
        for b in blocks:
            kind = b[0]
            if kind == "cover":
                for k, ln in enumerate(b[1]):
                    p("CoverTitle" if k == len(b[1]) - 1 else "Cover", ln)
                pending_break[0] = True
            elif kind == "chapter":
                if pending_break[0]:
                    out.append('<text:p text:style-name="PB"/>')
                    pending_break[0] = False
                lv = min(b[1], 2)
                out.append(f'<text:h text:style-name="Heading_20_{lv}" text:outline-level="{lv}">{fx(b[2])}</text:h>')
            elif kind == "para":
                p("Text_20_body", b[1])
            elif kind == "bullet":
                p("Bullet", b[1])
            elif kind == "caption":
                p("Caption", b[1])
            elif kind == "impacts":
                if st["impact"] == "table":
                    tcount[0] += 1
                    s = [f'<table:table table:name="Vaikuttavuus{tcount[0]}" table:style-name="Vaik">',
                             '<table:table-column table:style-name="Vaik.0"/>'
                         '<table:table-column table:style-name="Vaik.1"/>',
                         '<table:table-row>' + tcell("SoluH", para("Vuosi", IMPACT_HEAD[0]))
                         + tcell("SoluH", para("Vuosi", IMPACT_HEAD[1])) + '</table:table-row>']
                    for t, m in b[1]:
                        s.append('<table:table-row>' + tcell("SoluN", para("Solu", t)) + tcell("SoluN", para("Solu", m))
                                 + '</table:table-row>')
                    s.append('</table:table>')
                    out.append("".join(s))
                    p("Text_20_body", "")
                else:
                    for n, (t, m) in enumerate(b[1]):
                        if st["impact"] == "bullets":
                            p("Bullet", f"• {t} ({m})")
                        else:
                            out.append(f'<text:p text:style-name="Numero">{n + 1}.<text:tab/>{fx(t)} ({fx(m)})</text:p>')
            elif kind in ("results", "resources", "monitoring"):
                results_table(b[1], kind)
                p("Text_20_body", "")
            elif kind == "date":
                p("Text_20_body", "")
                p("Text_20_body", b[1])
            elif kind == "signatures":
                if st["signatures"] == "table":
                    tcount[0] += 1
                    s = [f'<table:table table:name="Allekirjoitukset{tcount[0]}" table:style-name="Alle">',
                         '<table:table-column table:style-name="Alle.0"/><table:table-column table:style-name="Alle.1"/>']
                    for org, name, ttl in b[1]:
                        s.append('<table:table-row>'
                                 + tcell("SoluNone", para("Text_20_body", "") + para("Text_20_body", org))
                                 + tcell("SoluNone", para("Text_20_body", "") + para("Text_20_body", f"{name}, {ttl}"))
                                 + '</table:table-row>')
                    s.append("</table:table>")
                    out.append("".join(s))
                else:
                    for org, name, ttl in b[1]:
                        p("Text_20_body", "")
                        p("Text_20_body", org)
                        p("Text_20_body", "")
                        p("Text_20_body", "_" * 36)
                        p("Text_20_body", name)
                        p("Text_20_body", ttl)

    head = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:meta><dc:title>{fx(title)}</dc:title><meta:creation-date>2026-01-01T00:00:00</meta:creation-date><dc:date>2026-01-01T00:00:00</dc:date></office:meta>
<office:font-face-decls>
 <style:font-face style:name="{fam}" svg:font-family="'{fam}'"/>
</office:font-face-decls>
<office:styles>
 <style:default-style style:family="paragraph">
  <style:paragraph-properties fo:hyphenation-ladder-count="no-limit"/>
  <style:text-properties style:font-name="{fam}" fo:font-size="{BODY}pt" fo:language="fi" fo:country="FI" fo:hyphenate="false"/>
 </style:default-style>
 <style:style style:name="Standard" style:family="paragraph" style:class="text"/>
 {chr(10).join(S)}
</office:styles>
<office:automatic-styles>
 <style:page-layout style:name="pm1">
  <style:page-layout-properties fo:page-width="{pw:.3f}cm" fo:page-height="{ph:.3f}cm" style:print-orientation="{'landscape' if pw > ph else 'portrait'}" fo:margin-top="{mtb}cm" fo:margin-bottom="{mtb}cm" fo:margin-left="{mlr}cm" fo:margin-right="{mlr}cm"/>
  <style:header-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-bottom="0.5cm"/></style:header-style>
  <style:footer-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-top="0.5cm"/></style:footer-style>
 </style:page-layout>
 {chr(10).join(A)}
</office:automatic-styles>
<office:master-styles>
 <style:master-page style:name="Standard" style:page-layout-name="pm1">
"""
    if fur:
        head += (f'  <style:header><text:p text:style-name="Header">{fx(header)}</text:p></style:header>\n'
                 '  <style:footer><text:p text:style-name="Footer">Sivu <text:page-number text:select-page="current">1'
                 '</text:page-number></text:p></style:footer>\n')
    head += " </style:master-page>\n</office:master-styles>\n<office:body><office:text>\n"
    return head + "\n".join(out) + "\n</office:text></office:body></office:document>\n"


def render_lo_odt(prepared, header, title, st, out_pdf):
    with tempfile.TemporaryDirectory(prefix="farm-odt-") as td:
        src = os.path.join(td, "sopimus.fodt")
        with open(src, "w", encoding="utf-8") as f:
            f.write(fodt(prepared, header, title, st))
        soffice_pdf(src, out_pdf)


# ---------------------------------------------------------------------------------------------
# LibreOffice from python-docx
# ---------------------------------------------------------------------------------------------


def docx_bytes(prepared, header, title, st):
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    cue = cue_of(st["level_cue"])
    fam = FONTS[st["font"]][0]
    pw, ph, mtb, mlr = page_geometry(st)
    tw = pw - 2 * mlr
    numw = 1.2 if cue["numbering"] else 0.0
    labw = label_width_cm(st)

    doc = docx.Document()
    cp = doc.core_properties
    cp.title = title
    cp.author = "tulossopimus render farm"
    cp.last_modified_by = ""
    cp.revision = 1
    import datetime
    cp.created = cp.modified = datetime.datetime(2026, 1, 1)

    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE if pw > ph else WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(pw), Cm(ph)
    sec.top_margin = sec.bottom_margin = Cm(mtb + 0.8)
    sec.left_margin = sec.right_margin = Cm(mlr)
    sec.header_distance = sec.footer_distance = Cm(mtb)

    def set_font(style_font, size=None, bold=None, italic=None, color=None):
        style_font.name = fam
        rpr = style_font.element if hasattr(style_font, "element") else None
        if size is not None:
            style_font.size = Pt(size)
        if bold is not None:
            style_font.bold = bold
        if italic is not None:
            style_font.italic = italic
        if color is not None:
            style_font.color.rgb = RGBColor.from_string(color.lstrip("#"))
        return rpr

    styles = doc.styles

    def fix_fonts(style):
        rpr = style.element.get_or_add_rPr()
        rfonts = rpr.find(qn("w:rFonts"))
        if rfonts is None:
            rfonts = OxmlElement("w:rFonts")
            rpr.insert(0, rfonts)
        for a in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            rfonts.set(qn(a), fam)
        for a in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            if rfonts.get(qn(a)) is not None:
                del rfonts.attrib[qn(a)]

    normal = styles["Normal"]
    set_font(normal.font, BODY)
    fix_fonts(normal)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)

    def pstyle(name, size=BODY, bold=False, italic=False, color=None, left=0.0, after=0.0, before=0.0, keep=False,
               first=None):
        s = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        s.base_style = normal
        set_font(s.font, size, bold, italic, color)
        fix_fonts(s)
        pf = s.paragraph_format
        pf.left_indent = Cm(left)
        pf.space_after = Pt(after)
        pf.space_before = Pt(before)
        if first is not None:
            pf.first_line_indent = Cm(first)
        if keep:
            pf.keep_with_next = True
        return s

    pstyle("Leipäteksti", after=5, keep=False)
    for lv, size in ((1, 15), (2, 12)):
        h = styles[f"Heading {lv}"]
        set_font(h.font, size, True, False, "#1f3864")
        fix_fonts(h)
        h.paragraph_format.space_before = Pt(14 if lv == 1 else 10)
        h.paragraph_format.space_after = Pt(6)
    pstyle("Kuvateksti", 9, italic=True, before=5, after=5, keep=True)
    pstyle("Luettelo", left=0.6, first=-0.4, after=5)
    pstyle("Numeroitu", left=0.7, first=-0.7, after=5)
    pstyle("Kansi", 14, after=8)
    pstyle("Kansiotsikko", 20, bold=True, before=34)
    for lv in range(5):
        bold, size, ind, fill, white = heading_look(cue, lv)
        pstyle(f"Taso{lv}", size, bold=bold, color="#ffffff" if white else None, left=0.6 * ind, keep=True,
               before=3, after=2)
        pstyle(f"Kuvaus{lv}", 9, italic=st["description_italic"],
               color="#ffffff" if (white and st["description"] == "in-cell") else None, left=0.6 * ind, before=3)
        pstyle(f"Sisennys{lv}", 9.5, left=0.6 * ind, after=3)
        pstyle(f"Mittari{lv}", 9.5, left=0.6 * ind)
        ps = pstyle(f"Pino{lv}", 8.5, left=0.6 * ind)
        ps.paragraph_format.tab_stops.add_tab_stop(Cm(0.6 * ind + 3))
    pstyle("Solu", 9.5, after=3, before=1)
    pstyle("Vuosi", 8, bold=True)
    pstyle("Arvo", 8)
    pstyle("Numerosolu", 9.5)
    pstyle("Ylätunniste", 8, color="#555555")
    pstyle("Alatunniste", 8)

    def nbt(s):
        return nb(s)

    if st["furniture"] != "none":
        hp = sec.header.paragraphs[0]
        hp.style = styles["Ylätunniste"]
        hp.add_run(nbt(header))
        fp = sec.footer.paragraphs[0]
        fp.style = styles["Alatunniste"]
        fp.alignment = 1
        fp.add_run("Sivu ")
        fld = OxmlElement("w:fldSimple")
        fld.set(qn("w:instr"), "PAGE")
        r = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.text = "1"
        r.append(t)
        fld.append(r)
        fp._p.append(fld)

    def shade(cell, fill):
        tcpr = cell._tc.get_or_add_tcPr()
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), fill.lstrip("#"))
        tcpr.append(shd)

    def borders(table, on, size=4, color="000000"):
        tblpr = table._tbl.tblPr
        b = OxmlElement("w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            e = OxmlElement(f"w:{edge}")
            e.set(qn("w:val"), "single" if on else "nil")
            if on:
                e.set(qn("w:sz"), str(size))
                e.set(qn("w:space"), "0")
                e.set(qn("w:color"), color)
            b.append(e)
        tblpr.append(b)

    def widths(table, cols):
        table.autofit = False
        for k, w in enumerate(cols):
            for c in table.columns[k].cells:
                c.width = Cm(w)
        grid = table._tbl.tblGrid
        for k, gc in enumerate(grid.findall(qn("w:gridCol"))):
            gc.set(qn("w:w"), str(int(cols[k] / 2.54 * 1440)))

    def put(cell, style, text, first_par=True):
        """Write a paragraph into a cell (reusing its initial empty paragraph)."""
        if first_par and len(cell.paragraphs) == 1 and not cell.paragraphs[0].text and not cell.tables:
            par = cell.paragraphs[0]
        else:
            par = cell.add_paragraph()
        par.style = styles[style]
        if text:
            par.add_run(nbt(text))
        return par

    body = doc

    res_cols = ([numw] if numw else []) + [labw, tw - numw - labw]

    def new_table(container, ncols, cols, ruled=st["ruled"], gsize=4, gcolor="000000"):
        t = container.add_table(rows=0, cols=ncols)
        borders(t, ruled, gsize, gcolor)
        t._cols = cols
        return t

    def add_row(t, span_from=None):
        r = t.add_row()
        for k, c in enumerate(r.cells):
            c.width = Cm(t._cols[k])
        cells = r.cells
        if span_from is not None and span_from < len(cells) - 1:
            m = cells[span_from].merge(cells[-1])
            return list(cells[:span_from]) + [m]
        return list(cells)

    def values(cell, r, mon, lv):
        ulabel = "Mittayksikkö:" if mon else "Mittayksikkö"
        labels = [ml.value_label(kd, y) for kd, y, _ in r["values"]]
        vals = [raw or "" for _, _, raw in r["values"]]
        unit = r.get("unit") or ""
        mode = st["values"]
        if mode == "stacked":
            for lab, v in [(ulabel, unit)] + list(zip(labels, vals)):
                par = put(cell, f"Pino{lv}", lab, first_par=False)
                if v:
                    par.add_run("\t" + nbt(v))
            return
        if mode == "transposed":
            cols = [2.8, 2.8]
            g = new_table(cell, 2, cols, gsize=2, gcolor="808080")
            for lab, v in [(ulabel, unit)] + list(zip(labels, vals)):
                c0, c1 = add_row(g)
                put(c0, "Vuosi", lab)
                put(c1, "Arvo", v)
        else:
            yw = min(1.9, (tw - numw - 2.8 - 0.6) / max(len(labels), 1))
            cols = [2.8] + [yw] * len(labels)
            g = new_table(cell, len(cols), cols, gsize=2, gcolor="808080")
            for texts, sty in (([ulabel] + labels, "Vuosi"), ([unit] + vals, "Arvo")):
                cs = add_row(g)
                for c, tx in zip(cs, texts):
                    put(c, sty, tx)
        widths(g, cols)
        cell.add_paragraph().style = styles["Arvo"]  # Word requires a paragraph after a nested table

    def results_table(rows, kind):
        nums = numbered(rows) if numw else {}
        ncol = len(res_cols)
        t = new_table(body, ncol, res_cols)
        s0 = 1 if numw else 0

        def lead(cs, k, fill=None):
            if numw:
                put(cs[0], "Numerosolu", nums.get(k, ""))
                if fill:
                    shade(cs[0], fill)

        for k, r in enumerate(rows):
            rk = r["kind"]
            if rk in ("sl", "goal", "group"):
                lv = min(r.get("level", 0), 4)
                fill = heading_look(cue, lv)[3]
                cs = add_row(t, s0)
                lead(cs, k, fill)
                if fill:
                    shade(cs[-1], fill)
                put(cs[-1], f"Taso{lv}", r["title"])
                desc = r.get("description")
                if desc:
                    if st["description"] == "own-row":
                        cs = add_row(t, s0)
                        lead(cs, -1)
                    for d in desc.split("\n\n"):
                        put(cs[-1], f"Kuvaus{lv}", d)
            elif rk == "target":
                lv = min(r["level"], 4)
                label = f"Tavoite {r['year']}"
                if st["target_label"] == "beside":
                    cs = add_row(t)
                    lead(cs, -1)
                    put(cs[-2], "Solu", label)
                    for tx in r["paras"]:
                        put(cs[-1], "Solu", tx)
                else:
                    cs = add_row(t, s0)
                    lead(cs, -1)
                    put(cs[-1], f"Sisennys{lv}", label)
                    for tx in r["paras"]:
                        put(cs[-1], f"Sisennys{lv}", tx)
            elif rk == "indicator":
                lv = min(r["level"], 4)
                cs = add_row(t, s0)
                lead(cs, -1)
                put(cs[-1], f"Mittari{lv}", r["name"])
                if r.get("description"):
                    put(cs[-1], f"Kuvaus{lv}", r["description"])
                values(cs[-1], r, kind == "monitoring", lv)
        widths(t, res_cols)
        doc.add_paragraph(style="Leipäteksti")

    pending_break = [False]

    def p(style, text):
        par = doc.add_paragraph(style=style)
        if pending_break[0]:
            par.paragraph_format.page_break_before = True
            pending_break[0] = False
        if text:
            par.add_run(nbt(text))
        return par

    first = True
    for blocks, a in prepared:
        if not first:
            pending_break[0] = True
        first = False
        for b in blocks:
            kind = b[0]
            if kind == "cover":
                for k, ln in enumerate(b[1]):
                    p("Kansiotsikko" if k == len(b[1]) - 1 else "Kansi", ln)
                pending_break[0] = True
            elif kind == "chapter":
                p(f"Heading {min(b[1], 2)}", b[2])
            elif kind == "para":
                p("Leipäteksti", b[1])
            elif kind == "bullet":
                p("Luettelo", b[1])
            elif kind == "caption":
                p("Kuvateksti", b[1])
            elif kind == "impacts":
                if st["impact"] == "table":
                    if pending_break[0]:
                        p("Leipäteksti", "")
                    t = new_table(body, 2, [tw - 3.0, 3.0])
                    c0, c1 = add_row(t)
                    put(c0, "Vuosi", IMPACT_HEAD[0])
                    put(c1, "Vuosi", IMPACT_HEAD[1])
                    shade(c0, "#e7e6e6")
                    shade(c1, "#e7e6e6")
                    for tx, m in b[1]:
                        c0, c1 = add_row(t)
                        put(c0, "Solu", tx)
                        put(c1, "Solu", m)
                    widths(t, [tw - 3.0, 3.0])
                    p("Leipäteksti", "")
                else:
                    for n, (tx, m) in enumerate(b[1]):
                        if st["impact"] == "bullets":
                            p("Luettelo", f"• {tx} ({m})")
                        else:
                            par = p("Numeroitu", f"{n + 1}.")
                            par.paragraph_format.tab_stops.add_tab_stop(Cm(0.7))
                            par.add_run("\t" + nbt(f"{tx} ({m})"))
            elif kind in ("results", "resources", "monitoring"):
                if pending_break[0]:
                    p("Leipäteksti", "")
                results_table(b[1], kind)
            elif kind == "date":
                p("Leipäteksti", "")
                p("Leipäteksti", b[1])
            elif kind == "signatures":
                if st["signatures"] == "table":
                    t = new_table(body, 2, [tw / 2, tw / 2], ruled=False)
                    for org, name, ttl in b[1]:
                        c0, c1 = add_row(t)
                        put(c0, "Leipäteksti", "")
                        put(c0, "Leipäteksti", org)
                        put(c1, "Leipäteksti", "")
                        put(c1, "Leipäteksti", f"{name}, {ttl}")
                    widths(t, [tw / 2, tw / 2])
                else:
                    for org, name, ttl in b[1]:
                        p("Leipäteksti", "")
                        p("Leipäteksti", org)
                        p("Leipäteksti", "")
                        p("Leipäteksti", "_" * 36)
                        p("Leipäteksti", name)
                        p("Leipäteksti", ttl)
    bio = io.BytesIO()
    doc.save(bio)
    return deterministic_zip(bio.getvalue())


def deterministic_zip(data):
    """Rewrite a .docx with fixed member timestamps (python-docx stamps the current time)."""
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, src.read(info.filename))
    return out.getvalue()


def render_lo_docx(prepared, header, title, st, out_pdf):
    with tempfile.TemporaryDirectory(prefix="farm-docx-") as td:
        src = os.path.join(td, "sopimus.docx")
        with open(src, "wb") as f:
            f.write(docx_bytes(prepared, header, title, st))
        soffice_pdf(src, out_pdf)


# ---------------------------------------------------------------------------------------------


def render(tree, style, producer, out_pdf):
    """Render `tree` (the model's JSON shape) in `style` (knob dict) with `producer` into `out_pdf`."""
    st = knobs(style)
    if producer not in PRODUCERS:
        raise ValueError(f"producer {producer!r}: expected one of {PRODUCERS}")
    prepared, header, title = prepare(tree)
    out_pdf = os.path.abspath(out_pdf)
    os.makedirs(os.path.dirname(out_pdf), exist_ok=True)
    if producer == "reportlab":
        render_reportlab(prepared, header, title, st, out_pdf)
    elif producer == "lo-odt":
        render_lo_odt(prepared, header, title, st, out_pdf)
    else:
        render_lo_docx(prepared, header, title, st, out_pdf)
    return out_pdf


def main():
    import argparse

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("tree")
    ap.add_argument("out_pdf")
    ap.add_argument("--producer", default="reportlab", choices=PRODUCERS)
    ap.add_argument("--knob", action="append", default=[], help="name=value, e.g. level_cue=shading")
    args = ap.parse_args()
    style = {}
    for kv in args.knob:
        k, v = kv.split("=", 1)
        style[k] = {"true": True, "false": False}.get(v.lower(), v)
    with open(args.tree, encoding="utf-8") as f:
        tree = json.load(f)
    print(render(tree, style, args.producer, args.out_pdf))


if __name__ == "__main__":
    main()
