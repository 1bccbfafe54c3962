#!/usr/bin/env python3
"""Checks generated trees against the model's shape (golden/keha-tulossopimus-2026-2029.json).

    check_tree.py [--seeds 0-199]     shape, types, ids, value parsing, determinism

- every dict has exactly the golden's keys (in the same order) for its place in the tree,
  every scalar the golden's type (or null where the golden has null there);
- generate's id scheme (src/normalize.rs's) reproduces the goldens' ids;
- raw/comparator/value agree with generate.parse_raw; source lines increase in reading order;
- the same seed gives byte-identical JSON.
"""
import argparse
import copy
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import generate as G  # noqa: E402

GOLDENS = ["keha-tulossopimus-2026-2029", "vesilaitos-tulossopimus-2027-2030", "arkisto-tulossopimus-2026-2029"]


def shapes(obj, path, out):
    """path -> (key order, {key: set of types}) over every dict in the tree."""
    if isinstance(obj, dict):
        keys, types = out.setdefault(path, (list(obj), {}))
        if list(obj) != keys:
            raise AssertionError(f"{path}: keys {list(obj)} != {keys}")
        for k, v in obj.items():
            types.setdefault(k, set()).add(type(v).__name__)
            shapes(v, path + "." + k, out)
    elif isinstance(obj, list):
        for v in obj:
            shapes(v, path + "[]", out)
    return out


def norm(path):
    # goals nest: .goals[].goals[] ... is the same place as .goals[]
    while ".goals[].goals[]" in path:
        path = path.replace(".goals[].goals[]", ".goals[]")
    return path


def merged(tree):
    out = {}
    for p, (keys, types) in shapes(tree, "", {}).items():
        k2, t2 = out.setdefault(norm(p), (keys, {}))
        assert keys == k2, (p, keys, k2)
        for k, t in types.items():
            t2.setdefault(k, set()).update(t)
    return out


OPTIONAL = {"title": "str", "ministry": "str", "agency": "str", "scope": "str", "period": "dict", "signed": "str",
            "text": "str", "description": "str", "unit": "str", "raw": "str", "comparator": "str",
            "value": "float", "group": "str", "kind": "str", "number": "str"}


def check_ids_goldens():
    for g in GOLDENS:
        gold = json.load(open(os.path.join(ROOT, "golden", g + ".json"), encoding="utf-8"))
        mine = copy.deepcopy(gold["agreements"])
        G.assign_ids(mine)
        bad = total = 0

        def walk(a, b):
            nonlocal bad, total
            if isinstance(a, dict):
                if "id" in a:
                    total += 1
                    bad += a["id"] != b["id"]
                for k in a:
                    walk(a[k], b[k])
            elif isinstance(a, list):
                for x, y in zip(a, b):
                    walk(x, y)
        walk(gold["agreements"], mine)
        print(f"ids {g}: {total - bad}/{total} equal")
        assert bad == 0


def check_tree(tree, ref):
    mine = merged(tree)
    for p, (keys, types) in mine.items():
        if p not in ref:
            raise AssertionError(f"{p} not in golden")
        rk, rt = ref[p]
        assert keys == rk, (p, keys, rk)
        for k, t in types.items():
            # Option<…> fields of the model: the goldens may show only one side of them
            allowed = rt[k] | {"NoneType"} if "NoneType" in rt[k] or k in OPTIONAL else rt[k]
            if k in OPTIONAL:
                allowed = allowed | {OPTIONAL[k]}
            if k in ("page", "bbox"):
                allowed = {"NoneType", "int", "list"}
            if not t <= allowed and not (t <= {"list"} and rt[k] <= {"list"}):
                raise AssertionError(f"{p}.{k}: types {t} not in golden's {rt[k]}")
    for a in tree["agreements"]:
        for i in G.ml.iter_indicators(a):
            for v in i["values"]:
                assert (v["comparator"], v["value"]) == G.parse_raw(v["raw"]), v
        blocks = G.ml.blocks_for_agreement(a, None)
        assert blocks, a["id"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default="0-99")
    args = ap.parse_args()
    lo, _, hi = args.seeds.partition("-")
    check_ids_goldens()
    ref = {}
    for g in GOLDENS:
        gold = json.load(open(os.path.join(ROOT, "golden", g + ".json"), encoding="utf-8"))
        for p, (keys, types) in merged({"schema_version": 1, "agreements": gold["agreements"]}).items():
            k2, t2 = ref.setdefault(p, (keys, {}))
            for k, t in types.items():
                t2.setdefault(k, set()).update(t)
    # the golden's agreements carry "source" too; documents here have only schema_version + agreements
    stats = {"agreements": 0, "sl": 0, "nocover": 0}
    for seed in range(int(lo), int(hi or lo) + 1):
        t = G.generate(seed)
        assert G.dumps(t) == G.dumps(G.generate(seed)), seed
        check_tree(t, ref)
        stats["agreements"] += len(t["agreements"])
        stats["sl"] += sum(len(a["strategic_lines"]) for a in t["agreements"])
        stats["nocover"] += sum(a["title"] is None for a in t["agreements"])
    print("ok", stats)


if __name__ == "__main__":
    main()
