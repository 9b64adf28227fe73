#!/usr/bin/env python3
"""Score budgetsite against the outside self-evaluation corpus.

Usage: score.py BIN DIR [--details OUT.json]
DIR is the folder make_corpus.py wrote (DIR/truth.json, DIR/forms/).
Runs `BIN convert FILE` for every form and `BIN check --format json DIR/forms`, then prints
fields read right per kind, refused files, planted codes found and false diagnostics.
"""
import json
import os
import subprocess
import sys
from collections import defaultdict

HEADER = ["layout", "fiscal_year", "department", "budget_code", "filled_by", "phone", "unit"]
EXEC = ["initial_budget", "adjusted_budget", "executed", "weight", "rate_percent", "score", "reason"]
PART = ["label", "initial_budget", "adjusted_budget", "executed"]
IND = ["level1", "level2", "name", "direction", "target", "unit", "actual", "weight", "score", "reason"]
TOTAL = ["weight", "score", "grade"]
TEXTS = ["conclusion", "problems", "measures"]


def same(a, b):
    """Equal after trivial representation differences only."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return round(float(a), 6) == round(float(b), 6)
    if isinstance(a, str) and isinstance(b, str):
        return a.strip() == b.strip()
    return a == b


def get(d, *path):
    for p in path:
        if isinstance(d, dict):
            d = d.get(p, "<absent>")
        elif isinstance(d, list) and isinstance(p, int):
            d = d[p] if p < len(d) else "<absent>"
        else:
            return "<absent>"
    return d


def compare(exp, got):
    """Yields (kind, fieldpath, expected, got, ok)."""
    for k in HEADER:
        yield "header." + k, k, exp[k], get(got, k)
    for k in EXEC:
        yield "execution." + k, "execution." + k, exp["execution"][k], get(got, "execution", k)
    for i, p in enumerate(exp["execution"]["parts"]):
        for k in PART:
            yield "part." + k, f"execution.parts[{i}].{k}", p[k], get(got, "execution", "parts", i, k)
    gp = get(got, "execution", "parts")
    if isinstance(gp, list) and len(gp) > len(exp["execution"]["parts"]):
        yield "part.count", "execution.parts (count)", len(exp["execution"]["parts"]), len(gp)
    for i, g in enumerate(exp["goals"]):
        for k in ("expected", "achieved"):
            yield "goal." + k, f"goals[{i}].{k}", g[k], get(got, "goals", i, k)
    gg = get(got, "goals")
    if isinstance(gg, list) and len(gg) > len(exp["goals"]):
        yield "goal.count", "goals (count)", len(exp["goals"]), len(gg)
    for i, ind in enumerate(exp["indicators"]):
        for k in IND:
            yield "indicator." + k, f"indicators[{i}].{k}", ind[k], get(got, "indicators", i, k)
    gi = get(got, "indicators")
    if isinstance(gi, list) and len(gi) > len(exp["indicators"]):
        yield "indicator.count", "indicators (count)", len(exp["indicators"]), len(gi)
    for k in TOTAL:
        yield "total." + k, "total." + k, exp["total"][k], get(got, "total", k)
    for k in TEXTS:
        yield "text." + k, k, exp[k], get(got, k)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    bin_, d = sys.argv[1], sys.argv[2]
    details_out = sys.argv[sys.argv.index("--details") + 1] if "--details" in sys.argv else None
    truth = json.load(open(os.path.join(d, "truth.json"), encoding="utf-8"))
    forms = os.path.join(d, "forms")
    per_kind = defaultdict(lambda: [0, 0])
    mismatches = []
    refused = []
    converted = {}
    for fname, t in truth["files"].items():
        path = os.path.join(forms, fname)
        p = subprocess.run([bin_, "convert", path], capture_output=True, text=True)
        try:
            got = json.loads(p.stdout)
        except Exception:
            refused.append((fname, p.returncode, p.stderr.strip()[:300]))
            got = None
        converted[fname] = got
        for kind, fp, e, g in compare(t["expected"], got or {}):
            top = kind.split(".")[0]
            ok = same(e, g)
            if got is not None:
                per_kind["CONVERTED"][1] += 1
                per_kind["CONVERTED"][0] += ok
            for kk in (kind, top, "ALL"):
                per_kind[kk][1] += 1
                per_kind[kk][0] += ok
            if not ok and got is not None:
                mismatches.append((fname, fp, e, g))
    # check
    p = subprocess.run([bin_, "check", "--format", "json", forms], capture_output=True, text=True)
    try:
        chk = json.loads(p.stdout)
    except Exception:
        print("check produced no JSON:", p.stderr[:500])
        chk = {"diagnostics": []}
    diags = defaultdict(list)
    for dg in chk.get("diagnostics", []):
        diags[os.path.basename(dg.get("file") or "")].append(dg)
    planted_found, planted_missed, false_diags, extra_on_planted, notes = [], [], [], [], []
    for fname, t in truth["files"].items():
        ds = diags.get(fname, [])
        codes = [x["code"] for x in ds]
        expected_ok = set(t["also_acceptable"]) | ({"no-declaration"} if not t["has_declaration"] else set())
        if t["planted"]:
            expected_ok.add(t["planted"])
            (planted_found if t["planted"] in codes else planted_missed).append((fname, t["planted"], codes))
        if not t["has_declaration"] and "no-declaration" not in codes:
            notes.append((fname, "no-declaration expected (no declaration in the corpus) but not reported"))
        for x in ds:
            if x["code"] in expected_ok:
                continue
            (false_diags if not t["planted"] else extra_on_planted).append(
                (fname, x["severity"], x["code"], x.get("line"), x["message"]))

    # ---- report
    n_planted = sum(1 for t in truth["files"].values() if t["planted"])
    print(f"# budgetsite vs outside self-evaluation corpus ({len(truth['files'])} forms)\n")
    print("| field kind | read right | in truth | % |\n| --- | ---: | ---: | ---: |")
    order = ["header", "execution", "part", "goal", "indicator", "total", "text"]
    for top in order:
        r, n = per_kind[top]
        if n:
            print(f"| **{top}** | {r} | {n} | {100 * r / n:.1f} |")
        for k in sorted(k for k in per_kind if k.startswith(top + ".")):
            r, n = per_kind[k]
            print(f"| {k} | {r} | {n} | {100 * r / n:.1f} |")
    r, n = per_kind["ALL"]
    print(f"| **overall** (refused files count as wrong) | {r} | {n} | {100 * r / n:.1f} |")
    r, n = per_kind["CONVERTED"]
    print(f"| **overall, converted files only** | {r} | {n} | {100 * r / max(n, 1):.1f} |\n")
    own = [x for x in refused if truth["files"][x[0]]["planted"] and f"[{truth['files'][x[0]]['planted']}]" in x[2]]
    print(f"Refused files (no JSON): {len(refused)}, of which {len(own)} refused for their own planted "
          f"error-level code (convert rejects a form with errors) and {len(refused) - len(own)} otherwise")
    for x in refused:
        why = "planted error" if x in own else "OTHER"
        print(f"- {x[0]} (rc {x[1]}, {why}): " + " / ".join(l.strip() for l in x[2].splitlines()[1:]))
    print(f"\nPlanted codes found: {len(planted_found)} / {n_planted}")
    for f, c, codes in planted_missed:
        print(f"- MISSED {f}: planted {c}; reported {codes}")
    print(f"\nFalse diagnostics on clean files: {len(false_diags)} "
          f"(errors: {sum(1 for x in false_diags if x[1] == 'error')})")
    for x in false_diags:
        print(f"- {x[0]} line {x[3]}: {x[1]} [{x[2]}] {x[4]}")
    print(f"\nExtra diagnostics on planted files (beyond the planted code): {len(extra_on_planted)}")
    for x in extra_on_planted:
        print(f"- {x[0]} line {x[3]}: {x[1]} [{x[2]}] {x[4]}")
    for f, n_ in notes:
        print(f"- note: {f}: {n_}")
    print(f"\nField mismatches: {len(mismatches)}")
    for f, fp, e, g in mismatches:
        print(f"- {f} `{fp}`: expected {json.dumps(e, ensure_ascii=False)}, got {json.dumps(g, ensure_ascii=False)}")
    if details_out:
        json.dump({"per_kind": per_kind, "refused": refused, "mismatches": mismatches,
                   "planted_found": planted_found, "planted_missed": planted_missed,
                   "false_diagnostics": false_diags, "extra_on_planted": extra_on_planted,
                   "check": chk}, open(details_out, "w", encoding="utf-8"), ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
