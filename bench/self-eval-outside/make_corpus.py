#!/usr/bin/env python3
"""Outside corpus of 部门整体支出绩效自评表 made from the published contract only
(/work/shared/spec/self-evaluation-v1.md and the sample beside it), without reading
budgetsite's source, generator or tests.

Usage: make_corpus.py OUT
Writes OUT/forms/*.txt|*.xlsx (24 self-evaluations), OUT/forms/declarations/*.txt
(the published declaration sample and three renamed copies, so the declaration-linked
rules have something to compare with), and OUT/truth.json.
Deterministic (fixed seed).
"""
import json
import os
import random
import shutil
import sys
from decimal import Decimal, ROUND_HALF_UP, ROUND_DOWN

import openpyxl
from openpyxl.styles import Alignment, Font

SAMPLES = "/work/shared/samples"
DECL_SAMPLE = os.path.join(SAMPLES, "武汉市新洲区总工会-2020.txt")

D = Decimal


def q2(x):
    return D(x).quantize(D("0.01"), rounding=ROUND_HALF_UP)


def q1down(x):
    return D(x).quantize(D("0.1"), rounding=ROUND_DOWN)


def num(x):
    """Decimal -> JSON number (int when integral)."""
    if x is None:
        return None
    x = D(x)
    if x == x.to_integral_value():
        return int(x)
    return float(x.normalize())


FW = str.maketrans("0123456789", "０１２３４５６７８９")


# ---------------------------------------------------------------- cells
class N:
    """A number cell. style: plain | fixed2 | comma | fullwidth | noise"""

    def __init__(self, v, style="plain"):
        self.v = D(v)
        self.style = style

    def text(self):
        v = self.v
        if self.style == "fixed2":
            return f"{v:.2f}"
        if self.style == "comma":
            return f"{v:,.2f}"
        s = format(v.normalize(), "f") if v != v.to_integral_value() else str(int(v))
        if self.style == "fullwidth":
            return s.translate(FW)
        return s


class R:
    """A rate cell: percent number p (Decimal). style: pct2 | pct1 | frac"""

    def __init__(self, p, style="pct2"):
        self.p = D(p)
        self.style = style

    def text(self):
        if self.style == "pct1":
            return f"{self.p:.1f}%"
        if self.style == "frac":
            return format((self.p / 100).normalize(), "f")
        return f"{self.p:.2f}%"


def cell_text(c):
    if c is None:
        return ""
    if isinstance(c, (N, R)):
        return c.text()
    return str(c)


# ---------------------------------------------------------------- indicator pool
# (level1, level2, name, kind, target, unit)
POOL = [
    ("产出指标", "数量指标", "开展业务培训场次", "ge", 12, "场"),
    ("产出指标", "数量指标", "培训人次", "ge", 800, "人次"),
    ("产出指标", "数量指标", "新建村级服务站点", "ge", 15, "个"),
    ("产出指标", "数量指标", "发放补助资金户数", "ge", 1200, "户"),
    ("产出指标", "数量指标", "完成监督检查企业数", "ge", 300, "家"),
    ("产出指标", "数量指标", "印发宣传资料", "ge", 5000, "份"),
    ("产出指标", "数量指标", "维修道路里程", "ge", 25, "公里"),
    ("产出指标", "质量指标", "资金发放准确率", "eq", 100, "%"),
    ("产出指标", "质量指标", "项目验收合格率", "ge", 95, "%"),
    ("产出指标", "质量指标", "档案资料完整性", "qual", "完整", None),
    ("产出指标", "质量指标", "检查覆盖率", "ge", 90, "%"),
    ("产出指标", "质量指标", "工程质量", "qual", "合格", None),
    ("产出指标", "时效指标", "资金拨付及时率", "ge", 98, "%"),
    ("产出指标", "时效指标", "项目完成时间", "date", None, None),
    ("产出指标", "时效指标", "业务办结时限", "le", 15, "个工作日"),
    ("产出指标", "成本指标", "人均培训成本", "le", 300, "元"),
    ("产出指标", "成本指标", "单位面积改造成本", "le", 450, "元/平方米"),
    ("效益指标", "社会效益指标", "群众办事便利度", "qual", "明显提升", None),
    ("效益指标", "社会效益指标", "政策知晓率", "ge", 85, "%"),
    ("效益指标", "社会效益指标", "安全责任事故发生数", "le", 0, "起"),
    ("效益指标", "经济效益指标", "带动农户增收", "ge", 1500, "元/户"),
    ("效益指标", "生态效益指标", "空气质量优良天数比例", "ge", 80, "%"),
    ("效益指标", "可持续影响指标", "长效管理机制", "qual", "建立健全", None),
    ("满意度指标", "服务对象满意度指标", "服务对象满意度", "ge", 90, "%"),
    ("满意度指标", "服务对象满意度指标", "群众满意度", "ge", 85, "%"),
    ("满意度指标", "服务对象满意度指标", "受训学员满意度", "ge", 95, "%"),
]

QUAL_PARTIAL = {"完整": "基本完整", "合格": "基本合格", "明显提升": "有所提升", "建立健全": "初步建立"}
REASONS = [
    "受疫情影响部分工作延期，下一步加强统筹调度，确保按期完成",
    "部分项目审批流程较长，下一步提前谋划、压实责任",
    "基层人员力量不足，下一步加强业务培训和督导",
    "资金到位较晚影响进度，下一步加快资金拨付",
    "宣传覆盖面不够，下一步拓宽宣传渠道",
]

# Indicators declared in the published declaration sample (level1, level2, name, target)
DECLARED = [
    ("产出指标", "数量指标", "2020年发放助学金数量", "合格"),
    ("产出指标", "质量指标", "被发放对象符合要求", "合格"),
    ("效益指标", "服务对象满意度指标", "服务对象满意", "满意"),
    ("产出指标", "数量指标", "2020年发放数量", "合格"),
    ("产出指标", "质量指标", "被发放对象符合要求", "合格"),
    ("效益指标", "服务对象满意度指标", "服务对象满意", "满意"),
    ("产出指标", "数量指标", "2020年慰问数量", "合格"),
    ("产出指标", "质量指标", "符合要求", "合格"),
    ("效益指标", "服务对象满意度指标", "服务对象满意", "满意"),
    ("产出指标", "数量指标", "用于党建工作", "合格"),
    ("产出指标", "质量指标", "党建工作质量", "合格"),
]


def split_weights(rng, total, n):
    base = [3] * n
    left = total - 3 * n
    while left > 0:
        base[rng.randrange(n)] += 1
        left -= 1
    return base


def make_indicator(rng, spec, weight, year, partial, layout):
    l1, l2, name, kind, t, unit = spec
    ind = {"level1": l1, "level2": l2, "name": name, "weight": D(weight)}
    w = D(weight)
    if kind == "qual" or kind == "date":
        if kind == "date":
            tgt = f"{year}年12月31日前"
            act = f"{year}年12月{rng.randint(10, 28)}日完成" if not partial else f"{year + 1}年1月完成"
        else:
            tgt = t
            act = QUAL_PARTIAL[t] if partial else t
        score = q1down(w * D("0.8")) if partial else w
        if layout == "national":
            ind.update(direction=None, target=tgt, unit=None, actual=act)
        else:
            ind.update(direction="定性", target=tgt, unit=None, actual=act)
        ind["kind"] = "qual"
    else:
        t = D(t)
        if kind in ("ge", "eq"):
            if partial:
                a = (t * D(rng.choice(["0.88", "0.92", "0.95"]))).quantize(D("0.1") if unit == "%" else D("1"))
            else:
                a = t if kind == "eq" else (t * D(rng.choice(["1", "1.02", "1.05", "1.1"]))).quantize(
                    D("0.1") if unit == "%" else D("1"))
            if unit == "%" and a > 100:
                a = D(100)
            share = min(a / t, D(1))
        else:  # le
            if partial and t > 0:
                a = (t * D("1.2")).quantize(D("1"))
            elif t == 0:
                a = D(0)
            else:
                a = (t * D(rng.choice(["0.8", "0.9", "1"]))).quantize(D("1"))
            share = D(1) if a == 0 else min(t / a, D(1))
        rule_score = q2(w * share)
        score = w if share >= 1 else min(q1down(w * share), rule_score)
        sym = {"ge": "≥", "le": "≤", "eq": "="}[kind]
        ts, as_ = fmtd(t), fmtd(a)
        if layout == "national":
            if kind == "eq" and rng.random() < 0.5:
                target = f"{ts}{unit}"
            else:
                target = f"{sym}{ts}{unit}"
            ind.update(direction=None, target=target, unit=None, actual=f"{as_}{unit}")
        else:
            ind.update(direction=sym, target=ts, unit=unit, actual=as_)
        ind["kind"] = "quant"
        ind["_t"], ind["_a"], ind["_k"] = t, a, kind
    ind["score"] = score
    ind["reason"] = rng.choice(REASONS) if score < w else None
    return ind


def fmtd(x):
    x = D(x)
    return str(int(x)) if x == x.to_integral_value() else format(x.normalize(), "f")


# ---------------------------------------------------------------- form model
def grade_of(total):
    if total >= 90:
        return "优"
    if total >= 80:
        return "良"
    if total >= 60:
        return "中"
    return "差"


def build_form(rng, cfg):
    layout = cfg["layout"]
    year = cfg["year"]
    f = {"layout": layout, "department": cfg["dept"], "fiscal_year": year, "unit": "万元",
         "budget_code": None, "filled_by": cfg.get("filled_by"), "phone": cfg.get("phone")}
    # --- execution
    ew = D(cfg.get("exec_weight", 10))
    A = D(cfg["A"])
    r = D(cfg.get("rate_tenths", rng.choice([925, 948, 963, 975, 982, 991, 1000]))) / 1000
    if cfg.get("rate_style") == "pct1":
        A = (A / 10).quantize(D("1")) * 10  # so that B/A is exactly a one-decimal percent
    B = q2(A * r)
    initial = D(cfg.get("initial", q2(A * D(rng.choice(["0.9", "0.95", "1", "0.97"])))))
    rate = B / A * 100
    rate_written = q2(rate)
    escore = q2(ew * min(B / A, D(1)))
    f["execution"] = {"initial_budget": initial, "adjusted_budget": A, "executed": B, "weight": ew,
                      "rate_percent": rate_written, "score": escore, "reason": cfg.get("exec_reason")}
    # parts: split among labels
    plabels = cfg["parts"]  # list of (label_written, share or None)
    parts = []
    rem = [initial, A, B]
    filled = [p for p in plabels if p[1] is not None]
    for i, (lab, share) in enumerate(plabels):
        if share is None:
            parts.append({"label": lab, "initial_budget": None, "adjusted_budget": None, "executed": None})
            continue
        if lab == filled[-1][0]:
            vals = rem
        else:
            vals = [q2(x * D(share)) for x in (initial, A, B)]
            rem = [rem[k] - vals[k] for k in range(3)]
        parts.append({"label": lab, "initial_budget": vals[0], "adjusted_budget": vals[1], "executed": vals[2]})
    f["execution"]["parts"] = parts
    # --- goals
    f["goals"] = cfg["goals"]
    # --- indicators
    if "indicators" in cfg:
        inds = cfg["indicators"]
    else:
        n = cfg["n_ind"]
        sat = [s for s in POOL if s[0] == "满意度指标"]
        specs = rng.sample([s for s in POOL if s[0] != "满意度指标"], n - 1) + [rng.choice(sat)]
        specs.sort(key=lambda s: POOL.index(s))
        total_w = int(D(100) - ew)
        ws = split_weights(rng, total_w, n)
        npart = cfg.get("n_partial", rng.choice([0, 1, 2]))
        partial_idx = set(rng.sample(range(n), npart))
        inds = [make_indicator(rng, s, ws[i], year, i in partial_idx, layout) for i, s in enumerate(specs)]
    f["indicators"] = inds
    # --- total
    tot = escore + sum(i["score"] for i in inds)
    f["total"] = {"weight": D(100), "score": tot, "grade": grade_of(tot) if layout == "national" else None}
    if layout == "sichuan":
        f["conclusion"] = cfg.get("conclusion", f"{year}年度部门整体支出绩效自评得分{tot}分，总体完成年度绩效目标。")
        f["problems"] = cfg.get("problems", "个别项目实施进度偏慢，绩效目标设置不够细化。")
        f["measures"] = cfg.get("measures", "加强预算执行进度管理，进一步细化量化绩效指标。")
    else:
        f["conclusion"] = f["problems"] = f["measures"] = None
    return f


# ---------------------------------------------------------------- layout grids
def l1_label(f, ind_l1, opts):
    if not opts.get("l1_weight"):
        return ind_l1
    s = sum(i["weight"] for i in f["indicators"] if i["level1"] == ind_l1)
    if opts.get("l1_weight") == "fw":
        return f"{ind_l1}（{fmtd(s)}分）"
    return f"{ind_l1}({fmtd(s)}分)"


def numcell(v, opts, kind="amount"):
    if v is None:
        return ""
    st = opts.get("amount_style", "plain") if kind == "amount" else opts.get("score_style", "plain")
    return N(v, st)


def grid_national(f, o):
    rows = []  # each row: (cells, flags)
    W = 9
    title = f"{f['fiscal_year']}年度部门整体支出绩效自评表"
    if o.get("annex"):
        rows.append((["附件3:"], {}))
        rows.append(([], {}))
    if o.get("year_row"):
        rows.append((["部门整体支出绩效自评表"], {"title": True}))
        rows.append(([f"（{f['fiscal_year']}年度）"], {"title": True}))
    else:
        rows.append(([title], {"title": True}))
    rows.append(([], {}))
    rows.append(([o.get("unit_label", "单位：万元")], {}))
    rows.append(([], {}))
    rows.append(([o.get("dept_label", "部门名称"), f["department"]], {"merge_from": 1}))
    if f["filled_by"]:
        rows.append((["填报人", f["filled_by"], "联系电话", f["phone"]], {}))
    if o.get("blank_rows"):
        rows.append(([], {}))
    e = f["execution"]
    wlab = o.get("exec_weight_label", "分值")
    hdr = [o.get("exec_label", "年度预算执行情况（万元）"), "", "年初预算数", "全年预算数（A）", "全年执行数（B）",
           wlab, "执行率（B/A）", "得分"]
    rows.append((hdr, {"exec_start": True}))
    rate = e["rate_written"] if "rate_written" in e else e["rate_percent"]
    rows.append((["", o.get("total_label", "年度资金总额"), numcell(e["initial_budget"], o), numcell(e["adjusted_budget"], o),
                  numcell(e["executed"], o), N(e["weight"], o.get("score_style", "plain")),
                  R(rate, o.get("rate_style", "pct2")), N(e["score"], o.get("score_style", "plain"))], {}))
    for i, p in enumerate(e["parts"]):
        lab = p.get("written", p["label"])
        if i == 0:
            lab = "其中：" + lab
        rows.append((["", lab, numcell(p["initial_budget"], o), numcell(p["adjusted_budget"], o),
                      numcell(p["executed"], o), "—", "—", "—"], {"shift": i == len(e["parts"]) - 1 and o.get("shift")}))
    if o.get("blank_rows"):
        rows.append(([], {}))
    # goals
    rows.append((["年度总体目标", "预期目标", "", "", "实际完成情况"], {"goal_hdr": True}))
    if o.get("goals_one_cell"):
        sep = o.get("goal_sep", " ")
        ex = sep.join(f"目标{k + 1}：{g['expected']}" for k, g in enumerate(f["goals"]))
        ac = sep.join(f"目标{k + 1}：{g['achieved']}" for k, g in enumerate(f["goals"]))
        rows.append((["", ex, "", "", ac], {"goal_row": True}))
    else:
        for k, g in enumerate(f["goals"]):
            pre = f"目标{k + 1}：" if o.get("goal_prefix", True) else ""
            rows.append((["", pre + g["expected"], "", "", g["achieved"]], {"goal_row": True}))
    if o.get("blank_rows"):
        rows.append(([], {}))
    rows.append((["年度绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                  "偏差原因分析及改进措施"], {"ind_hdr": True}))
    prev1 = prev2 = None
    for k, ind in enumerate(f["indicators"]):
        c1 = l1_label(f, ind["level1"], o) if ind["level1"] != prev1 else ""
        c2 = ind["level2"] if (ind["level1"], ind["level2"]) != (prev1, prev2) else ""
        pb = o.get("page_break") == k
        if pb:
            c2 = ind["level2"]  # repeated after page break like the sample
        rows.append((["", c1, c2, ind["name"], ind["target"], ind["actual"], N(ind["weight"], o.get("score_style", "plain")),
                      N(ind["score"], o.get("score_style", "plain")), ind["reason"] or ""],
                     {"page_break": pb, "shift": bool(c1) and k > 0 and o.get("shift"), "ind": True}))
        prev1, prev2 = ind["level1"], ind["level2"]
    t = f["total"]
    ts = t.get("written_score", t["score"])
    if o.get("total_own_row"):
        rows.append((["总分", "", "", "", "", "", N(t["weight"]), ""], {}))
        rows.append((["自评得分", "", "", "", "", "", "", N(ts, o.get("score_style", "plain"))], {}))
    else:
        rows.append((["总分", "", "", "", "", "", N(t["weight"]), N(ts, o.get("score_style", "plain"))], {}))
    rows.append((["自评等级", t.get("written_grade", t["grade"])], {}))
    return rows, W


def grid_sichuan(f, o):
    rows = []
    W = 11
    title = f"{f['fiscal_year']}年度部门整体支出绩效自评表"
    if o.get("year_row"):
        rows.append((["部门整体支出绩效自评表"], {"title": True}))
        rows.append(([f"（{f['fiscal_year']}年度）"], {"title": True}))
    else:
        rows.append(([title], {"title": True}))
    if o.get("unit_in_dept_row"):
        rows.append(([o.get("dept_label", "部门(单位)名称"), f["department"], "", "", "", "", "", "", "",
                      o.get("unit_label", "单位：万元")], {}))
    else:
        rows.append(([o.get("unit_label", "单位：万元")], {}))
        rows.append(([o.get("dept_label", "部门(单位)名称"), f["department"]], {"merge_from": 1}))
    if f["filled_by"]:
        rows.append((["填报人", f["filled_by"], "联系电话", f["phone"]], {}))
    if o.get("blank_rows"):
        rows.append(([], {}))
    e = f["execution"]
    has_reason = o.get("exec_reason_col", True)
    hdr = [o.get("exec_label", f"预算执行情况（{fmtd(e['weight'])}分）"), "", "年初预算数", "调整后预算数", "预算执行数",
           "权重", "预算执行率", "得分"] + (["原因"] if has_reason else [])
    rows.append((hdr, {}))
    rate = e["rate_written"] if "rate_written" in e else e["rate_percent"]
    rows.append((["", o.get("total_label", "总额"), numcell(e["initial_budget"], o), numcell(e["adjusted_budget"], o),
                  numcell(e["executed"], o), N(e["weight"], o.get("score_style", "plain")),
                  R(rate, o.get("rate_style", "pct2")), N(e["score"], o.get("score_style", "plain"))]
                 + ([e["reason"] or ""] if has_reason else []), {}))
    for i, p in enumerate(e["parts"]):
        lab = p.get("written", p["label"])
        if i == 0:
            lab = "其中：" + lab
        rows.append((["", lab, numcell(p["initial_budget"], o), numcell(p["adjusted_budget"], o),
                      numcell(p["executed"], o), "/", "/", "/"], {"shift": i == len(e["parts"]) - 1 and o.get("shift")}))
    if o.get("blank_rows"):
        rows.append(([], {}))
    rows.append((["年度总体目标", "预期目标", "", "", "", "实际完成情况"], {}))
    if o.get("goals_one_cell"):
        sep = o.get("goal_sep", " ")
        ex = sep.join(f"目标{k + 1}：{g['expected']}" for k, g in enumerate(f["goals"]))
        ac = sep.join(f"目标{k + 1}：{g['achieved']}" for k, g in enumerate(f["goals"]))
        rows.append((["", ex, "", "", "", ac], {}))
    else:
        for k, g in enumerate(f["goals"]):
            pre = f"目标{k + 1}：" if o.get("goal_prefix", True) else ""
            rows.append((["", pre + g["expected"], "", "", "", g["achieved"]], {}))
    if o.get("blank_rows"):
        rows.append(([], {}))
    rows.append((["年度绩效指标", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重",
                  "得分", "未完成原因分析"], {}))
    prev1 = prev2 = None
    for k, ind in enumerate(f["indicators"]):
        c1 = l1_label(f, ind["level1"], o) if ind["level1"] != prev1 else ""
        c2 = ind["level2"] if (ind["level1"], ind["level2"]) != (prev1, prev2) else ""
        pb = o.get("page_break") == k
        if pb:
            c2 = ind["level2"]
        tgt = ind["target"]
        if o.get("num_target_cells") and ind.get("kind") == "quant":
            tgt = N(D(tgt))
        rows.append((["", c1, c2, ind["name"], ind["direction"] or "", tgt, ind["unit"] or "",
                      ind["actual"], N(ind["weight"], o.get("score_style", "plain")),
                      N(ind["score"], o.get("score_style", "plain")), ind["reason"] or ""],
                     {"page_break": pb, "ind": True}))
        prev1, prev2 = ind["level1"], ind["level2"]
    t = f["total"]
    ts = t.get("written_score", t["score"])
    if o.get("total_own_row"):
        rows.append((["总分", "", "", "", "", "", "", "", N(t["weight"]), ""], {}))
        rows.append((["自评得分", "", "", "", "", "", "", "", "", N(ts, o.get("score_style", "plain"))], {}))
    else:
        rows.append((["总分", "", "", "", "", "", "", "", N(t["weight"]), N(ts, o.get("score_style", "plain"))], {}))
    rows.append((["评价结论", f["conclusion"]], {"merge_from": 1}))
    rows.append((["存在问题", f["problems"]], {"merge_from": 1}))
    rows.append((["改进措施", f["measures"]], {"merge_from": 1}))
    return rows, W


# ---------------------------------------------------------------- writers
def write_txt(path, f, rows, W, o):
    lines = []
    title_rows = [r for r, fl in rows if fl.get("title")]
    lead = 1 if o.get("extra_col") else 0
    for cells, fl in rows:
        if fl.get("page_break"):
            lines.append("")
            for tr in title_rows:
                lines.append(cell_text(tr[0]))
            lines.append("")
            lines.append(o.get("unit_label", "单位：万元"))
            lines.append("")
        if not cells:
            lines.append("")
            continue
        if fl.get("title"):
            lines.append(cell_text(cells[0]))
            continue
        cs = [cell_text(c) for c in cells]
        if len(cs) > 1 or o.get("pad_all"):
            cs = cs + [""] * (W - len(cs))
        if fl.get("shift") and cs and cs[0] == "":
            cs = cs[1:]
        if lead:
            cs = [""] * lead + cs
        lines.append("\t".join(cs))
    nl = "\r\n" if o.get("crlf") else "\n"
    data = nl.join(lines) + nl
    enc = o.get("encoding", "utf-8")
    with open(path, "wb") as fh:
        if enc == "utf-16":
            fh.write(b"\xff\xfe" + data.encode("utf-16-le"))
        elif enc == "utf-8-sig":
            fh.write(data.encode("utf-8-sig"))
        else:
            fh.write(data.encode("utf-8"))


def xl_value(c, o):
    """Returns (value, number_format or None)."""
    if isinstance(c, N):
        if c.style == "fullwidth":
            return c.text(), None  # a clerk typing in full-width mode gives a text cell
        v = float(c.v)
        if o.get("noise") and c.v != c.v.to_integral_value():
            v = v + v * 2.3e-16 * 3  # float noise as left by Excel arithmetic
        fmt = "#,##0.00" if c.style == "comma" else ("0.00" if c.style == "fixed2" else None)
        return v, fmt
    if isinstance(c, R):
        if c.style == "frac":
            return float(c.p / 100), "0.00%"
        return c.text(), None
    return (c if c != "" else None), None


def write_xlsx(path, f, rows, W, o):
    wb = openpyxl.Workbook()
    ws = wb.active
    if o.get("instructions") == "first":
        ws.title = "填表说明"
        ins = ws
        ws = wb.create_sheet(o.get("sheet_name", "自评表"))
    else:
        ws.title = o.get("sheet_name", "自评表")
        ins = wb.create_sheet("填表说明") if o.get("instructions") else None
    if ins is not None:
        for k, line in enumerate([
            "填表说明",
            "1. 本表金额单位为万元，保留两位小数。",
            "2. 执行率=全年执行数÷全年预算数，得分=分值×执行率，最高不超过分值。",
            "3. 指标得分低于分值的，须逐项说明原因及改进措施。",
            "4. 本表经单位负责人审核后报区财政局。"], start=1):
            ins.cell(row=k, column=1, value=line)
    lead = 1 if o.get("extra_col") else 0
    r = 1
    group_start = {}
    for cells, fl in rows:
        if not cells:
            r += 1
            continue
        for k, c in enumerate(cells):
            v, fmt = xl_value(c, o)
            if v is None:
                continue
            if isinstance(v, str) and o.get("goal_newlines") and "目标2：" in v:
                v = v.replace(" 目标", "\n目标")
            cell = ws.cell(row=r, column=k + 1 + lead, value=v)
            if fmt:
                cell.number_format = fmt
            if isinstance(v, str) and "\n" in v:
                cell.alignment = Alignment(wrap_text=True)
        if fl.get("title"):
            ws.merge_cells(start_row=r, start_column=1 + lead, end_row=r, end_column=W + lead)
            ws.cell(row=r, column=1 + lead).font = Font(bold=True, size=16)
            ws.cell(row=r, column=1 + lead).alignment = Alignment(horizontal="center")
        elif fl.get("merge_from") and o.get("merge_values"):
            ws.merge_cells(start_row=r, start_column=2 + lead, end_row=r, end_column=W + lead)
        r += 1
    if o.get("merge_levels"):
        # merge level-1 and level-2 cells down over the rows they hold for
        ind_rows = []
        rr = 1
        for cells, fl in rows:
            if fl.get("ind"):
                ind_rows.append((rr, cells))
            rr += 1
        for col in (1, 2):
            k = 0
            while k < len(ind_rows):
                j = k + 1
                while j < len(ind_rows) and cell_text(ind_rows[j][1][col]) == "":
                    j += 1
                if j - 1 > k and cell_text(ind_rows[k][1][col]) != "":
                    ws.merge_cells(start_row=ind_rows[k][0], start_column=col + 1 + lead,
                                   end_row=ind_rows[j - 1][0], end_column=col + 1 + lead)
                k = j
        # also the section labels in column A over the execution block
    if o.get("merge_section"):
        rr = 1
        start = None
        for cells, fl in rows:
            if cells and cell_text(cells[0]).startswith(("年度预算执行情况", "预算执行情况")):
                start = rr
            if start and cells and cell_text(cells[0]) == "年度总体目标":
                ws.merge_cells(start_row=start, start_column=1 + lead, end_row=rr - 1 - (1 if o.get("blank_rows") else 0),
                               end_column=1 + lead)
                break
            rr += 1
    ws.column_dimensions["D"].width = 28
    wb.save(path)


# ---------------------------------------------------------------- truth
def truth_of(f):
    e = f["execution"]
    return {
        "layout": f["layout"], "fiscal_year": f["fiscal_year"], "department": f["department"],
        "budget_code": None, "filled_by": f["filled_by"], "phone": f["phone"], "unit": f["unit"],
        "execution": {
            "initial_budget": num(e["initial_budget"]), "adjusted_budget": num(e["adjusted_budget"]),
            "executed": num(e["executed"]), "weight": num(e["weight"]),
            "rate_percent": num(e.get("rate_written", e["rate_percent"])), "score": num(e["score"]),
            "reason": e["reason"],
            "parts": [{"label": p["label"], "initial_budget": num(p["initial_budget"]),
                       "adjusted_budget": num(p["adjusted_budget"]), "executed": num(p["executed"])}
                      for p in e["parts"]],
        },
        "goals": [{"expected": g["expected"], "achieved": g["achieved"]} for g in f["goals"]],
        "indicators": [{k: (num(i[k]) if k in ("weight", "score") else i[k]) for k in
                        ("level1", "level2", "name", "direction", "target", "unit", "actual", "weight", "score",
                         "reason")} for i in f["indicators"]],
        "total": {"weight": num(f["total"]["weight"]), "score": num(f["total"].get("written_score", f["total"]["score"])),
                  "grade": f["total"].get("written_grade", f["total"]["grade"])},
        "conclusion": f["conclusion"], "problems": f["problems"], "measures": f["measures"],
    }


# ---------------------------------------------------------------- the 24 forms
GOALS = [
    ("完成年度重点业务工作任务，保障机构正常运转", "全面完成年度重点工作任务，机构运转正常"),
    ("加强干部队伍建设，提升依法行政能力", "组织干部培训4期，依法行政能力进一步提升"),
    ("推进民生实事项目落地见效", "民生实事项目全部按期完工并投入使用"),
    ("规范预算管理，提高财政资金使用效益", "预算执行进度符合要求，未发现违规使用资金情况"),
    ("提升公共服务水平，群众满意度稳步提高", "第三方调查群众满意度达到92%"),
    ("做好安全生产监管，杜绝重大安全事故", "全年未发生重大安全责任事故"),
]
NAMES = ["刘敏", "张伟", "王芳", "陈静", "杨帆", "赵磊", "周婷", "吴昊", "徐丽", "孙涛", "马骏", "朱琳"]

PARTS_N = [("财政拨款", 0.92), ("上年结转资金", None), ("其他资金", None)]
PARTS_S = [("财政资金", 0.85), ("上年结转资金", 0.1), ("财政专户管理资金", None), ("单位资金", None), ("其他资金", 0.05)]


def goals(rng, n):
    return [{"expected": e, "achieved": a} for e, a in rng.sample(GOALS, n)]


def decl_indicators(layout, weights, scores=None, targets=None, drop=None, add=None):
    out = []
    for k, (l1, l2, name, tgt) in enumerate(DECLARED):
        if drop is not None and k == drop:
            continue
        t = targets.get(k, tgt) if targets else tgt
        act = t if t in ("合格", "满意") else t.lstrip("=≥")
        out.append({"level1": l1, "level2": l2, "name": name,
                    "direction": ("定性" if layout == "sichuan" else None), "target": t,
                    "unit": None, "actual": act, "weight": None, "score": None, "reason": None, "kind": "qual"})
    if add:
        out.append(add)
    # order by level1 then as declared (clerks regroup by level)
    order = {"产出指标": 0, "效益指标": 1}
    out.sort(key=lambda i: (order[i["level1"]], ["数量指标", "质量指标", "服务对象满意度指标", "社会效益指标"].index(i["level2"])))
    for i, w in zip(out, weights):
        i["weight"] = D(w)
        i["score"] = D(w)
    return out


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "corpus"
    forms_dir = os.path.join(out, "forms")
    decl_dir = os.path.join(forms_dir, "declarations")
    if os.path.isdir(forms_dir):
        shutil.rmtree(forms_dir)
    os.makedirs(decl_dir)
    rng = random.Random(20240611)

    # declarations: the published sample plus renamed copies (same indicators) for the
    # declaration-linked rules
    decl_depts = {"武汉市新洲区总工会": None, "武汉市新洲区残疾人联合会": None,
                  "武汉市新洲区妇女联合会": None, "武汉市新洲区科学技术协会": None}
    src = open(DECL_SAMPLE, encoding="utf-8").read()
    for d in decl_depts:
        with open(os.path.join(decl_dir, f"{d}-2020.txt"), "w", encoding="utf-8") as fh:
            fh.write(src.replace("武汉市新洲区总工会", d))

    specs = []

    def add(fname, fmt, cfg, opts, planted=None, also=(), notes=""):
        specs.append((fname, fmt, cfg, opts, planted, list(also), notes))

    def person():
        return rng.choice(NAMES), str(rng.randint(80000000, 89999999))

    # ---------------- clean, national
    p = person()
    add("01-武汉市新洲区教育局-2021-自评.txt", "txt",
        dict(layout="national", dept="武汉市新洲区教育局", year=2021, A="1286.41", filled_by=p[0], phone=p[1],
             parts=PARTS_N, goals=goals(rng, 3), n_ind=8, n_partial=1),
        dict(annex=True, page_break=5, shift=True, l1_weight="ascii", amount_style="comma"))
    add("02-武汉市江夏区民政局-2022-自评.txt", "txt",
        dict(layout="national", dept="武汉市江夏区民政局", year=2022, A="2310.5",
             parts=[("财政拨款", 0.8), ("上年结转资金", 0.2), ("其他资金", None)], goals=goals(rng, 4), n_ind=10,
             n_partial=2),
        dict(encoding="utf-16", crlf=True, year_row=True, dept_label="部门(单位)名称", goals_one_cell=True,
             total_label="总额"))
    p = person()
    add("03-武汉市黄陂区农业农村局-2021-自评.txt", "txt",
        dict(layout="national", dept="武汉市黄陂区农业农村局", year=2021, A="5620", filled_by=p[0], phone=p[1],
             parts=[("财政资金", 0.9), ("上年结转资金", 0.1), ("其他资金", None)], goals=goals(rng, 2), n_ind=6,
             n_partial=0),
        dict(amount_style="comma", total_own_row=True, blank_rows=True, unit_label="单位:万元",
             exec_label="预算执行情况（10分）", goal_prefix=False))
    p = person()
    add("04-武汉市蔡甸区司法局-2020-自评.xlsx", "xlsx",
        dict(layout="national", dept="武汉市蔡甸区司法局", year=2020, A="468.3", filled_by=p[0], phone=p[1],
             parts=PARTS_N, goals=goals(rng, 3), n_ind=7),
        dict(instructions="first", merge_levels=True, merge_values=True, merge_section=True, l1_weight="ascii"))
    add("05-武汉市东西湖区卫生健康局-2022-自评.xlsx", "xlsx",
        dict(layout="national", dept="武汉市东西湖区卫生健康局", year=2022, A="3417.86",
             parts=[("财政拨款", 0.75), ("上年结转资金", 0.05), ("财政专户管理资金", None), ("其他资金", 0.2)],
             goals=goals(rng, 4), n_ind=12, n_partial=2),
        dict(rate_style="frac", noise=True, extra_col=True, amount_style="comma", merge_levels=True,
             instructions="last"))
    p = person()
    add("06-武汉市新洲区文化和旅游局-2021-自评.xlsx", "xlsx",
        dict(layout="national", dept="武汉市新洲区文化和旅游局", year=2021, A="742.15", filled_by=p[0], phone=p[1],
             parts=PARTS_N, goals=goals(rng, 3), n_ind=14, n_partial=1),
        dict(amount_style="fullwidth", goals_one_cell=True, goal_newlines=True, l1_weight="fw", blank_rows=True))
    # ---------------- clean, sichuan
    p = person()
    add("07-成都市武侯区财政局-2021-自评.txt", "txt",
        dict(layout="sichuan", dept="成都市武侯区财政局", year=2021, A="2895.4", filled_by=p[0], phone=p[1],
             parts=PARTS_S, goals=goals(rng, 3), n_ind=9, n_partial=1),
        dict(page_break=6, shift=True))
    add("08-绵阳市涪城区住房和城乡建设局-2022-自评.txt", "txt",
        dict(layout="sichuan", dept="绵阳市涪城区住房和城乡建设局", year=2022, A="8120", rate_style="pct1",
             parts=[("财政拨款", 0.7), ("上年结转资金", 0.3), ("其他资金", None)], goals=goals(rng, 2), n_ind=8,
             n_partial=2, exec_reason="部分工程项目结算审计尚未完成，资金结转下年支付", rate_tenths=915),
        dict(encoding="utf-16", crlf=True, rate_style="pct1", amount_style="comma", total_own_row=True,
             unit_in_dept_row=True))
    add("09-宜宾市翠屏区自然资源局-2021-自评.xlsx", "xlsx",
        dict(layout="sichuan", dept="宜宾市翠屏区自然资源局", year=2021, A="1533.27",
             parts=PARTS_S, goals=goals(rng, 4), n_ind=10, exec_weight=20),
        dict(instructions="first", merge_levels=True, merge_values=True, rate_style="frac", noise=True,
             num_target_cells=True))
    p = person()
    add("10-泸州市江阳区市场监督管理局-2020-自评.xlsx", "xlsx",
        dict(layout="sichuan", dept="泸州市江阳区市场监督管理局", year=2020, A="965.08", filled_by=p[0], phone=p[1],
             parts=PARTS_S, goals=goals(rng, 3), n_ind=7, n_partial=1),
        dict(extra_col=True, year_row=True, amount_style="fixed2", exec_reason_col=False, goals_one_cell=True,
             goal_newlines=True))
    add("11-南充市顺庆区退役军人事务局-2022-自评.xlsx", "xlsx",
        dict(layout="sichuan", dept="南充市顺庆区退役军人事务局", year=2022, A="388.6",
             parts=[("财政拨款", 1), ("其他资金", None)], goals=goals(rng, 2), n_ind=5, n_partial=0),
        dict(total_own_row=True, merge_levels=True, dept_label="部门（单位）名称", blank_rows=True))
    p = person()
    add("12-德阳市旌阳区统计局-2021-自评.txt", "txt",
        dict(layout="sichuan", dept="德阳市旌阳区统计局", year=2021, A="214.75", filled_by=p[0], phone=p[1],
             parts=PARTS_S, goals=goals(rng, 3), n_ind=11, n_partial=2),
        dict(encoding="utf-8-sig", score_style="fullwidth", l1_weight="ascii", extra_col=True))

    # ---------------- planted, national
    add("13-武汉市洪山区城市管理执法局-2021-自评.txt", "txt",
        dict(layout="national", dept="武汉市洪山区城市管理执法局", year=2021, A="1840", parts=PARTS_N,
             goals=goals(rng, 3), n_ind=8, rate_tenths=950, plant="execution-rate"),
        dict(), planted="execution-rate", notes="written rate 97.50% but B/A = 95.00%")
    p = person()
    add("14-武汉市汉南区水务局-2022-自评.txt", "txt",
        dict(layout="national", dept="武汉市汉南区水务局", year=2022, A="2650.3", filled_by=p[0], phone=p[1],
             parts=PARTS_N, goals=goals(rng, 3), n_ind=9, n_partial=5, plant="grade"),
        dict(encoding="utf-16", crlf=True, shift=True), planted="grade", notes="total in 良 band, grade written 优")
    add("15-武汉市新洲区交通运输局-2020-自评.xlsx", "xlsx",
        dict(layout="national", dept="武汉市新洲区交通运输局", year=2020, A="3980.55", parts=PARTS_N,
             goals=goals(rng, 3), n_ind=8, n_partial=1, plant="total-sum"),
        dict(merge_levels=True, instructions="last"), planted="total-sum",
        notes="written total = sum of written scores + 0.5")
    p = person()
    add("16-武汉市江岸区商务局-2021-自评.xlsx", "xlsx",
        dict(layout="national", dept="武汉市江岸区商务局", year=2021, A="612.4", filled_by=p[0], phone=p[1],
             parts=PARTS_N, goals=goals(rng, 2), n_ind=7, n_partial=0, plant="score-above-rule"),
        dict(rate_style="frac", noise=True), planted="score-above-rule",
        notes="quantitative indicator short of its target given its full weight")
    add("17-武汉市新洲区总工会-2020-自评.txt", "txt",
        dict(layout="national", dept="武汉市新洲区总工会", year=2020, A="301.2", initial="296.41",
             filled_by="胡杰华", phone="89353913", parts=[("财政拨款", 1), ("上年结转资金", None), ("其他资金", None)],
             goals=goals(rng, 4), plant="initial-budget-mismatch", rate_tenths=982,
             indicators=decl_indicators("national", [7, 6, 6, 6, 7, 6, 6, 6, 14, 13, 13])),
        dict(annex=True, l1_weight="ascii"), planted="initial-budget-mismatch",
        notes="年初预算数 296.41 vs declared expenditure total 286.41")
    add("18-武汉市新洲区残疾人联合会-2020-自评.xlsx", "xlsx",
        dict(layout="national", dept="武汉市新洲区残疾人联合会", year=2020, A="286.41", initial="286.41",
             parts=[("财政拨款", 1), ("其他资金", None)], goals=goals(rng, 3), plant="target-changed", rate_tenths=963,
             indicators=decl_indicators("national", [7, 6, 6, 6, 7, 6, 6, 6, 14, 13, 13], targets={1: "100%"})),
        dict(merge_levels=True, merge_values=True), planted="target-changed",
        notes="被发放对象符合要求 (first) target 100% vs declared 合格")
    # ---------------- planted, sichuan
    p = person()
    add("19-成都市锦江区教育局-2021-自评.txt", "txt",
        dict(layout="sichuan", dept="成都市锦江区教育局", year=2021, A="15230.6", filled_by=p[0], phone=p[1],
             parts=PARTS_S, goals=goals(rng, 3), n_ind=9, n_partial=0, plant="score-over-weight",
             rate_tenths=950),
        dict(amount_style="comma"), planted="score-over-weight", also=["score-above-rule"],
        notes="a qualitative indicator scored weight+0.5 (also above the tool's capped score)")
    add("20-乐山市市中区林业局-2022-自评.xlsx", "xlsx",
        dict(layout="sichuan", dept="乐山市市中区林业局", year=2022, A="436.2", parts=PARTS_S, goals=goals(rng, 2),
             n_ind=8, n_partial=1, plant="weights-sum"),
        dict(instructions="first", merge_levels=True), planted="weights-sum",
        notes="indicator weights sum to 88 (+10 execution) but total weight 100")
    p = person()
    add("21-自贡市自流井区民政局-2021-自评.txt", "txt",
        dict(layout="sichuan", dept="自贡市自流井区民政局", year=2021, A="1175.9", filled_by=p[0], phone=p[1],
             parts=PARTS_S, goals=goals(rng, 3), n_ind=7, n_partial=0, plant="missing-reason"),
        dict(encoding="utf-16", crlf=True, goals_one_cell=True), planted="missing-reason",
        notes="a qualitative indicator scored 80% of its weight with no reason")
    add("22-遂宁市船山区交通运输局-2020-自评.xlsx", "xlsx",
        dict(layout="sichuan", dept="遂宁市船山区交通运输局", year=2020, A="2208.45",
             parts=[("财政拨款", 1), ("上年结转资金", None), ("其他资金", None)], goals=goals(rng, 3), n_ind=8,
             plant="negative-amount"),
        dict(amount_style="comma", noise=True), planted="negative-amount",
        notes="上年结转资金 年初预算数 written as -35.00 (财政拨款 raised to keep the sum)")
    add("23-武汉市新洲区妇女联合会-2020-自评.txt", "txt",
        dict(layout="sichuan", dept="武汉市新洲区妇女联合会", year=2020, A="286.41", initial="286.41",
             parts=[("财政拨款", 1), ("上年结转资金", None), ("其他资金", None)], goals=goals(rng, 3),
             plant="target-dropped", rate_tenths=975,
             indicators=decl_indicators("sichuan", [8, 7, 7, 7, 8, 7, 7, 13, 13, 13], drop=10)),
        dict(), planted="target-dropped", notes="declared 党建工作质量 missing")
    add("24-武汉市新洲区科学技术协会-2020-自评.xlsx", "xlsx",
        dict(layout="sichuan", dept="武汉市新洲区科学技术协会", year=2020, A="286.41", initial="286.41",
             parts=[("财政拨款", 1), ("其他资金", None)], goals=goals(rng, 3), plant="target-added", rate_tenths=1000,
             indicators=decl_indicators("sichuan", [6, 6, 6, 6, 5, 6, 5, 5, 5, 14, 13, 13], add={
                 "level1": "产出指标", "level2": "数量指标", "name": "开展科普讲座场次", "direction": "≥",
                 "target": "20", "unit": "场", "actual": "24", "weight": None, "score": None, "reason": None,
                 "kind": "quant"})),
        dict(merge_levels=True), planted="target-added", notes="indicator 开展科普讲座场次 not in the declaration")

    truth = {"files": {}, "declarations": sorted(os.listdir(decl_dir))}
    for fname, fmt, cfg, opts, planted, also, notes in specs:
        f = build_form(rng, cfg)
        plant = cfg.get("plant")
        if plant == "execution-rate":
            f["execution"]["rate_written"] = f["execution"]["rate_percent"] + D("2.5")
        elif plant == "grade":
            pass  # written grade set below, one band off the written total
        elif plant == "total-sum":
            f["total"]["written_score"] = f["total"]["score"] + D("0.5")
        elif plant == "score-above-rule":
            q = [i for i in f["indicators"] if i.get("kind") == "quant" and i["_k"] in ("ge", "eq")][0]
            t = q["_t"]
            a = (t * D("0.8")).quantize(D("0.1") if q["unit"] == "%" or "%" in q["target"] else D("1"))
            ustr = "%" if "%" in q["target"] else q["target"].lstrip("≥=0123456789.")
            q["actual"] = f"{fmtd(a)}{ustr}" if f["layout"] == "national" else fmtd(a)
            # score stays at full weight; tool gives weight*0.8
            q["score"] = q["weight"]
            q["reason"] = None
        elif plant == "score-over-weight":
            qi = [i for i in f["indicators"] if i.get("kind") == "qual"][0]
            qi["score"] = qi["weight"] + D("0.5")
            # keep the written total within its weight so that only the indicator is over
            assert f["execution"]["score"] + sum(i["score"] for i in f["indicators"]) <= 100
        elif plant == "weights-sum":
            i0 = [i for i in f["indicators"] if i["score"] == i["weight"] and i["weight"] >= 5][0]
            i0["weight"] -= 2
            i0["score"] = i0["weight"]
        elif plant == "missing-reason":
            qi = [i for i in f["indicators"] if i.get("kind") == "qual"][0]
            qi["score"] = q1down(qi["weight"] * D("0.8"))
            qi["actual"] = QUAL_PARTIAL.get(qi["target"], qi["actual"]) if qi["target"] in QUAL_PARTIAL else qi["actual"]
            qi["reason"] = None
        elif plant == "negative-amount":
            ps = f["execution"]["parts"]
            ps[1]["initial_budget"] = D("-35.00")
            ps[0]["initial_budget"] += D("35.00")
        # recompute the total (except for total-sum's planted difference) and grade
        tot = f["execution"]["score"] + sum(i["score"] for i in f["indicators"])
        f["total"]["score"] = tot
        if f["layout"] == "national":
            f["total"]["grade"] = grade_of(tot)
        if plant == "grade":
            f["total"]["written_grade"] = "良" if tot >= 90 else "优"
        if plant == "total-sum":
            delta = D("0.5") if grade_of(tot + D("0.5")) == grade_of(tot) else D("-0.5")
            f["total"]["written_score"] = tot + delta
        if f["layout"] == "sichuan" and "conclusion" not in cfg:
            f["conclusion"] = f"{f['fiscal_year']}年度部门整体支出绩效自评得分{fmtd(f['total'].get('written_score', tot))}分，总体完成年度绩效目标。"
        # sanity on clean forms
        if not plant:
            e = f["execution"]
            assert sum(i["weight"] for i in f["indicators"]) + e["weight"] == 100
            for i in f["indicators"]:
                assert 0 <= i["score"] <= i["weight"]
                assert i["score"] == i["weight"] or i["reason"]
            for k in ("initial_budget", "adjusted_budget", "executed"):
                s = sum(p[k] or 0 for p in e["parts"])
                assert s == e[k], (fname, k, s, e[k])
        rows, W = (grid_national if f["layout"] == "national" else grid_sichuan)(f, opts)
        path = os.path.join(forms_dir, fname)
        (write_txt if fmt == "txt" else write_xlsx)(path, f, rows, W, opts)
        t = truth_of(f)
        truth["files"][fname] = {"planted": planted, "also_acceptable": also, "notes": notes,
                                 "has_declaration": f["department"] in decl_depts, "expected": t,
                                 "variation": sorted(k for k, v in opts.items() if v)}
    with open(os.path.join(out, "truth.json"), "w", encoding="utf-8") as fh:
        json.dump(truth, fh, ensure_ascii=False, indent=1)
    print(f"wrote {len(specs)} forms + {len(decl_depts)} declarations to {forms_dir}")


if __name__ == "__main__":
    main()
