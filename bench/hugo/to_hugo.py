#!/usr/bin/env python3
"""Turns a district made by crates/gen into a Hugo site (bench/hugo.sh).

usage: to_hugo.py DISTRICT_DIR [DISTRICT_DIR…] SITE_DIR

Several DISTRICT_DIRs (each a gen_district --out folder) make one site of all their districts
(bench/scale.sh's many-district shape).

Reads DISTRICT_DIR/.truth/truth.json, whose files[].expected are the exact canonical
declarations (declaration/v1) budgetsite reads from the raw forms, and writes SITE_DIR:
  hugo.toml, layouts/ (copied from bench/hugo/layouts: every figure of every form, like
  budgetsite's department page without charts), layouts-simple/ (the same site, but a
  department page is only its year-by-year totals: the issue's "simpler pages"),
  content/_index.md                       home
  content/<district>/_index.md            district list page (table of departments)
  content/<district>/dNNNNN.md            one page per department, every year of it in
                                          JSON front matter (the data already parsed)
Contacts (filled_by, phone) are left out, as budgetsite leaves them out by default.
Declarations with planted errors (expected == null) are skipped, as budgetsite does.
"""
import json
import os
import shutil
import sys


def money_rows(block, labels):
    rows = []
    for key, label in labels:
        cell = block.get(key) or {}
        rows.append({
            "label": label,
            "budget": cell.get("budget"),
            "share": cell.get("share_percent"),
            "prior": [{"year": y, "value": v} for y, v in sorted((cell.get("prior_years") or {}).items(), reverse=True)],
        })
    return rows


INCOME = [("fiscal_appropriation", "财政拨款"), ("other", "其他资金"), ("total", "收入合计")]
EXPENDITURE = [("basic", "基本支出"), ("project", "项目支出"), ("total", "支出合计")]


def declaration(d):
    goals = []
    for g in d.get("goals") or []:
        goals.append({
            "number": g.get("number"),
            "name": g.get("name"),
            "indicators": [{
                "level1": i.get("level1"),
                "level2": i.get("level2"),
                "name": i.get("name"),
                "prior": [{"year": y, "value": v} for y, v in sorted((i.get("prior_years") or {}).items(), reverse=True)],
                "target": i.get("target"),
                "standard": i.get("standard"),
            } for i in g.get("indicators") or []],
        })
    inc = d.get("income") or {}
    exp = d.get("expenditure") or {}
    tot = lambda b, k: ((b.get(k) or {}).get("budget"))
    return {
        "year": d["fiscal_year"],
        "unit": d.get("unit"),
        "income_total": tot(inc, "total"),
        "fiscal_appropriation": tot(inc, "fiscal_appropriation"),
        "expenditure_total": tot(exp, "total"),
        "basic": tot(exp, "basic"),
        "project": tot(exp, "project"),
        "income": money_rows(inc, INCOME),
        "expenditure": money_rows(exp, EXPENDITURE),
        "functions": d.get("functions") or [],
        "annual_tasks": d.get("annual_tasks") or [],
        "long_term_goal": d.get("long_term_goal"),
        "annual_goal": d.get("annual_goal"),
        "overall_goals": d.get("overall_goals") or [],
        "goals": goals,
        "indicators": sum(len(g["indicators"]) for g in goals),
    }


def main():
    sources, site = sys.argv[1:-1], sys.argv[-1]
    here = os.path.dirname(os.path.abspath(__file__))
    files = []
    for src in sources:
        truth = json.load(open(os.path.join(src, ".truth", "truth.json"), encoding="utf-8"))
        files.extend(truth["files"])
    # district = first folder level of the file's path, as budgetsite does
    depts = {}
    for f in files:
        d = f.get("expected")
        if not d:
            continue
        district = f["path"].split("/")[0] if "/" in f["path"] else "本级"
        depts.setdefault((district, d["department"]), {})[d["fiscal_year"]] = d  # later file wins

    if os.path.exists(site):
        shutil.rmtree(site)
    # Both layout sets share the base, list and home templates of layouts/; layouts-simple
    # holds only its own single.html.
    shutil.copytree(os.path.join(here, "layouts"), os.path.join(site, "layouts"))
    shutil.copytree(os.path.join(here, "layouts"), os.path.join(site, "layouts-simple"))
    shutil.copy(os.path.join(here, "layouts-simple", "_default", "single.html"),
                os.path.join(site, "layouts-simple", "_default", "single.html"))
    shutil.copy(os.path.join(here, "hugo.toml"), os.path.join(site, "hugo.toml"))
    content = os.path.join(site, "content")
    os.makedirs(content)
    with open(os.path.join(content, "_index.md"), "w", encoding="utf-8") as out:
        out.write('{"title": "部门整体支出绩效目标公开"}\n')

    districts = sorted({k[0] for k in depts})
    for n, district in enumerate(districts):
        ddir = os.path.join(content, "z%03d" % n)
        os.makedirs(ddir)
        with open(os.path.join(ddir, "_index.md"), "w", encoding="utf-8") as out:
            json.dump({"title": district}, out, ensure_ascii=False)
            out.write("\n")
        names = sorted(k[1] for k in depts if k[0] == district)
        for i, name in enumerate(names):
            years = [declaration(d) for _, d in sorted(depts[(district, name)].items())]
            latest = years[-1]
            fm = {
                "title": name,
                "district": district,
                "latest_year": latest["year"],
                "latest_income": latest["income_total"],
                "latest_expenditure": latest["expenditure_total"],
                "latest_basic": latest["basic"],
                "latest_project": latest["project"],
                "latest_indicators": latest["indicators"],
                "years": years,
            }
            with open(os.path.join(ddir, "d%05d.md" % i), "w", encoding="utf-8") as out:
                json.dump(fm, out, ensure_ascii=False, separators=(",", ":"))
                out.write("\n")
    print("%d departments, %d declarations in %d district(s) -> %s" % (
        len(depts), sum(len(v) for v in depts.values()), len(districts), site))


if __name__ == "__main__":
    main()
