//! A case per rule of the catalog: a change to the real sample that fires it, and a near miss
//! (the tolerance edge, a synonym, a measurable target…) that does not.

use crate::common;
use budgetsite::ingest::IngestOptions;
use common::*;

struct Case {
    code: &'static str,
    /// Files of the firing case; the rule must fire on the first one.
    fires: Vec<(&'static str, Vec<u8>)>,
    /// Files of the near miss; the rule must not fire on any of them.
    passes: Vec<(&'static str, Vec<u8>)>,
}

fn s() -> String {
    sample_text()
}

fn replaced(pairs: &[(&str, &str)]) -> Vec<u8> {
    let mut t = s();
    for (from, to) in pairs {
        assert!(t.contains(from), "the sample has no {from:?}");
        t = t.replace(from, to);
    }
    t.into_bytes()
}

/// The sample re-dated to 2021, with prior-year columns (2020, 2019) whose 2019 values are
/// `basic_2019` and `project_2019` (the 2020 form says 202.09 and 32.26).
fn form_2021(basic_2019: &str, project_2019: &str) -> Vec<u8> {
    let t = String::from_utf8(replaced(&[
        ("2020年度部门", "2021年度部门"),
        ("2019年", "2020年"),
        ("2018年", "2019年"),
        ("234.35\t231.55", "280.00\t234.35"),
    ]))
    .unwrap();
    t.replace("202.09\t200.55", &format!("250.00\t{basic_2019}"))
        .replace("32.26\t31", &format!("30.00\t{project_2019}"))
        .into_bytes()
}

const GOAL4_PLACEHOLDERS: &str = "\t效益指标\t_____指标\t\t\t\t\t\n\t\t_____指标\t\t\t\t\t\n";

fn cases() -> Vec<Case> {
    let sample = || s().into_bytes();
    vec![
        Case {
            code: "unreadable-file",
            fires: vec![("a.txt", Vec::new())],
            passes: vec![("a.txt", sample())],
        },
        Case {
            code: "not-a-declaration",
            fires: vec![("a.txt", "会议纪要\n今天开会。\n".into())],
            passes: vec![("a.txt", replaced(&[("2020年度部门整体支出绩效目标申报表", "")]))],
        },
        Case {
            code: "missing-field",
            fires: vec![("a.txt", replaced(&[("部门名称\t武汉市新洲区总工会", "部门名称\t")]))],
            passes: vec![("a.txt", replaced(&[("部门名称\t武汉市新洲区总工会", "部门名称：\t武汉市新洲区总工会")]))],
        },
        Case {
            code: "bad-number",
            fires: vec![("a.txt", replaced(&[("268.03\t93.58%", "268.O3\t93.58%")]))],
            passes: vec![("a.txt", replaced(&[("268.03\t93.58%", "２６８．０３\t93.58％")]))],
        },
        Case {
            code: "negative-amount",
            fires: vec![("a.txt", replaced(&[("\t\t其他资金\t\t\t\t", "\t\t其他资金\t\t\t-5\t")]))],
            passes: vec![("a.txt", replaced(&[("\t\t其他资金\t\t\t\t", "\t\t其他资金\t0\t0%\t0\t0")]))],
        },
        Case {
            code: "income-sum",
            fires: vec![("a.txt", replaced(&[("财政拨款\t286.41\t100%", "财政拨款\t280.41\t100%")]))],
            // 0.01 万元 is within tolerance.
            passes: vec![("a.txt", replaced(&[("财政拨款\t286.41\t100%", "财政拨款\t286.40\t100%")]))],
        },
        Case {
            code: "expenditure-sum",
            fires: vec![("a.txt", replaced(&[("268.03\t93.58%", "268.53\t93.58%")]))],
            passes: vec![("a.txt", replaced(&[("268.03\t93.58%", "268.04\t93.58%")]))],
        },
        Case {
            code: "balance",
            fires: vec![("a.txt", replaced(&[
                ("财政拨款\t286.41", "财政拨款\t296.41"),
                ("\t\t合计\t286.41", "\t\t合计\t296.41"),
            ]))],
            passes: vec![("a.txt", replaced(&[
                ("财政拨款\t286.41", "财政拨款\t286.42"),
                ("\t\t合计\t286.41", "\t\t合计\t286.42"),
            ]))],
        },
        Case {
            code: "share",
            fires: vec![("a.txt", replaced(&[("93.58%", "93.48%")]))],
            passes: vec![("a.txt", replaced(&[("93.58%", "93.57%")]))],
        },
        Case {
            code: "duplicate-submission",
            fires: vec![("a.txt", sample()), ("b/a-副本.txt", sample())],
            passes: vec![("a.txt", sample()), ("b.txt", form_2021("202.09", "32.26"))],
        },
        Case {
            code: "field-too-long",
            fires: vec![(
                "a.txt",
                replaced(&[("武汉市新洲区总工会", &"很长的部门名称".repeat(29))]),
            )],
            passes: vec![(
                "a.txt",
                replaced(&[("武汉市新洲区总工会", &"很长的部门名称".repeat(28))]),
            )],
        },
        Case {
            code: "indicator-category",
            fires: vec![("a.txt", replaced(&[("\t产出指标\t数量指标\t2020年发放助学金数量", "\t产出指标\t效率指标\t2020年发放助学金数量")]))],
            // 环境效益 is 生态效益; 可持续发展影响 is the form's own spelling of 可持续影响.
            passes: vec![("a.txt", replaced(&[
                ("效益指标\t服务对象满意度指标\t服务对象满意\t满意\t满意\t满意\t满意\t\n年度目标2", "效益指标\t环境效益指标\t服务对象满意\t满意\t满意\t满意\t满意\t\n年度目标2"),
                ("效益指标\t服务对象满意度指标\t服务对象满意\t满意\t满意\t满意\t满意\t\n年度目标3", "效益指标\t可持续发展影响指标\t服务对象满意\t满意\t满意\t满意\t满意\t\n年度目标3"),
            ]))],
        },
        Case {
            code: "vague-target",
            fires: vec![("a.txt", sample())],
            passes: vec![("a.txt", replaced(&[
                ("合格\t合格\t合格\t合格", "合格\t合格\t≥95%\t合格"),
                ("服务对象满意\t满意\t满意\t满意\t满意", "服务对象满意\t满意\t满意\t≥90%\t满意"),
            ]))],
        },
        Case {
            code: "placeholder-row",
            fires: vec![("a.txt", sample())],
            passes: vec![("a.txt", replaced(&[(GOAL4_PLACEHOLDERS, "")]))],
        },
        Case {
            code: "missing-output",
            fires: vec![("a.txt", replaced(&[
                ("年度绩效指标\t产出指标\t数量指标\t用于党建工作", "年度绩效指标\t效益指标\t社会效益指标\t用于党建工作"),
                ("\t\t质量指标\t党建工作质量", "\t\t社会效益指标\t党建工作质量"),
            ]))],
            passes: vec![("a.txt", sample())],
        },
        Case {
            code: "missing-benefit",
            fires: vec![("a.txt", sample())],
            passes: vec![("a.txt", replaced(&[(GOAL4_PLACEHOLDERS, "\t效益指标\t社会效益指标\t党员满意度\t90%\t90%\t≥95%\t≥95%\n")]))],
        },
        Case {
            code: "goal-mismatch",
            fires: vec![("a.txt", replaced(&[(" 目标4：开展党建活动，提高党建工作质量", "")]))],
            passes: vec![("a.txt", sample())],
        },
        Case {
            code: "prior-year-revised",
            // The 2021 form moves 0.10 from 基本支出 to 项目支出 in 2019: sums hold, actuals differ.
            fires: vec![("b-2021.txt", form_2021("201.99", "32.36")), ("a-2020.txt", sample())],
            passes: vec![("b-2021.txt", form_2021("202.09", "32.26")), ("a-2020.txt", sample())],
        },
    ]
}

fn findings(files: &[(&str, Vec<u8>)]) -> Vec<(String, String)> {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        write(dir.path(), name, bytes);
    }
    let batch = budgetsite::load(&[dir.path().to_path_buf()], &IngestOptions::default()).unwrap();
    let root = budgetsite::ingest::SourceFile {
        display: dir.path().to_string_lossy().replace('\\', "/"),
        path: dir.path().to_path_buf(),
    };
    batch
        .diagnostics
        .iter()
        .map(|d| {
            let rel = d.file.strip_prefix(&root.display).unwrap_or(&d.file);
            (
                rel.trim_start_matches('/').to_owned(),
                d.code.as_str().to_owned(),
            )
        })
        .collect()
}

#[test]
fn every_rule_has_a_firing_case_and_a_near_miss() {
    let all = cases();
    // The self-evaluation rules have their cases in `self_eval`.
    let mut covered: Vec<&str> = all.iter().map(|c| c.code).collect();
    covered.extend(crate::self_eval::covered());
    for code in budgetsite::Code::ALL {
        assert!(covered.contains(&code.as_str()), "no case for {code}");
    }
    for case in all {
        let fired = findings(&case.fires);
        let target = case.fires[0].0;
        assert!(
            fired.iter().any(|(f, c)| f == target && c == case.code),
            "{} did not fire on {target}: {fired:?}",
            case.code
        );
        let passed = findings(&case.passes);
        assert!(
            !passed.iter().any(|(_, c)| c == case.code),
            "{} fired on its near miss: {passed:?}",
            case.code
        );
    }
}

#[test]
fn duplicate_submission_marks_both_files() {
    let sample = s().into_bytes();
    let fired = findings(&[("a.txt", sample.clone()), ("b/a-副本.txt", sample)]);
    let dup: Vec<&str> = fired
        .iter()
        .filter(|(_, c)| c == "duplicate-submission")
        .map(|(f, _)| f.as_str())
        .collect();
    assert_eq!(dup, ["a.txt", "b/a-副本.txt"]);
}

/// The messages of `code` on one form.
fn messages(text: Vec<u8>, code: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "a.txt", text);
    let batch = budgetsite::load(&[path], &IngestOptions::default()).unwrap();
    batch
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == code)
        .map(|d| d.message.clone())
        .collect()
}

#[test]
fn a_prior_year_total_left_blank_beside_filled_parts_is_a_sum_finding() {
    const TOTAL: &str = "合计\t\t286.41\t100%\t234.35\t231.55\t";
    const PROJECT: &str = "项目支出\t18.38\t6.42%\t32.26\t31";
    const BASIC: &str = "基本支出\t268.03\t93.58%\t202.09\t200.55";
    let no_total = (TOTAL, "合计\t\t286.41\t100%\t\t231.55\t");
    assert_eq!(
        messages(replaced(&[no_total]), "expenditure-sum"),
        ["支出合计（2019年实际）未填写，但基本支出 202.09 + 项目支出 32.26 已填写，请补填合计"]
    );
    // One part filled is enough to ask for the total.
    let no_project = (PROJECT, "项目支出\t18.38\t6.42%\t\t31");
    assert_eq!(
        messages(replaced(&[no_total, no_project]), "expenditure-sum"),
        ["支出合计（2019年实际）未填写，但基本支出 202.09 + 项目支出 （空） 已填写，请补填合计"]
    );
    // A prior year left blank altogether is fine.
    let no_basic = (BASIC, "基本支出\t268.03\t93.58%\t\t200.55");
    assert!(messages(
        replaced(&[no_total, no_project, no_basic]),
        "expenditure-sum"
    )
    .is_empty());
}

#[test]
fn a_text_as_long_as_a_cell_holds_is_fine_one_character_more_is_too_long() {
    // The 填报人 cell, filled with n characters.
    let with = |n: usize| messages(replaced(&[("胡杰华", &"字".repeat(n))]), "field-too-long");
    assert!(with(32_767).is_empty());
    assert_eq!(
        with(32_768),
        ["“填报人”中有一段 32768 个字的内容，超过电子表格单元格上限 32767 个字，请精简或分段"]
    );
}

#[test]
fn a_department_name_as_long_as_allowed_is_fine_one_character_more_is_too_long() {
    // The sample's department name, padded to n characters (a mutant of the limit's `>` to
    // `>=` survived every other test).
    let max = budgetsite::rules::MAX_NAME_CHARS;
    let name = "武汉市新洲区总工会";
    let with = |n: usize| {
        let long = format!("{name}{}", "会".repeat(n - name.chars().count()));
        messages(replaced(&[(name, &long)]), "field-too-long")
    };
    assert!(with(max).is_empty(), "{:?}", with(max));
    assert_eq!(
        with(max + 1),
        [format!(
            "部门名称有 {} 个字，超过上限 {max} 个字，请填写单位全称",
            max + 1
        )]
    );
}

#[test]
fn a_missing_total_row_is_reported_on_its_first_part() {
    // The income 合计 row left out altogether: the finding stands on 财政拨款's line (13),
    // the first part of the income block, not on the expenditure block's (a mutant that
    // dropped the income case of that choice survived every other test).
    let text: String = s()
        .lines()
        .enumerate()
        .filter(|(i, l)| !(*i == 14 && l.trim_start().starts_with("合计")))
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    assert_eq!(text.lines().count() + 1, s().lines().count());
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a-2020.txt", text);
    let batch = budgetsite::load(&[dir.path().to_path_buf()], &IngestOptions::default()).unwrap();
    let missing: Vec<(Option<u32>, &str)> = batch
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "missing-field")
        .map(|d| (d.line, d.message.as_str()))
        .collect();
    assert_eq!(
        missing,
        [(
            Some(13),
            "未填写收入合计（2020年预算），请填写当年预算合计金额"
        )]
    );
}

#[test]
fn a_duplicate_names_the_other_file_never_itself() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", s());
    write(dir.path(), "b/a-副本.txt", s());
    let got = findings_in(dir.path(), "duplicate-submission");
    let says = |other: &str| {
        format!("武汉市新洲区总工会的2020年度申报表重复提交，另见：<dir>/{other}；请只保留一份")
    };
    assert_eq!(
        got,
        [
            ("<dir>/a.txt".to_owned(), says("b/a-副本.txt")),
            ("<dir>/b/a-副本.txt".to_owned(), says("a.txt")),
        ]
    );
}

#[test]
fn prior_year_revised_goes_on_the_later_form_only() {
    let fired = findings(&[
        ("b-2021.txt", form_2021("201.99", "32.36")),
        ("a-2020.txt", s().into_bytes()),
    ]);
    let revised: Vec<&str> = fired
        .iter()
        .filter(|(_, c)| c == "prior-year-revised")
        .map(|(f, _)| f.as_str())
        .collect();
    // Once for 基本支出 and once for 项目支出 in 2019, both on the 2021 form.
    assert_eq!(revised, ["b-2021.txt", "b-2021.txt"]);
}

#[test]
fn a_prior_year_revised_by_a_cent_is_rounding_by_two_cents_a_revision() {
    let revised = |basic: &str, project: &str| {
        findings(&[
            ("b-2021.txt", form_2021(basic, project)),
            ("a-2020.txt", s().into_bytes()),
        ])
        .into_iter()
        .filter(|(_, c)| c == "prior-year-revised")
        .count()
    };
    // The 2020 form says 202.09 and 32.26 for 2019; both moves keep the sum 234.35.
    assert_eq!(
        revised("202.08", "32.27"),
        0,
        "0.01 is within the tolerance"
    );
    assert_eq!(revised("202.07", "32.28"), 2, "0.02 is not");
}

#[test]
fn messages_name_the_cell_to_fix() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.txt",
        replaced(&[("268.03\t93.58%", "268.02\t93.58%")]),
    );
    let batch = budgetsite::load(&[dir.path().join("a.txt")], &IngestOptions::default()).unwrap();
    let d = batch
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "expenditure-sum");
    // 268.02 + 18.38 = 286.40: off by 0.01, within tolerance, so no finding …
    assert!(d.is_none());
    write(
        dir.path(),
        "b.txt",
        replaced(&[
            ("18.38\t6.42%", "18.37\t6.42%"),
            ("268.03\t93.58%", "268.02\t93.58%"),
        ]),
    );
    let batch = budgetsite::load(&[dir.path().join("b.txt")], &IngestOptions::default()).unwrap();
    let d = batch
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "expenditure-sum")
        .unwrap();
    // … but 0.02 is not, and the message says which cells in which column.
    assert_eq!(
        d.message,
        "支出合计 286.41 ≠ 基本支出 268.02 + 项目支出 18.37（2020年预算），相差 0.02"
    );
    assert_eq!(d.line, Some(18));
}

/// The `vague-target` messages on one form, by the indicator each names (`年度目标N的指标“…”`).
fn vague_indicators(text: Vec<u8>) -> Vec<String> {
    messages(text, "vague-target")
        .into_iter()
        .map(|m| m[..m.find("预期值").or(m.find("是定量")).unwrap_or(m.len())].to_owned())
        .collect()
}

#[test]
fn a_target_with_a_number_and_a_judgement_word_is_measurable_the_word_alone_is_not() {
    // Goal 1: 100%合格 and ≥90%满意 are targets with a number; 被发放对象符合要求 keeps the
    // bare 合格 (the near miss). Goal 2: 100%达标.
    let text = replaced(&[
        (
            "2020年发放助学金数量\t合格\t合格\t合格\t合格",
            "2020年发放助学金数量\t合格\t合格\t100%合格\t合格",
        ),
        (
            "服务对象满意\t满意\t满意\t满意\t满意\t\n年度目标2",
            "服务对象满意\t满意\t满意\t≥90%满意\t满意\t\n年度目标2",
        ),
        (
            "2020年发放数量\t合格\t合格\t合格\t合格",
            "2020年发放数量\t合格\t合格\t100%达标\t合格",
        ),
    ]);
    let vague = vague_indicators(text.clone());
    for (goal, name, target) in [
        ("年度目标1", "2020年发放助学金数量", "100%合格"),
        ("年度目标1", "服务对象满意", "≥90%满意"),
        ("年度目标2", "2020年发放数量", "100%达标"),
    ] {
        assert!(
            !vague.contains(&format!("{goal}的指标“{name}”")),
            "vague-target on {goal}'s “{name}”, whose target {target} carries a number: {vague:?}"
        );
    }
    assert!(
        vague.contains(&"年度目标1的指标“被发放对象符合要求”".to_owned()),
        "no vague-target on 年度目标1's “被发放对象符合要求”, whose target is 合格 alone: {vague:?}"
    );
    // The sample's 11 vague targets, less the three that now carry a number.
    assert_eq!(vague.len(), 8, "vague-target count: {vague:?}");
    // The published quality score counts the same three as measurable.
    let form = budgetsite::ingest::layouts::parse_text(&String::from_utf8(text).unwrap(), "a.txt")
        .unwrap();
    let q = budgetsite::model::quality::quality(&form.declaration);
    assert_eq!(
        (q.indicators, q.measurable),
        (11, 3),
        "measurable targets (of indicators) in the quality score"
    );
}

/// The sample with income 300.00 (财政拨款 240.00, 其他资金 60.00) and spending unchanged at
/// 286.41 (基本支出 268.03, 项目支出 18.38): the shares as given, income first.
fn unbalanced(shares: [&str; 5]) -> Vec<u8> {
    let [fiscal, other, income, basic, project] = shares;
    replaced(&[
        (
            "财政拨款\t286.41\t100%",
            &format!("财政拨款\t240.00\t{fiscal}"),
        ),
        (
            "\t\t其他资金\t\t\t\t",
            &format!("\t\t其他资金\t60.00\t{other}\t\t"),
        ),
        (
            "\t\t合计\t286.41\t100%",
            &format!("\t\t合计\t300.00\t{income}"),
        ),
        ("268.03\t93.58%", &format!("268.03\t{basic}")),
        ("18.38\t6.42%", &format!("18.38\t{project}")),
    ])
}

#[test]
fn shares_are_of_their_own_sides_total_when_income_and_spending_differ() {
    // Each side's shares of its own total: 240/300, 60/300; 268.03/286.41, 18.38/286.41.
    let right = unbalanced(["80%", "20%", "100%", "93.58%", "6.42%"]);
    assert_eq!(
        messages(right.clone(), "balance").len(),
        1,
        "the form is unbalanced (300.00 ≠ 286.41)"
    );
    let share = messages(right, "share");
    assert!(
        share.is_empty(),
        "shares declared of their own side's total (收入 300.00, 支出 286.41) were found wrong: {share:?}"
    );
    // The shares each side would have against the other side's total: 240/286.41 = 83.80 %,
    // 60/286.41 = 20.95 %; 268.03/300 = 89.34 %, 18.38/300 = 6.13 %.
    let crossed = unbalanced(["83.80%", "20.95%", "104.75%", "89.34%", "6.13%"]);
    assert_eq!(
        messages(crossed, "share"),
        [
            "财政拨款占比填写 83.8%，按金额计算应为 80.00%（240.00 ÷ 收入合计 300.00）",
            "其他资金占比填写 20.95%，按金额计算应为 20.00%（60.00 ÷ 收入合计 300.00）",
            "收入合计占比填写 104.75%，按金额计算应为 100%（300.00 ÷ 收入合计 300.00）",
            "基本支出占比填写 89.34%，按金额计算应为 93.58%（268.03 ÷ 支出合计 286.41）",
            "项目支出占比填写 6.13%，按金额计算应为 6.42%（18.38 ÷ 支出合计 286.41）",
        ],
        "each share is computed against its own side's total"
    );
}

#[test]
fn published_ratios_divide_by_their_own_sides_total() {
    use budgetsite::analyze::stats::year_figures;
    use budgetsite::model::amounts::Amounts;
    let d = |s: &str| s.parse::<rust_decimal::Decimal>().unwrap();
    // Income 300 (240 appropriated), spending 200 (150 basic, 50 project), actual 180.
    let budget = Amounts {
        income_total: d("300"),
        fiscal_appropriation: d("240"),
        other: d("60"),
        expenditure_total: d("200"),
        basic: d("150"),
        project: d("50"),
        blank: 0,
    };
    let actual = Amounts {
        expenditure_total: d("180"),
        ..budget
    };
    let previous = Amounts {
        income_total: d("250"),
        expenditure_total: d("400"),
        ..budget
    };
    let point = budgetsite::model::amounts::YearPoint {
        budget: Some(budget),
        actual: Some(actual),
    };
    let y = year_figures(2021, &point, Some(previous));
    assert_eq!(
        y.fiscal_dependence,
        Some(d("80")),
        "fiscal dependence = 财政拨款 240 ÷ 收入合计 300"
    );
    assert_eq!(
        y.basic_share,
        Some(d("75")),
        "基本 share = 150 ÷ 支出合计 200"
    );
    assert_eq!(
        y.project_share,
        Some(d("25")),
        "项目 share = 50 ÷ 支出合计 200"
    );
    assert_eq!(
        y.execution,
        Some(d("90")),
        "execution = actual 180 ÷ budget spending 200"
    );
    assert_eq!(
        y.budget_growth,
        Some(d("20")),
        "growth = income 300 ÷ last year's income 250 − 1"
    );
}

#[test]
fn the_report_page_lists_every_finding_of_every_rule_as_check_reports_it() {
    use common::html::{between, rows, text};
    // Every rule's firing case, each in its own folder: every code of the catalog fires, the
    // self-evaluations' too (issue 19).
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    for (n, case) in cases().into_iter().enumerate() {
        for (name, bytes) in &case.fires {
            write(&input, &format!("{n:02}-{}/{name}", case.code), bytes);
        }
    }
    for (n, case) in crate::self_eval::cases().into_iter().enumerate() {
        for (name, bytes) in &case.fires {
            // Departments match across folders, and the other folders hold the declaration
            // of the sample's department: the case without one names another department.
            let bytes = if case.code == "no-declaration" {
                String::from_utf8_lossy(bytes)
                    .replace("武汉市新洲区总工会", "武汉市新洲区妇联")
                    .into_bytes()
            } else {
                bytes.clone()
            };
            write(&input, &format!("se{n:02}-{}/{name}", case.code), bytes);
        }
    }
    let public = dir.path().join("public");
    let outcome = budgetsite::build::build(&budgetsite::build::BuildOptions {
        input: input.clone(),
        output: public.clone(),
        config: dir.path().join("site.toml"),
        allow_shrink: true,
        ..budgetsite::build::BuildOptions::default()
    })
    .unwrap();
    assert!(outcome.written.is_some(), "the site was not written");
    // `in`, as the build names its files (relative to the input folder's parent).
    let (_, report) = check_json(dir.path(), &["in"]);
    // (file, line, code, message) of every finding `check` reports.
    let mut want: Vec<(String, String, String, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let line = d["line"].as_u64().map_or("—".to_owned(), |l| l.to_string());
            let s = |k: &str| d[k].as_str().unwrap().to_owned();
            (s("file"), line, s("code"), s("message"))
        })
        .collect();
    want.sort();
    // (errors, warnings) of each file, as `check` reports them.
    let mut severities: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    for d in report["diagnostics"].as_array().unwrap() {
        let entry = severities
            .entry(d["file"].as_str().unwrap().to_owned())
            .or_default();
        match d["severity"].as_str().unwrap() {
            "error" => entry.0 += 1,
            _ => entry.1 += 1,
        }
    }
    let counts = code_counts(&report);
    // Every rule of the catalog (the codes `cases` of both kinds cover) has findings here.
    let self_eval = crate::self_eval::cases();
    for code in cases()
        .iter()
        .map(|c| c.code)
        .chain(self_eval.iter().map(|c| c.code))
    {
        assert!(
            counts.iter().any(|(c, _)| c == code),
            "the input has no finding of {code}, so the report's listing of it goes unchecked"
        );
    }
    let page = std::fs::read_to_string(public.join("report.html")).unwrap();
    // The findings listed, file by file.
    let mut listed = Vec::new();
    for group in page.split("<details class=\"file-group\"").skip(1) {
        let file = text(between(
            between(group, "<p class=\"file\">", "</p>"),
            "文件：",
            "</code>",
        ))
        .trim_start_matches("文件：")
        .to_owned();
        // Its heading counts its errors and warnings as `check` does.
        let counts = between(group, "<span class=\"counts\">", "</span>");
        let n = |word: &str| -> usize {
            let before = &counts[..counts.find(word).unwrap_or_else(|| panic!("{counts}"))];
            let digits: String = before
                .trim_end()
                .chars()
                .rev()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.chars().rev().collect::<String>().parse().unwrap()
        };
        assert_eq!(
            (n("个错误"), n("个警告")),
            severities.get(&file).copied().unwrap_or_default(),
            "{file}: the report's counts (errors, warnings) against `check --format json`"
        );
        for row in rows(between(group, "<table", "</table>")) {
            let [line, rule, message] = &row[..] else {
                panic!("a finding row of {file} has cells {row:?}");
            };
            let code = rule.rsplit(' ').next().unwrap().to_owned();
            listed.push((file.clone(), line.clone(), code, message.clone()));
        }
    }
    listed.sort();
    for code in budgetsite::Code::ALL {
        let of = |v: &[(String, String, String, String)]| {
            v.iter()
                .filter(|f| f.2 == code.as_str())
                .cloned()
                .collect::<Vec<_>>()
        };
        let (shown, reported) = (of(&listed), of(&want));
        assert_eq!(
            shown,
            reported,
            "the report page lists {} findings of {code}, `check --format json` {} (file, line, code, message)",
            shown.len(),
            reported.len()
        );
    }
    assert_eq!(
        listed, want,
        "the report page's findings against `check --format json`"
    );
    // The counts per rule beside them.
    let table = between(&page, "<section aria-labelledby=\"rules-h\">", "</section>");
    let shown: Vec<(String, usize)> = rows(table)
        .iter()
        .filter_map(|r| {
            let n: usize = r[2].parse().unwrap();
            (n > 0).then(|| (r[0].rsplit(' ').next().unwrap().to_owned(), n))
        })
        .collect();
    let mut shown = shown;
    shown.sort();
    assert_eq!(
        shown, counts,
        "the report page's count per rule, against `check --format json`"
    );
}
