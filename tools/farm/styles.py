"""The render farm's style knob space (shared by render_html.py and render_office.py).

A style is a plain dict {knob: value}. Every knob is drawn independently by
`sample_style(rng)` from `KNOBS` (values listed in a fixed order, so a seeded
`random.Random` gives the same style on every machine). Renderers must accept
every value; a renderer that cannot honour a value should approximate it and
say so in its docstring (the style is written next to each PDF as-is).

Knobs
-----
page               a4-portrait | a4-landscape | letter-portrait
font               carlito | caladea | liberation-sans | liberation-serif | dejavu-sans
level_cue          how heading rows of the results table show their level (strategic
                   line = level 0, goals 1..4); ONLY this cue varies between levels:
                   indent | weight | size | shading | numbering |
                   indent+weight | size+weight | shading+indent
description        in-cell (description under the title in the same cell) | own-row
description_italic true | false
target_label       beside (label cell left of the text) | above (label line, text below)
values             side-by-side (label row over value row) | stacked (one "label value"
                   line per cell) | transposed (one row per cell: label | value columns)
impact             bullets | numbers | table   (impact goals with their ministry tag)
signatures         table | lines
furniture          none | header-footer (running header + page footer) |
                   browser (browser-print furniture: date, title, URL, page n/m)
ruled              true | false  (table rules/borders)
"""
import random

KNOBS = {
    "page": ["a4-portrait", "a4-landscape", "letter-portrait"],
    "font": ["carlito", "caladea", "liberation-sans", "liberation-serif", "dejavu-sans"],
    "level_cue": ["indent", "weight", "size", "shading", "numbering",
                  "indent+weight", "size+weight", "shading+indent"],
    "description": ["in-cell", "own-row"],
    "description_italic": [False, True],
    "target_label": ["beside", "above"],
    "values": ["side-by-side", "stacked", "transposed"],
    "impact": ["bullets", "numbers", "table"],
    "signatures": ["table", "lines"],
    "furniture": ["none", "header-footer", "browser"],
    "ruled": [False, True],
}

# Font family names as installed (fc-list) for each `font` value.
FONT_FAMILIES = {
    "carlito": "Carlito",
    "caladea": "Caladea",
    "liberation-sans": "Liberation Sans",
    "liberation-serif": "Liberation Serif",
    "dejavu-sans": "DejaVu Sans",
}

# Page size in points (width, height) for each `page` value.
PAGE_SIZES = {
    "a4-portrait": (595.276, 841.89),
    "a4-landscape": (841.89, 595.276),
    "letter-portrait": (612.0, 792.0),
}


def sample_style(rng: random.Random) -> dict:
    """One style, every knob drawn independently (in KNOBS order) from `rng`."""
    return {k: rng.choice(v) for k, v in KNOBS.items()}


def validate(style: dict) -> None:
    """Raise ValueError unless `style` has exactly the knobs with allowed values."""
    if set(style) != set(KNOBS):
        raise ValueError(f"style knobs {sorted(style)} != {sorted(KNOBS)}")
    for k, v in style.items():
        if v not in KNOBS[k]:
            raise ValueError(f"style {k}={v!r} not in {KNOBS[k]}")


def style_name(style: dict) -> str:
    """A short stable tag for file names, e.g. 'a4p-carlito-indent'."""
    page = {"a4-portrait": "a4p", "a4-landscape": "a4l", "letter-portrait": "ltr"}[style["page"]]
    return f"{page}-{style['font']}-{style['level_cue'].replace('+', '_')}"
