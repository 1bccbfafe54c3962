#!/usr/bin/env python3
"""Seeded generator of fictional performance agreements in the tool's model.

    generate(seed, small=False) -> dict   {"schema_version": 1, "agreements": [...]}
    generate.py --seed N --out tree.json [--small]

Only `random.Random(seed)` is used, so the same seed gives byte-identical JSON
(`dumps(tree)`). Every node has `source` {line, line_end, page: null, bbox: null}
with lines increasing in reading order (make_layout.blocks_for_agreement sorts by
them), and ids computed with the scheme of src/normalize.rs (docs/model.md, "Ids"; one
`Ids` per document).

What a tree holds (each drawn independently per tree / agreement):
- 1-3 agreements; the first may have no cover (title, ministry, agency, scope and
  period null, as the seed's first agreement); later ones always have a cover,
  otherwise nothing in the printed document would start them;
- chapters 1 Strategiset linjaukset (1.1-1.3), optionally Johdon katsaus, the impact
  chapter with 0-6 impact goals tagged with ministry codes, Tulostavoitteet (caption
  "Taulukko: Tulostavoitteet"), optionally Voimavarojen hallinta (resource indicators
  with groups), optionally Liitteet / Liite 1 Seurantamittarit (monitoring groups),
  and "Voimassaolo, seuranta ja allekirjoitukset" whose text may carry the
  traffic-light scale sentence that `evaluation_scale` is read from;
- 3-20 strategic lines, goal depth 1-4 per line, descriptions on any level (rate per
  agreement, possibly none), 1-4 target years per leaf with 1-4 paragraphs each,
  indicators with Tav/Tot/Arv or bare-year cells, comparators > ≥ < ≤ =, decimal
  commas, thousands separated by a space, empty cells (raw null);
- 0-6 signatories, and a signing date (printed only with signatures, so `signed` is
  null without them).

`small=True` (farm.py --small, for the committed sample fixtures/farm) draws documents of a
few pages: 3-6 strategic lines per agreement and chapters of one paragraph; everything else is
drawn as above. A small tree of seed N is not the normal tree of seed N.
"""

import argparse
import hashlib
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "fixtures", "layout"))
sys.path.insert(0, HERE)

import make_layout as ml  # noqa: E402
import vocab as V  # noqa: E402

KEYS = ["id", "title", "ministry", "agency", "scope", "period", "signed", "signatories", "chapters",
        "impact_goals", "strategic_lines", "resource_indicators", "monitoring_indicators", "evaluation_scale",
        "source"]


# The model requires level_evidence on strategic lines and goals; what decided a level is the
# reader's business, so expected trees say "layout" everywhere and scorers should ignore it.
EVIDENCE = "layout"

# Sentences: make_layout's (except "{a} -prosessin": a line may not start with a hyphen) and vocab's.
LAUSEET = [t for t in ml.LAUSEET if " -" not in t] + V.LAUSEET2

# ---------------------------------------------------------------------------------------------
# values: printed form and the tool's reading of it (src/grammar.rs parse_value)
# ---------------------------------------------------------------------------------------------

CMP = {">": ">", "≥": ">=", "<": "<", "≤": "<=", "=": "=", ">=": ">=", "<=": "<="}


def fi_number(v, decimals, group=True):
    """1 234,5 style: decimal comma, thousands separated by an ASCII space."""
    s = f"{v:.{decimals}f}"
    ip, _, fp = s.partition(".")
    if group and len(ip) > 3:
        parts = []
        while len(ip) > 3:
            parts.insert(0, ip[-3:])
            ip = ip[:-3]
        ip = " ".join([ip] + parts)
    return ip + ("," + fp if fp else "")


def parse_raw(raw):
    """(comparator, value) as the tool reads a printed cell; (None, None) for an empty one."""
    if raw is None:
        return None, None
    t = raw.strip()
    cmp = None
    for c in (">=", "<=", "≥", "≤", ">", "<", "="):
        if t.startswith(c):
            cmp, t = CMP[c], t[len(c):].strip()
            break
    return cmp, float(t.replace(" ", "").replace(",", "."))


def value(rng, year, kind, raw, line):
    cmp, v = parse_raw(raw)
    return {"year": year, "kind": kind, "raw": raw, "comparator": cmp, "value": v, "source": src(line)}


def src(line):
    return {"line": line, "line_end": line, "page": None, "bbox": None}


# ---------------------------------------------------------------------------------------------


class Gen:
    def __init__(self, rng, small=False):
        self.rng = rng
        self.small = small
        self.line = 0
        self.used = set()  # titles/names used in the current agreement

    def next(self, step=None):
        self.line += step if step is not None else self.rng.randint(1, 4)
        return self.line

    # prose ---------------------------------------------------------------------------------
    def prose(self, lo, hi):
        """lo..hi different sentences (make_layout's and vocab's)."""
        r = self.rng
        out = []
        for t in r.sample(LAUSEET, r.randint(lo, hi)):
            aihe = r.choice(V.AIHEET2)
            out.append(t.format(a=aihe[0], A=aihe[1], p=aihe[2]))
        return " ".join(out)

    def unique(self, make):
        for _ in range(60):
            t = make()
            if t not in self.used:
                self.used.add(t)
                return t
        n = 2
        while f"{t} {n}" in self.used:
            n += 1
        t = f"{t} {n}"
        self.used.add(t)
        return t

    def sl_title(self):
        r = self.rng

        def make():
            if r.random() < 0.25:
                aihe = r.choice(ml.AIHEET)
                return f"{r.choice(ml.SL_ALUT)} " + r.choice(ml.SL_LOPUT).format(a=aihe[0])
            aihe = r.choice(V.AIHEET2)
            return r.choice(V.SL_MALLIT).format(a=aihe[0], A=aihe[1], p=aihe[2])
        return self.unique(make)

    def goal_title(self):
        r = self.rng

        def make():
            if r.random() < 0.35:
                aihe = r.choice(ml.AIHEET)
                return r.choice(ml.GOAL_MALLIT).format(a=aihe[0], A=aihe[1])
            aihe = r.choice(V.AIHEET2)
            return r.choice(V.GOAL_MALLIT2).format(a=aihe[0], A=aihe[1], p=aihe[2])
        return self.unique(make)

    def description(self, rate):
        if self.rng.random() >= rate:
            return None
        n = 1 if self.rng.random() < 0.8 else 2
        return "\n\n".join(self.prose(1, 3) for _ in range(n))

    # indicators ----------------------------------------------------------------------------
    def raw_number(self, lo, hi, decimals):
        r = self.rng
        v = r.uniform(lo, hi)
        if decimals == 0:
            v = round(v)
            if v >= 1000 and r.random() < 0.7:
                v = round(v, -2)
        return fi_number(v, decimals, group=r.random() < 0.9)

    def cells(self, pattern, years_tav, start, spec, empty_rate, line):
        """pattern: 'tav' (Tav per period year), 'tot' (Tot, Arv, Arv..., Tav...) or
        'bare' (bare years start-2 .. end)."""
        r = self.rng
        _, _, cmps, (lo, hi), dec = spec
        out = []

        def tav(y):
            if r.random() < empty_rate:
                return value(r, y, "target", None, line)
            c = r.choice(cmps)
            raw = self.raw_number(lo, hi, dec)
            return value(r, y, "target", f"{c} {raw}" if c else raw, line)

        def plain(y, kind, rate):
            raw = None if r.random() < rate else self.raw_number(lo, hi, dec)
            return value(r, y, kind, raw, line)

        if pattern == "tav":
            out = [tav(y) for y in years_tav]
        elif pattern == "tot":
            out = [plain(start - 2, "actual", empty_rate * 0.5), plain(start - 1, "estimate", empty_rate)]
            if r.random() < 0.5:
                out += [plain(y, "estimate", max(empty_rate, 0.5)) for y in years_tav]
            else:
                out += [tav(y) for y in years_tav]
        else:
            rate = r.choice([1.0, 1.0, 0.5])
            out = [plain(y, None, rate) for y in range(start - 2, years_tav[-1] + 1)]
        return out

    def indicator(self, start, years, ctx, desc_rate, group=None, pattern=None, spec=None, name=None):
        r = self.rng
        line = self.next()
        spec = spec or r.choice(V.MITTARIT2)
        if name is None:
            def make():
                aihe = r.choice(V.AIHEET2 + [a[:2] for a in ml.AIHEET])
                return r.choice([f"{spec[0]}", f"{spec[0]}: {aihe[0]}", f"{spec[0]} ({aihe[0]})"])
            name = self.unique(make)
        unit = spec[1] if r.random() > 0.08 else None
        if pattern is None:
            pattern = "tot" if r.random() < 0.2 else "tav"
        desc = self.prose(1, 2) if r.random() < desc_rate else None
        ind = {"id": None, "name": name, "description": desc, "unit": unit,
               "values": self.cells(pattern, years, start, spec, r.choice([0.0, 0.2, 0.5]), line),
               "group": group, "source": src(line)}
        self.next(1)
        return ind

    # results table ---------------------------------------------------------------------------
    def goal(self, level, depth, force, years, start, cfg):
        r = self.rng
        g = {"id": None, "title": self.goal_title(), "description": None, "level": level,
             "goals": [], "targets": [], "indicators": [], "level_evidence": EVIDENCE, "source": src(self.next())}
        g["description"] = self.description(cfg["desc"])
        if level < depth and (force or r.random() < 0.5):
            for k in range(r.randint(1, 3)):
                g["goals"].append(self.goal(level + 1, depth, force and k == 0, years, start, cfg))
        else:
            self.leaf(g, years, start, cfg)
        return g

    def leaf(self, node, years, start, cfg):
        r = self.rng
        k = r.choice([1, 1, 2, 2, 3, 4])
        ys = sorted(r.sample(years, min(k, len(years)))) if r.random() < 0.3 else years[:k]
        for y in ys:
            paras = [self.prose(1, r.choice([1, 2, 3])) for _ in range(r.choice([1, 1, 1, 2, 2, 3, 4]))]
            node["targets"].append({"id": None, "year": y, "text": "\n\n".join(paras), "source": src(self.next())})
        if r.random() < cfg["ind"]:
            for _ in range(r.choice([1, 1, 2])):
                node["indicators"].append(self.indicator(start, years, None, cfg["desc"]))

    def strategic_line(self, years, start, cfg):
        r = self.rng
        sl = {"id": None, "title": self.sl_title(), "description": None, "goals": [], "indicators": [],
              "targets": [], "level_evidence": EVIDENCE, "source": src(self.next())}
        sl["description"] = self.description(cfg["desc"] * 1.5)
        depth = r.randint(1, 4)
        for k in range(r.randint(1, 3)):
            sl["goals"].append(self.goal(1, depth, k == 0, years, start, cfg))
        return sl

    # agreement ---------------------------------------------------------------------------------
    def agreement(self, index, used_parties):
        r = self.rng
        self.used = set()
        ministry, code, agency, scope = r.choice([(m, c, a, s) for m, c, agencies in V.MINISTERIOT
                                                  for a, scopes in agencies for s in scopes
                                                  if (m, a, s) not in used_parties])
        used_parties.add((ministry, agency, scope))
        start = r.randint(2024, 2028)
        end = start + r.choice([3, 3, 3, 2, 4])
        years = list(range(start, end + 1))
        cover = index > 0 or r.random() < 0.7
        a = {k: None for k in KEYS}
        a_line = self.next()
        if cover:
            a["title"] = f"Ministeriön ja viraston välinen tulossopimus {start}–{end}"
            a["ministry"], a["agency"], a["scope"] = ministry, agency, scope
            a["period"] = {"start": start, "end": end}
            self.next(6)
        cfg = {"desc": r.choice([0.0, 0.1, 0.25, 0.4]), "ind": r.choice([0.15, 0.3, 0.5])}
        chapters, impact, sls, res, mon = [], [], [], [], []

        def chapter(number, title, level, text=None, captions=()):
            chapters.append({"id": None, "number": number, "title": title, "text": text, "level": level,
                             "captions": list(captions), "source": src(self.next())})
            self.next(2)

        def paras(n_lo, n_hi, bullets=False):
            if self.small:
                n_hi = n_lo
            ps = [self.prose(2, 4) for _ in range(r.randint(n_lo, n_hi))]
            if bullets and r.random() < 0.4:
                ps.insert(1, "• " + self.prose(1, 1))
                ps.insert(2, "• " + self.prose(1, 1))
            return "\n\n".join(ps)

        chapter("1", "Strategiset linjaukset", 1, paras(1, 1) if r.random() < 0.3 else None)
        sub = [r.choice(V.VIRASTON_TEHTAVAT), r.choice(V.VISIO), r.choice(V.STRATEGIA)][: r.randint(1, 3)]
        for k, t in enumerate(sub):
            chapter(f"1.{k + 1}", t, 2, paras(1, 3, bullets=True))
        n = 2
        if r.random() < 0.4:
            chapter(str(n), r.choice(V.KATSAUS), 1, paras(1, 2))
            if r.random() < 0.5:
                chapter(f"{n}.1", f"{r.choice(V.KATSAUS_ALA)}", 2, paras(1, 2))
            n += 1
        n_impact = r.randint(0, 6)
        if n_impact:
            chapter(str(n), "Yhteiskunnallinen vaikuttavuus", 1,
                    f"Virasto edistää seuraavia valtion talousarviossa {start} asetettuja "
                    "yhteiskunnallisia vaikuttavuustavoitteita:")
            for t in r.sample(V.VAIKUTTAVUUS, n_impact):
                m = code if r.random() < 0.5 else r.choice(V.MINISTRY_CODES)
                impact.append({"id": None, "text": t, "ministry": m, "source": src(self.next())})
            n += 1
        chapter(str(n), "Tulostavoitteet", 1, paras(1, 1) if r.random() < 0.3 else None,
                ["Taulukko: Tulostavoitteet"])
        n += 1
        # 3-20 strategic lines, most documents short (a long one takes a minute in WeasyPrint)
        n_sl = [3, 4, 5, 6] if self.small else [3, 3, 4, 4, 5, 5, 6, 6, 7, 8, 9, 10, 12, 14, 17, 20]
        for _ in range(r.choice(n_sl)):
            sls.append(self.strategic_line(years, start, cfg))
        if r.random() < 0.7:
            chapter(str(n), "Voimavarojen hallinta", 1, paras(1, 1) if r.random() < 0.6 else None,
                    ["Taulukko: Voimavarojen hallinnan tavoitteet"])
            n += 1
            groups = r.sample(V.RESURSSI_RYHMAT, r.randint(1, 2))
            if None in groups:  # indicators before any group heading come first
                groups.remove(None)
                groups.insert(0, None)
            for gname in groups:
                for name, unit in r.sample(V.RESURSSI_MITTARIT, r.randint(1, 4)):
                    if name in self.used:
                        continue
                    self.used.add(name)
                    hb = unit == "HBaro 1-4"
                    spec = (name, unit, [">", "≥"] if hb else ["≤", "<", "="], (2.9, 3.6) if hb else (1, 40),
                            2 if hb else 1)
                    ind = self.indicator(start, years, None, cfg["desc"] * 0.5, group=gname,
                                         pattern="tot" if r.random() < 0.15 else "tav", spec=spec, name=name)
                    ind["unit"] = unit
                    res.append(ind)
        if r.random() < 0.65:
            chapter(str(n), "Liitteet", 1)
            n += 1
            chapter("Liite 1", "Seurantamittarit", 2)
            gnames = r.sample(V.SEURANTA_RYHMAT, r.randint(1, 3))
            if r.random() < 0.15:
                gnames[0] = None
            for gname in gnames:
                inds = []
                for k in range(r.randint(2, 6)):
                    spec = r.choice(V.MITTARIT2)
                    base = r.choice(V.SEURANTA_MITTARIT)
                    name = self.unique(lambda: base if r.random() < 0.5 else f"{base} ({r.choice(V.AIHEET2)[0]})")
                    spec = (name, r.choice(["kpl", "lkm", "%", "pv", None]), [""], (10, 90000), 0)
                    ind = self.indicator(start, years, None, 0.0, pattern=r.choice(["tot", "bare"]),
                                         spec=spec, name=name)
                    ind["unit"] = spec[1]
                    inds.append(ind)
                mon.append({"group": gname, "indicators": inds})
        # closing chapter, evaluation scale, date and signatures
        closing = r.sample(V.VOIMASSAOLO, r.randint(1, 3))
        scale = []
        if r.random() < 0.7:
            m3, m2, m1 = r.choice(V.SKAALAT)
            sentence = (f"Tavoitteiden toteutumista arvioidaan seuraavasti: VIHREÄ (3) = {m3}, KELTAINEN (2) = {m2}, "
                        f"PUNAINEN (1) = {m1}.")
            if r.random() < 0.5:
                sentence += " Sanallisessa tulosraportoinnissa keskitytään poikkeama- ja riskiraportointiin."
            if r.random() < 0.5:
                sentence = ("Arvioinnissa sovelletaan kolmiportaista asteikkoa eli ”liikennevalomallia”. "
                            + sentence)
            closing.insert(r.randint(0, len(closing)), sentence)
            scale = [{"score": 3, "label": "VIHREÄ", "meaning": m3}, {"score": 2, "label": "KELTAINEN", "meaning": m2},
                     {"score": 1, "label": "PUNAINEN", "meaning": m1}]
        chapter(None, "Voimassaolo, seuranta ja allekirjoitukset", 1, "\n\n".join(closing))
        sigs = []
        n_sig = r.choice([0, 1, 2, 2, 3, 3, 4, 5, 6])
        if n_sig:
            self.next(3)  # the date line
            n_min = max(1, n_sig // 2) if n_sig > 1 else r.randint(0, 1)
            people = set()
            for k in range(n_sig):
                while True:
                    name = f"{r.choice(V.ETUNIMET)} {r.choice(V.SUKUNIMET)}"
                    if name not in people:
                        people.add(name)
                        break
                org, titles = (ministry, V.MIN_NIMIKKEET) if k < n_min else (agency, V.VIR_NIMIKKEET)
                sigs.append({"organization": org, "name": name, "title": r.choice(titles),
                             "source": src(self.next())})
            y = start - 1 if r.random() < 0.5 else start
            mo = r.randint(11, 12) if y < start else r.randint(1, 3)
            a["signed"] = f"{y}-{mo:02d}-{r.randint(1, 28):02d}"
        a.update(signatories=sigs, chapters=chapters, impact_goals=impact, strategic_lines=sls,
                 resource_indicators=res, monitoring_indicators=mon, evaluation_scale=scale)
        a["source"] = {"line": a_line, "line_end": self.line, "page": None, "bbox": None}
        return a


def date_lines(agreements):
    """The printed date line of each agreement ("Helsingissä 13.2.2026"), None where it has
    no signing date. The place is drawn from the agreement's id in the scheme before issue
    18 (`_place_keys`), so that every seed renders as it did before the ids changed."""
    out = []
    for a, place_key in zip(agreements, _place_keys(agreements)):
        if not a.get("signed"):
            out.append(None)
            continue
        y, m, d = a["signed"].split("-")
        place = V.PAIKAT[int(hashlib.sha256(place_key.encode()).hexdigest(), 16) % len(V.PAIKAT)]
        out.append((f"{place} " if place else "") + f"{int(d)}.{int(m)}.{y}")
    return out


def _place_keys(agreements):
    # The agreement ids of the old scheme: over the parties alone, or "agreement-N" (N
    # 1-based in the document) without a cover, numbered -2, -3, ... when repeated.
    ids = ml.Ids()
    keys = []
    for n, a in enumerate(agreements):
        parties = (a["ministry"], a["agency"], a["scope"])
        if all(p is None for p in parties):
            identity = f"agreement-{n + 1}"
        else:
            identity = "|".join(ml.key(p) if p else "" for p in parties)
        keys.append(ids.make("a", identity, []))
    return keys


def assign_ids(agreements):
    """The ids `src/normalize.rs` gives (docs/model.md, "Ids"): make_layout.assign_ids, with
    one count of repeated ids over the whole document."""
    ids = ml.Ids()
    for a in agreements:
        ml.assign_ids(a, ids)


def generate(seed, small=False):
    """The tree for `seed`: {"schema_version": 1, "agreements": [...]}; `small`: a few pages."""
    rng = random.Random(seed)
    g = Gen(rng, small)
    used = set()
    agreements = [g.agreement(k, used) for k in range(rng.choice([1, 1, 1, 2, 2, 3]))]
    assign_ids(agreements)
    return {"schema_version": 1, "agreements": agreements}


def dumps(tree):
    return json.dumps(tree, ensure_ascii=False, indent=2) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--small", action="store_true", help="a document of a few pages")
    args = ap.parse_args()
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(dumps(generate(args.seed, args.small)))


if __name__ == "__main__":
    main()
