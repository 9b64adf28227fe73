//! Quirks of spec section 1 and rendering a form as the classic text export.

use super::*;

// ---------------------------------------------------------------------------------------------
// Quirks and rendering
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Enc {
    Utf8,
    Utf8Bom,
    Gb18030,
    Utf16Le,
    Utf16Be,
}

impl Enc {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Enc::Utf8 => "utf-8",
            Enc::Utf8Bom => "utf-8-bom",
            Enc::Gb18030 => "gb18030",
            Enc::Utf16Le => "utf-16le",
            Enc::Utf16Be => "utf-16be",
        }
    }

    pub(crate) fn encode(self, text: &str) -> Vec<u8> {
        match self {
            Enc::Utf8 => text.as_bytes().to_vec(),
            Enc::Utf8Bom => [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat(),
            Enc::Gb18030 => encoding_rs::GB18030.encode(text).0.into_owned(),
            Enc::Utf16Le => {
                let mut v = vec![0xFF, 0xFE];
                text.encode_utf16()
                    .for_each(|u| v.extend_from_slice(&u.to_le_bytes()));
                v
            }
            Enc::Utf16Be => {
                let mut v = vec![0xFE, 0xFF];
                text.encode_utf16()
                    .for_each(|u| v.extend_from_slice(&u.to_be_bytes()));
                v
            }
        }
    }
}

/// The quirks chosen for one text file (before knowing whether each one finds a place).
pub(crate) struct Quirks {
    pub(crate) enc: Enc,
    pub(crate) crlf: bool,
    pub(crate) final_newline: bool,
    /// Percentage of amount cells written with full-width digits.
    pub(crate) fullwidth: usize,
    pub(crate) thousands: bool,
    pub(crate) unit_variants: bool,
    pub(crate) halfwidth_colons: bool,
    pub(crate) page_breaks: usize,
    pub(crate) break_in_table: bool,
    pub(crate) shift_total: bool,
    pub(crate) shift_benefit: bool,
    /// Percentage of goals whose `年度绩效指标` label lands on the first data row.
    pub(crate) label_on_data: usize,
    pub(crate) level1_once: bool,
    pub(crate) functions_plain: bool,
    pub(crate) tasks_plain: bool,
}

impl Quirks {
    pub(crate) fn choose(level: QuirkLevel, rng: &mut Rng) -> Quirks {
        match level {
            QuirkLevel::None => Quirks {
                enc: Enc::Utf8,
                crlf: false,
                final_newline: false,
                fullwidth: 0,
                thousands: false,
                unit_variants: false,
                halfwidth_colons: false,
                page_breaks: 0,
                break_in_table: false,
                shift_total: false,
                shift_benefit: false,
                label_on_data: 0,
                level1_once: false,
                functions_plain: false,
                tasks_plain: false,
            },
            QuirkLevel::Some => Quirks {
                enc: match rng.below(10) {
                    0 => Enc::Utf8Bom,
                    1 => Enc::Gb18030,
                    2 => Enc::Utf16Le,
                    3 => Enc::Utf16Be,
                    _ => Enc::Utf8,
                },
                crlf: rng.chance(30),
                final_newline: rng.chance(30),
                fullwidth: if rng.chance(20) { 50 } else { 0 },
                thousands: rng.chance(30),
                unit_variants: rng.chance(40),
                halfwidth_colons: rng.chance(25),
                page_breaks: if rng.chance(40) {
                    rng.range(1, 3) as usize
                } else {
                    0
                },
                break_in_table: rng.chance(50),
                shift_total: rng.chance(35),
                shift_benefit: rng.chance(35),
                label_on_data: if rng.chance(25) { 50 } else { 0 },
                level1_once: rng.chance(40),
                functions_plain: rng.chance(30),
                tasks_plain: rng.chance(30),
            },
            QuirkLevel::All => Quirks {
                enc: rng.pick(&[Enc::Utf8Bom, Enc::Gb18030, Enc::Utf16Le, Enc::Utf16Be]),
                crlf: true,
                final_newline: true,
                fullwidth: 50,
                thousands: true,
                unit_variants: true,
                halfwidth_colons: true,
                page_breaks: 3,
                break_in_table: true,
                shift_total: true,
                shift_benefit: true,
                label_on_data: 100,
                level1_once: true,
                functions_plain: true,
                tasks_plain: true,
            },
        }
    }
}

pub(crate) const FOOTER: [&str; 3] = [
    "- 备注：1. “整体绩效目标”：请结合部门职能、工作规划、项目支出投向等编报。",
    " 2. “二级指标”中“产出指标”请选择填报数量、质量、时效、成本等指标；“效益指标”请选择填报社会效益、经济效益、生态效益、可持续发展影响、服务对象满意度等指标。",
    " 3. “绩效标准”：设定绩效指标值时的依据或参考标准。",
];

/// A table row before page breaks are laid in.
pub(crate) struct TRow {
    pub(crate) cells: Vec<String>,
    /// Whether a page break may come right before this row.
    pub(crate) breakable: bool,
    /// Inside an indicator table: a break before it repeats the table's header rows.
    pub(crate) in_table: bool,
    pub(crate) anchor: Option<Anchor>,
}

pub(crate) fn row(cells: Vec<String>, breakable: bool, anchor: Option<Anchor>) -> TRow {
    TRow {
        cells,
        breakable,
        in_table: false,
        anchor,
    }
}

pub(crate) fn cells(xs: &[&str]) -> Vec<String> {
    xs.iter().map(|s| s.to_string()).collect()
}

pub(crate) fn padded(first: &str, second: &str, width: usize) -> Vec<String> {
    let mut v = vec![first.to_string(), second.to_string()];
    v.resize(width, String::new());
    v
}

/// The header cell of the prior year `year - back`: `年` with the number left blank when the
/// form's year was planted away (`missing-field`), so that no header names the budget year.
pub(crate) fn year_header(year: Option<i32>, back: i32) -> String {
    match year {
        Some(y) => format!("{}年", y - back),
        None => "年".to_string(),
    }
}

pub(crate) fn indicator_headers(year: Option<i32>, label: bool) -> [Vec<String>; 3] {
    let y1 = year_header(year, 1);
    let y2 = year_header(year, 2);
    [
        cells(&[
            if label { "年度绩效指标" } else { "" },
            "一级指标",
            "二级指标",
            "指标名称",
            "指标值",
            "",
            "",
            "绩效标准",
        ]),
        cells(&["", "", "", "", "近两年指标值", "", "预期当年实现值", ""]),
        cells(&["", "", "", "", &y1, &y2, "", ""]),
    ]
}

pub(crate) struct Rendered {
    pub(crate) text: String,
    pub(crate) quirks: Vec<String>,
    pub(crate) anchors: Vec<(Anchor, u32)>,
}

pub(crate) fn fmt_amount(d: Decimal, q: &Quirks, rng: &mut Rng, used: &mut [bool; 2]) -> String {
    let s = d.to_string();
    let (sign, rest) = if let Some(r) = s.strip_prefix('-') {
        ("-", r)
    } else {
        ("", s.as_str())
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    let mut out = String::from(sign);
    if q.thousands && int.len() > 3 {
        used[0] = true;
        for (k, ch) in int.chars().enumerate() {
            if k > 0 && (int.len() - k) % 3 == 0 {
                out.push(',');
            }
            out.push(ch);
        }
    } else {
        out.push_str(int);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    if q.fullwidth > 0 && rng.chance(q.fullwidth) {
        used[1] = true;
        out = out
            .chars()
            .map(|c| {
                if c.is_ascii_digit() {
                    char::from_u32(c as u32 - 0x30 + 0xFF10).unwrap_or(c)
                } else {
                    c
                }
            })
            .collect();
    }
    out
}

pub(crate) fn render(form: &Form, q: &Quirks, rng: &mut Rng) -> Rendered {
    let decl = &form.decl;
    let year = form.year;
    let colon = if q.halfwidth_colons { ":" } else { "：" };
    let mut used = [false; 2]; // thousands separators, full-width digits
    let mut applied: Vec<&'static str> = Vec::new();
    // Header block of the money table (7 columns).
    let mut rows: Vec<TRow> = vec![row(
        padded("部门名称", decl.department.as_deref().unwrap_or(""), 7),
        false,
        Some(Anchor::Department),
    )];
    rows.push(row(
        cells(&[
            "填报人",
            decl.filled_by.as_deref().unwrap_or(""),
            "联系电话",
            decl.phone.as_deref().unwrap_or(""),
            "",
            "",
            "",
        ]),
        true,
        None,
    ));
    rows.push(row(
        cells(&[
            "部门总体资金情况 (万元)",
            "总体资金情况",
            "",
            "当年预算收支",
            "占比",
            "近两年收支情况",
            "",
        ]),
        true,
        None,
    ));
    rows.push(row(
        cells(&[
            "",
            "",
            "",
            "",
            "",
            &year_header(decl.fiscal_year.map(|_| year), 1),
            &year_header(decl.fiscal_year.map(|_| year), 2),
        ]),
        false,
        None,
    ));
    let lines = [
        &decl.income.fiscal_appropriation,
        &decl.income.other,
        &decl.income.total,
        &decl.expenditure.basic,
        &decl.expenditure.project,
        &decl.expenditure.total,
    ];
    for (k, line) in lines.iter().enumerate() {
        let mrow = MROWS[k];
        let mut amount = |v: Option<Decimal>| {
            v.map(|d| fmt_amount(d, q, rng, &mut used))
                .unwrap_or_default()
        };
        let mut budget = amount(line.budget);
        if let Some((r, text)) = &form.bad_cell {
            if *r == mrow {
                budget = text.clone();
            }
        }
        let p1 = amount(line.prior_years.get(year - 1).copied().flatten());
        let p2 = amount(line.prior_years.get(year - 2).copied().flatten());
        let share = line
            .share_percent
            .map(|s| format!("{s}%"))
            .unwrap_or_default();
        let group = match mrow {
            MRow::Fa => "收入构成",
            MRow::Basic => "支出构成",
            _ => "",
        };
        let c = if mrow == MRow::OutTotal && q.shift_total {
            applied.push("shifted-total-row");
            vec![
                "合计".to_string(),
                String::new(),
                budget,
                share,
                p1,
                p2,
                String::new(),
            ]
        } else {
            vec![
                String::new(),
                group.to_string(),
                mrow.label().to_string(),
                budget,
                share,
                p1,
                p2,
            ]
        };
        rows.push(row(c, true, Some(Anchor::Money(mrow))));
    }
    let paragraphs = |ps: &[String], plain: bool| -> String {
        if plain {
            ps.join(" ")
        } else {
            ps.iter()
                .map(|p| format!("<p>{p}</p>"))
                .collect::<Vec<_>>()
                .join(" ")
        }
    };
    if q.functions_plain {
        applied.push("functions-plain-text");
    }
    if q.tasks_plain {
        applied.push("tasks-plain-text");
    }
    rows.push(row(
        padded(
            "部门职能概述",
            &paragraphs(&decl.functions, q.functions_plain),
            7,
        ),
        true,
        None,
    ));
    rows.push(row(
        padded(
            "年度工作任务",
            &paragraphs(&decl.annual_tasks, q.tasks_plain),
            7,
        ),
        true,
        None,
    ));
    rows.push(row(
        cells(&["", "长期目标", "", "", "年度目标", "", ""]),
        true,
        None,
    ));

    // Goals (8 columns).
    let overall = decl
        .overall_goals
        .iter()
        .enumerate()
        .map(|(k, g)| format!("目标{}{colon}{g}", k + 1))
        .collect::<Vec<_>>()
        .join(" ");
    rows.push(row(
        padded("整体绩效目标", &overall, 8),
        true,
        Some(Anchor::Overall),
    ));
    for (g, goal) in decl.goals.iter().enumerate() {
        rows.push(row(
            padded(
                &format!("年度目标{}{colon}", goal.number),
                goal.name.as_deref().unwrap_or(""),
                8,
            ),
            true,
            Some(Anchor::Goal(g)),
        ));
        let first_shifted = q.shift_benefit
            && goal.indicators.first().and_then(|i| i.level1.as_deref()) == Some("效益指标");
        let label_on_data = q.label_on_data > 0
            && !first_shifted
            && !goal.indicators.is_empty()
            && rng.chance(q.label_on_data);
        if label_on_data {
            applied.push("label-on-data-row");
        }
        let [h1, h2, h3] = indicator_headers(decl.fiscal_year.map(|_| year), !label_on_data);
        rows.push(row(h1, true, None));
        rows.push(row(h2, false, None));
        rows.push(row(h3, false, None));
        let mut prev_l1: Option<&str> = None;
        for (i, ind) in goal.indicators.iter().enumerate() {
            let l1 = ind.level1.as_deref().unwrap_or("");
            let first_of_group = prev_l1 != Some(l1);
            prev_l1 = Some(l1);
            let shown_l1 = if q.level1_once && !first_of_group {
                ""
            } else {
                l1
            };
            if q.level1_once && !first_of_group {
                applied.push("level1-once");
            }
            let v = |y: i32| {
                ind.prior_years
                    .get(y)
                    .cloned()
                    .flatten()
                    .unwrap_or_default()
            };
            let rest = [
                ind.level2.clone().unwrap_or_default(),
                ind.name.clone().unwrap_or_default(),
                v(year - 1),
                v(year - 2),
                ind.target.clone().unwrap_or_default(),
                ind.standard.clone().unwrap_or_default(),
            ];
            let mut c = Vec::with_capacity(8);
            if q.shift_benefit && l1 == "效益指标" && first_of_group {
                applied.push("shifted-benefit-row");
                c.push(l1.to_string());
                c.extend(rest);
                c.push(String::new());
            } else {
                c.push(
                    if label_on_data && i == 0 {
                        "年度绩效指标"
                    } else {
                        ""
                    }
                    .to_string(),
                );
                c.push(shown_l1.to_string());
                c.extend(rest);
            }
            let mut r = row(c, true, Some(Anchor::Indicator(g, i)));
            r.in_table = true;
            rows.push(r);
        }
        for _ in form.placeholders.iter().filter(|&&pg| pg == g) {
            let mut r = row(
                cells(&["", "", "_____指标", "", "", "", "", ""]),
                true,
                Some(Anchor::Placeholder(g)),
            );
            r.in_table = true;
            rows.push(r);
        }
    }
    rows.push(row(vec![String::new(); 7], false, None));

    // Page breaks.
    let mut breaks = vec![false; rows.len()];
    if q.page_breaks > 0 {
        let candidates: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].breakable).collect();
        for k in rng.subset(candidates.len(), q.page_breaks) {
            breaks[candidates[k]] = true;
        }
        let in_table: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&i| rows[i].in_table)
            .collect();
        if q.break_in_table && !in_table.is_empty() && !in_table.iter().any(|&i| breaks[i]) {
            breaks[rng.pick(&in_table)] = true;
        }
    }

    let title = match decl.fiscal_year {
        Some(y) => format!("{y}年度部门整体支出绩效目标申报表"),
        None => "年度部门整体支出绩效目标申报表".to_string(),
    };
    let unit_line = |rng: &mut Rng| -> &'static str {
        if q.unit_variants {
            rng.pick(&["单位: 万元", "单位：万元", "单位:万元"])
        } else {
            "单位: 万元"
        }
    };
    let attachment = if q.unit_variants {
        rng.pick(&["附件2:", "附件2："])
    } else {
        "附件2:"
    };
    let mut out: Vec<String> = vec![
        String::new(),
        String::new(),
        attachment.to_string(),
        String::new(),
        title.clone(),
    ];
    out.push(String::new());
    out.push(unit_line(rng).to_string());
    out.push(String::new());
    let mut anchors = vec![(Anchor::Title, 5)];
    for (i, r) in rows.iter().enumerate() {
        if breaks[i] {
            applied.push("page-breaks");
            out.extend([
                String::new(),
                title.clone(),
                String::new(),
                unit_line(rng).to_string(),
                String::new(),
            ]);
            if r.in_table {
                applied.push("page-break-in-indicator-table");
                let [h1, h2, h3] = indicator_headers(decl.fiscal_year.map(|_| year), false);
                out.extend([h1.join("\t"), h2.join("\t"), h3.join("\t")]);
            }
        }
        if let Some(a) = r.anchor {
            anchors.push((a, out.len() as u32 + 1));
        }
        out.push(r.cells.join("\t"));
    }
    out.push(String::new());
    out.extend(FOOTER.iter().map(|s| s.to_string()));

    if q.unit_variants {
        applied.push("unit-line-variants");
    }
    if q.halfwidth_colons {
        applied.push("halfwidth-colons");
    }
    if used[0] {
        applied.push("thousands-separators");
    }
    if used[1] {
        applied.push("fullwidth-digits");
    }
    let eol = if q.crlf {
        applied.push("crlf");
        "\r\n"
    } else {
        "\n"
    };
    let mut text = out.join(eol);
    if q.final_newline {
        applied.push("final-newline");
        text.push_str(eol);
    }
    let quirks = QUIRK_NAMES
        .iter()
        .filter(|n| applied.contains(n))
        .map(|n| n.to_string())
        .collect();
    Rendered {
        text,
        quirks,
        anchors,
    }
}
