//! Self-evaluations (contract `self-evaluation-v1.md`): the sample converts exactly to its
//! expected JSON and reads back; `check` of the sample beside its declaration reports exactly
//! one finding on the self-evaluation (`target-changed`) while the declaration keeps its own;
//! each new rule of §4 fires on a change to the sample and stays silent on its near miss; a
//! generated self-evaluation of each layout converts alike from `.xlsx`, `.xls`, `.ods` and text.

use crate::common::*;
use crate::self_eval_pages::{build_site, downloaded_changes};
use budgetsite::ingest::IngestOptions;

pub fn eval_text() -> String {
    std::fs::read_to_string(fixtures().join("self_eval/武汉市新洲区总工会-2020-自评.txt")).unwrap()
}

pub fn expected() -> String {
    std::fs::read_to_string(fixtures().join("self_eval/武汉市新洲区总工会-2020-自评.expected.json"))
        .unwrap()
}

pub fn eval_with(pairs: &[(&str, &str)]) -> Vec<u8> {
    let mut t = eval_text();
    for (from, to) in pairs {
        assert!(
            t.contains(from),
            "the self-evaluation sample has no {from:?}"
        );
        t = t.replacen(from, to, 1);
    }
    t.into_bytes()
}

/// `(relative file, code)` of every finding of a folder holding `files`.
fn findings(files: &[(&str, Vec<u8>)]) -> Vec<(String, String)> {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        write(dir.path(), name, bytes);
    }
    let batch = budgetsite::load(&[dir.path().to_path_buf()], &IngestOptions::default()).unwrap();
    let root = dir.path().to_string_lossy().replace('\\', "/");
    batch
        .diagnostics
        .iter()
        .map(|d| {
            let rel = d.file.strip_prefix(&root).unwrap_or(&d.file);
            (
                rel.trim_start_matches('/').to_owned(),
                d.code.as_str().to_owned(),
            )
        })
        .collect()
}

pub struct Case {
    pub code: &'static str,
    pub fires: Vec<(&'static str, Vec<u8>)>,
    pub passes: Vec<(&'static str, Vec<u8>)>,
}

pub const EVAL: &str = "b-自评.txt";
const DECL: &str = "a.txt";

/// The self-evaluation, changed, beside the untouched declaration.
pub fn with_declaration(eval: Vec<u8>) -> Vec<(&'static str, Vec<u8>)> {
    vec![(EVAL, eval), (DECL, sample_text().into_bytes())]
}

/// Each self-evaluation rule's firing case and near miss (the report test in `rules` builds
/// the firing ones too).
pub fn cases() -> Vec<Case> {
    let w = |pairs: &[(&str, &str)]| with_declaration(eval_with(pairs));
    vec![
        Case {
            code: "execution-rate",
            fires: w(&[("98.16%", "96.16%")]),
            // 295.67 ÷ 301.2 = 98.164%: 98.17 is within 0.01 point.
            passes: w(&[("98.16%", "98.17%")]),
        },
        Case {
            code: "score-over-weight",
            fires: w(&[("用于党建工作\t合格\t合格\t6\t6", "用于党建工作\t合格\t合格\t6\t6.5")]),
            // A score equal to its weight is full marks, not over.
            passes: w(&[]),
        },
        Case {
            code: "weights-sum",
            fires: w(&[("≥150人\t162人\t7\t7", "≥150人\t162人\t8\t8")]),
            // Weights moved between two indicators: the sum holds.
            passes: w(&[
                ("≥150人\t162人\t7\t7", "≥150人\t162人\t6\t6"),
                ("2020年发放数量\t合格\t合格\t6\t6", "2020年发放数量\t合格\t合格\t7\t7"),
            ]),
        },
        Case {
            code: "total-sum",
            fires: w(&[("100\t98.62", "100\t98.72")]),
            passes: w(&[("100\t98.62", "100\t98.63")]),
        },
        Case {
            code: "grade",
            fires: w(&[("自评等级\t优", "自评等级\t良")]),
            passes: w(&[("自评等级\t优", "自评等级\t优秀")]),
        },
        Case {
            code: "score-above-rule",
            // 140 of ≥150: 7 × 140/150 = 6.53, not 7.
            fires: w(&[("≥150人\t162人\t7\t7", "≥150人\t140人\t7\t7")]),
            // 149.8 of 150: 7 × 0.99867 = 6.99, within 0.01 of 7.
            passes: w(&[("≥150人\t162人\t7\t7", "≥150人\t149.8人\t7\t7")]),
        },
        Case {
            code: "missing-reason",
            fires: w(&[(
                "受疫情影响，部分劳模慰问活动推迟至2021年初开展；下一步提前制定慰问计划，按季度推进",
                "",
            )]),
            passes: w(&[]),
        },
        Case {
            code: "no-declaration",
            fires: vec![(EVAL, eval_text().into_bytes())],
            // The name written with a space and full-width characters is the same department.
            passes: w(&[("部门名称\t武汉市新洲区总工会", "部门名称\t武汉市新洲区 总工会")]),
        },
        Case {
            code: "initial-budget-mismatch",
            fires: w(&[("年度资金总额\t286.41", "年度资金总额\t280.41")]),
            passes: w(&[("年度资金总额\t286.41", "年度资金总额\t286.42")]),
        },
        Case {
            code: "target-changed",
            fires: w(&[]),
            passes: w(&[("≥150人\t162人", "合 格\t162人")]),
        },
        Case {
            code: "target-dropped",
            fires: w(&[("\t\t\t用于党建工作\t合格\t合格\t6\t6\t\n", "")]),
            // Spaces and a trailing 指标 do not make another indicator.
            passes: w(&[("\t用于党建工作\t", "\t用于 党建工作指标\t")]),
        },
        Case {
            code: "target-added",
            fires: w(&[("\t用于党建工作\t", "\t用于党建宣传\t")]),
            passes: w(&[("\t用于党建工作\t", "\t“用于党建工作”\t")]),
        },
    ]
}

/// The codes this module covers (the catalog test in `rules` counts them).
pub fn covered() -> Vec<&'static str> {
    cases().iter().map(|c| c.code).collect()
}

#[test]
fn every_self_evaluation_rule_fires_on_its_case_and_not_on_its_near_miss() {
    for case in cases() {
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
fn the_self_evaluation_rules_hold_at_their_edges() {
    // Three mutants of `rules/self_eval.rs` survived the rule cases: these pin each edge.
    let codes = |eval: Vec<u8>| -> Vec<String> {
        findings(&with_declaration(eval))
            .into_iter()
            .filter(|(f, _)| f == EVAL)
            .map(|(_, c)| c)
            .collect()
    };
    // Weights summing to 100.01 against a total of 100 are rounding; 100.02 is not.
    let weight = |w: &str| {
        codes(eval_with(&[(
            "≥150人\t162人\t7\t7",
            &format!("≥150人\t162人\t{w}\t7"),
        )]))
    };
    assert!(
        !weight("7.01").contains(&"weights-sum".to_owned()),
        "{:?}",
        weight("7.01")
    );
    assert!(
        weight("7.02").contains(&"weights-sum".to_owned()),
        "{:?}",
        weight("7.02")
    );
    // A quantitative indicator scored over its weight is over its weight, not also above
    // what the rule gives it.
    let over = codes(eval_with(&[(
        "≥150人\t162人\t7\t7",
        "≥150人\t162人\t7\t7.5",
    )]));
    assert!(over.contains(&"score-over-weight".to_owned()), "{over:?}");
    assert!(!over.contains(&"score-above-rule".to_owned()), "{over:?}");
    // In the sichuan layout a rate of exactly 90% needs no 原因; 89.99% does.
    let path = fixtures().join("self_eval/示例区教育局-2021-自评-四川.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    let rate = |executed: &str, percent: &str| {
        let changed = text
            .replace(
                "1200.00\t1250.00\t1100.00\t88.00%\t10\t8.8\t部分项目资金结转下年使用",
                &format!("1200.00\t1250.00\t{executed}\t{percent}\t10\t9\t"),
            )
            .replace(
                "1200.00\t1250.00\t1100.00\t/",
                &format!("1200.00\t1250.00\t{executed}\t/"),
            );
        assert_ne!(changed, text);
        findings(&[("s.txt", changed.into_bytes())])
    };
    let missing = ("s.txt".to_owned(), "missing-reason".to_owned());
    assert!(!rate("1125.00", "90.00%").contains(&missing));
    assert!(rate("1124.88", "89.99%").contains(&missing));
    // A rate left blank is computed (1100 ÷ 1250 = 88 %), and is under 90 % as a percentage,
    // not as a fraction plus anything.
    let blank_rate = text.replace(
        "1200.00\t1250.00\t1100.00\t88.00%\t10\t8.8\t部分项目资金结转下年使用",
        "1200.00\t1250.00\t1100.00\t\t10\t8.8\t",
    );
    assert_ne!(blank_rate, text);
    assert!(findings(&[("s.txt", blank_rate.into_bytes())]).contains(&missing));
    let blank_at_90 = text.replace(
        "1200.00\t1250.00\t1100.00\t88.00%\t10\t8.8\t部分项目资金结转下年使用",
        "1200.00\t1250.00\t1125.00\t\t10\t9\t",
    );
    assert!(!findings(&[("s.txt", blank_at_90.into_bytes())]).contains(&missing));

    // A rule at its edge: `code` is found when `value` replaces `from` in `to`'s place and
    // not for the near miss.
    let edge = |from: &str, to: &str, code: &str, fires: &str, near: &str| {
        let at = |v: &str| codes(eval_with(&[(from, &to.replace("{}", v))]));
        let (hit, miss) = (at(fires), at(near));
        assert!(
            hit.iter().any(|c| c == code),
            "{code} with {fires}: {hit:?}"
        );
        assert!(
            !miss.iter().any(|c| c == code),
            "{code} with {near}: {miss:?}"
        );
    };
    // A written rate 0.01 point off the computed one (294 ÷ 300 = 98 %) is rounding; 0.02 is
    // not.
    edge(
        "301.2\t295.67\t10\t98.16%",
        "300\t294\t10\t{}",
        "execution-rate",
        "98.02%",
        "98.01%",
    );
    // An indicator scored below zero is out of range; -0 is not.
    edge(
        "用于党建工作\t合格\t合格\t6\t6",
        "用于党建工作\t合格\t合格\t6\t{}",
        "score-over-weight",
        "-1",
        "-0",
    );
    // The execution score against what the rule gives (10 × 98.16 % = 9.82): 0.01 above is
    // rounding, 0.02 above is not.
    edge(
        "\t10\t98.16%\t9.82\t",
        "\t10\t98.16%\t{}\t",
        "score-above-rule",
        "9.84",
        "9.83",
    );
    // A negative amount of the execution block is found; a zero written with a minus sign is
    // not negative.
    edge(
        "\t上年结转资金\t\t",
        "\t上年结转资金\t{}\t",
        "negative-amount",
        "-5",
        "-0.00",
    );

    // An indicator row without a name is not an added indicator: the declared one it was is
    // reported as not evaluated.
    let nameless = codes(eval_with(&[(
        "\t用于党建工作\t合格\t合格\t6\t6",
        "\t\t合格\t合格\t6\t6",
    )]));
    assert!(
        nameless.contains(&"target-dropped".to_owned()),
        "{nameless:?}"
    );
    assert!(
        !nameless.contains(&"target-added".to_owned()),
        "{nameless:?}"
    );
}

#[test]
fn findings_name_the_numbers_as_the_form_writes_them() {
    // A surviving mutant wrote every number of these messages as "xyzzy": only the codes
    // were asserted. The execution rate of the sample, 98.16% (295.67 ÷ 301.2), written 96.16%;
    // an indicator's score over its weight.
    let dir = tempfile::tempdir().unwrap();
    let wrong = eval_with(&[
        ("98.16%", "96.16%"),
        (
            "用于党建工作\t合格\t合格\t6\t6",
            "用于党建工作\t合格\t合格\t6\t6.5",
        ),
    ]);
    write(dir.path(), EVAL, &wrong);
    let batch = budgetsite::load(&[dir.path().to_path_buf()], &IngestOptions::default()).unwrap();
    let message = |code: &str| {
        batch
            .diagnostics
            .iter()
            .find(|d| d.code.as_str() == code)
            .map(|d| d.message.clone())
            .unwrap_or_else(|| panic!("no {code}: {:?}", batch.diagnostics))
    };
    let rate = message("execution-rate");
    assert!(
        rate.starts_with("预算执行率填写 96.16%，按全年执行数 ÷ 全年预算数计算应为 98.16%"),
        "{rate}"
    );
    let over = message("score-over-weight");
    assert!(over.contains("6.5") && over.contains("分值 6"), "{over}");
    // And it names the indicator (a mutant that left the name out survived).
    assert!(over.starts_with("指标“用于党建工作”得分 6.5"), "{over}");
}

#[test]
fn the_sample_converts_exactly_and_its_json_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "自评.txt", eval_text());
    let out = run(&["convert", p.to_str().unwrap()], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json = stdout(&out);
    assert_eq!(json.trim_end(), expected().trim_end());
    // The JSON is itself a submission: converting it again gives the same bytes.
    let back = write(dir.path(), "自评.json", &json);
    let again = run(&["convert", back.to_str().unwrap()], dir.path());
    assert_eq!(stdout(&again), json);
}

#[test]
fn check_of_the_sample_beside_its_declaration_reports_target_changed_only() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "武汉市新洲区总工会-2020-自评.txt", eval_text());
    write(dir.path(), "武汉市新洲区总工会-2020.txt", sample_text());
    let out = run(&["check", ".", "--format", "json"], dir.path());
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["declarations"], 1);
    assert_eq!(report["evaluations"], 1);
    let diagnostics = report["diagnostics"].as_array().unwrap();
    let on_eval: Vec<&serde_json::Value> = diagnostics
        .iter()
        .filter(|d| d["file"].as_str().unwrap().contains("自评"))
        .collect();
    assert_eq!(on_eval.len(), 1, "{on_eval:?}");
    assert_eq!(on_eval[0]["code"], "target-changed");
    assert_eq!(on_eval[0]["line"], 21);
    assert_eq!(on_eval[0]["department"], "武汉市新洲区总工会");
    assert_eq!(on_eval[0]["fiscal_year"], 2020);
    assert_eq!(
        diagnostics.len() - on_eval.len(),
        14,
        "the declaration keeps its 14"
    );
    // The text report counts both kinds.
    let text = stdout(&run(&["check", "."], dir.path()));
    assert!(
        text.contains("检查了 2 个文件、1 份申报表、1 份自评表：0 个错误，15 个警告"),
        "{text}"
    );
}

#[test]
fn two_self_evaluations_of_one_department_and_year_are_duplicates() {
    let f = findings(&[
        ("x-自评.txt", eval_text().into_bytes()),
        ("y-自评.txt", eval_text().into_bytes()),
        (DECL, sample_text().into_bytes()),
    ]);
    for file in ["x-自评.txt", "y-自评.txt"] {
        assert!(
            f.contains(&(file.to_owned(), "duplicate-submission".to_owned())),
            "{f:?}"
        );
    }
    assert!(!f
        .iter()
        .any(|(file, c)| file == DECL && c == "duplicate-submission"));
}

#[test]
fn a_workbook_self_evaluation_reads_as_its_text_export() {
    // Every cell of the text export in its own worksheet cell, numbers as numbers (the rate
    // as a fraction with a percent format): the same form comes out.
    let text = eval_text();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("自评表").unwrap();
    let percent = rust_xlsxwriter::Format::new().set_num_format("0.00%");
    for (r, line) in text.lines().enumerate() {
        // The text export lost the leading empty cell of two rows under merged ranges; in
        // the workbook those cells stand where the sheet has them.
        let line = if line.starts_with("其他资金") || line.starts_with("效益指标") {
            format!("\t{line}")
        } else {
            line.to_owned()
        };
        for (c, cell) in line.split('\t').enumerate() {
            let (r, c) = (r as u32, c as u16);
            if cell == "98.16%" {
                sheet
                    .write_number_with_format(r, c, 0.9816, &percent)
                    .unwrap();
            } else if let Ok(v) = cell.parse::<f64>() {
                sheet.write_number(r, c, v).unwrap();
            } else if !cell.is_empty() {
                sheet.write_string(r, c, cell).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("自评.xlsx");
    book.save(&path).unwrap();
    let out = run(&["convert", path.to_str().unwrap()], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["schema"], "self-evaluation/v1");
    assert_eq!(json["execution"]["rate_percent"].to_string(), "98.16");
    assert_eq!(json["execution"]["adjusted_budget"].to_string(), "301.2");
    assert_eq!(json["total"]["score"].to_string(), "98.62");
    assert_eq!(json["indicators"][0]["target"], "≥150人");
    assert_eq!(json["indicators"].as_array().unwrap().len(), 11);
}

#[test]
fn the_sichuan_layout_reads_by_its_own_words() {
    let path = fixtures().join("self_eval/示例区教育局-2021-自评-四川.txt");
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["convert", path.to_str().unwrap()], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json = stdout(&out);
    let expected = std::fs::read_to_string(
        fixtures().join("self_eval/示例区教育局-2021-自评-四川.expected.json"),
    )
    .unwrap();
    assert_eq!(json, expected);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["layout"], "sichuan");
    // Direction, target and unit in their own columns; 定性 stays as written.
    assert_eq!(v["indicators"][1]["direction"], "≥");
    assert_eq!(v["indicators"][1]["target"], "3000");
    assert_eq!(v["indicators"][1]["unit"], "平方米");
    assert_eq!(v["indicators"][4]["direction"], "定性");
    assert_eq!(v["total"]["grade"], serde_json::Value::Null);
    assert_eq!(v["measures"], "加强项目进度管理，按月调度");
    // Only `no-declaration`: its sums, scores and reasons hold (2800 of ≥3000 × 15 = 14).
    let f = findings(&[("s.txt", std::fs::read(&path).unwrap())]);
    assert_eq!(f, [("s.txt".to_owned(), "no-declaration".to_owned())]);
    // An execution rate below 90% needs its 原因 in this layout.
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("部分项目资金结转下年使用", "");
    let f = findings(&[("s.txt", text.into_bytes())]);
    assert!(
        f.contains(&("s.txt".to_owned(), "missing-reason".to_owned())),
        "{f:?}"
    );
}

/// Two JSON values equal, numbers by value (`10` is `10.00`: a workbook shows its format).
fn same_json(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let d = |n: &serde_json::Number| n.to_string().parse::<rust_decimal::Decimal>().ok();
            d(x).is_some() && d(x) == d(y)
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_json(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

#[test]
fn generated_self_evaluations_read_exactly_fire_their_plants_and_publish_the_oracle_figures() {
    use budgetsite_gen::self_eval::{EvalOptions, EVAL_CODES};
    use budgetsite_gen::{generate, GenOptions, QuirkLevel};
    use rust_decimal::Decimal;
    let options = GenOptions {
        seed: 11,
        departments: 24,
        years: vec![2021, 2022],
        quirks: QuirkLevel::Some,
        evaluations: EvalOptions {
            share: 100,
            plant: vec!["all".into()],
            plant_count: 1,
            sichuan_share: 30,
            xlsx_share: 25,
        },
        ..GenOptions::default()
    };
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    let truth = generate(&options, &input).unwrap();
    let evals = &truth.self_evaluations;
    assert!(evals.len() >= 30, "{} self-evaluations", evals.len());
    for layout in ["national", "sichuan"] {
        assert!(evals.iter().any(|e| e.layout == layout), "no {layout}");
    }
    assert!(evals.iter().any(|e| e.format == "xlsx"));
    let planted: Vec<&str> = evals
        .iter()
        .flat_map(|e| &e.planted)
        .map(String::as_str)
        .collect();
    assert_eq!(
        planted, EVAL_CODES,
        "every code planted once, in catalog order"
    );
    let batch = budgetsite::load(std::slice::from_ref(&input), &IngestOptions::default()).unwrap();
    let prefix = format!("{}/", input.to_string_lossy().replace('\\', "/"));
    for e in evals {
        let display = format!("{prefix}{}", e.path);
        let outcome = batch
            .files
            .iter()
            .find(|o| o.file.display == display)
            .unwrap_or_else(|| panic!("{display} not read"));
        let read = outcome
            .evaluation
            .as_ref()
            .unwrap_or_else(|| panic!("{display}: {:?}", outcome.diagnostics));
        let got: serde_json::Value = serde_json::from_str(&read.form.to_canonical_json()).unwrap();
        let want: serde_json::Value = serde_json::from_str(&e.expected).unwrap();
        assert!(same_json(&got, &want), "{display}\n got {got}\nwant {want}");
        let codes: std::collections::BTreeSet<&str> = outcome
            .diagnostics
            .iter()
            .map(|d| d.code.as_str())
            .collect();
        match e.planted.first() {
            None => assert!(
                codes.is_empty(),
                "{display} is clean: {:?}",
                outcome.diagnostics
            ),
            Some(code) => assert!(
                codes.contains(code.as_str()),
                "{display}: {code} missed, {codes:?}"
            ),
        }
        // The oracle's review, worked in integers apart from the tool.
        let r = read.review();
        assert_eq!(r.score, Decimal::new(e.review_hundredths, 2), "{display}");
        assert_eq!(r.grade.label_zh(), e.review_grade, "{display}");
        assert_eq!(
            r.rate_percent,
            Some(Decimal::new(e.rate_hundredths, 2)),
            "{display}"
        );
    }
    // Published: district.json carries both scores, the rate and the target changes.
    let out = dir.path().join("public");
    build_site(&input, &out, dir.path());
    let site: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("data/district.json")).unwrap())
            .unwrap();
    let mut checked = 0;
    let mut changes_of: std::collections::BTreeMap<(String, i32), Vec<(String, String)>> =
        Default::default();
    let mut boards: std::collections::BTreeMap<(String, i32), Vec<Vec<String>>> =
        Default::default();
    type TableRow = (String, [Decimal; 4], String, [usize; 3]);
    let mut tables: std::collections::BTreeMap<(String, i32), Vec<TableRow>> = Default::default();
    for e in evals.iter().filter(|e| {
        // Errors withhold a form; a self-evaluation of no declared department has no page.
        !e.planted.iter().any(|c| {
            [
                "execution-rate",
                "score-over-weight",
                "weights-sum",
                "total-sum",
                "no-declaration",
            ]
            .contains(&c.as_str())
        })
    }) {
        let dep = site["departments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["department"] == e.department.as_str())
            .unwrap_or_else(|| panic!("{} not published", e.department));
        let j = &dep["evaluations"][e.fiscal_year.to_string()];
        let n = |v: &serde_json::Value| v.to_string().parse::<Decimal>().unwrap();
        assert_eq!(
            n(&j["review_score"]),
            Decimal::new(e.review_hundredths, 2),
            "{}",
            e.path
        );
        assert_eq!(
            n(&j["self_score"]),
            Decimal::new(e.self_hundredths, 2),
            "{}",
            e.path
        );
        assert_eq!(
            n(&j["execution_percent"]),
            Decimal::new(e.rate_hundredths, 2),
            "{}",
            e.path
        );
        assert_eq!(j["review_grade"], e.review_grade.as_str());
        // The department page says the same review score and grade.
        let page = std::fs::read_to_string(out.join(dep["page"].as_str().unwrap())).unwrap();
        let article = crate::common::html::between(
            &page,
            &format!(r#"id="e{}""#, e.fiscal_year),
            "</article>",
        );
        let review = crate::common::html::between(article, "<dt>复核得分</dt><dd>", "</dd>");
        assert!(
            review.ends_with(&format!(
                "{}（{}）",
                Decimal::new(e.review_hundredths, 2),
                e.review_grade
            )),
            "{}: the page's review score {review}",
            e.path
        );
        // The self-score's lead over the review, and each changed and added indicator marked.
        let lead = Decimal::new(e.self_hundredths - e.review_hundredths, 2);
        let lead = if lead > Decimal::ZERO {
            format!("+{lead}")
        } else {
            lead.to_string()
        };
        let at = "<dt>自评高出复核</dt><dd>";
        let shown = &crate::common::html::between(article, at, "</dd>")[at.len()..];
        assert_eq!(
            shown, lead,
            "{}: the self-score's lead over the review (page, oracle)",
            e.path
        );
        let results = crate::common::html::between(
            article,
            "<table class=\"data indicators results\"",
            "</table>",
        );
        assert_eq!(
            results.matches("<tr class=\"changed\">").count(),
            e.changed.len(),
            "{}: rows marked as changed",
            e.path
        );
        assert_eq!(
            results
                .matches("<span class=\"badge warn\">新增</span>")
                .count(),
            e.added.len(),
            "{}: rows marked as added",
            e.path
        );
        // Its changed and dropped targets, for the year's download (checked below).
        let folder = dep["page"]
            .as_str()
            .unwrap()
            .split('/')
            .next()
            .unwrap()
            .to_owned();
        // Its row on the board of the year (checked below): department,
        // lead, self-score, review, execution rate, (self grade), review grade, changed, dropped.
        boards
            .entry((folder.clone(), e.fiscal_year))
            .or_default()
            .push(vec![
                e.department.clone(),
                lead.clone(),
                format!("{}", Decimal::new(e.self_hundredths, 2)),
                format!("{}", Decimal::new(e.review_hundredths, 2)),
                format!("{}%", Decimal::new(e.rate_hundredths, 2)),
                self_grade(e),
                e.review_grade.clone(),
                e.changed.len().to_string(),
                e.dropped.len().to_string(),
            ]);
        // Its row of the year's self-evaluations.csv (checked below): department, execution
        // rate, self-score, review, the self-score's lead, review grade, changed, dropped, added.
        let d = |h: i64| Decimal::new(h, 2);
        tables
            .entry((folder.clone(), e.fiscal_year))
            .or_default()
            .push((
                e.department.clone(),
                [
                    d(e.rate_hundredths),
                    d(e.self_hundredths),
                    d(e.review_hundredths),
                    d(e.self_hundredths - e.review_hundredths),
                ],
                e.review_grade.clone(),
                [e.changed.len(), e.dropped.len(), e.added.len()],
            ));
        let listed = changes_of.entry((folder, e.fiscal_year)).or_default();
        for name in e.changed.iter().chain(&e.dropped) {
            listed.push((e.department.clone(), name.clone()));
        }
        assert_eq!(j["changed_targets"], e.changed.len());
        assert_eq!(j["dropped_targets"], e.dropped.len());
        assert_eq!(j["added_targets"], e.added.len());
        checked += 1;
    }
    assert!(checked >= 25, "{checked} checked");
    // Each year's changed-targets download lists exactly the oracle's changed and dropped
    // targets of the published self-evaluations (department, indicator).
    assert!(
        changes_of.values().any(|v| !v.is_empty()),
        "no change planted"
    );
    for ((folder, year), mut want) in changes_of {
        let path = out.join(format!("{folder}/years/{year}/changed-targets.csv"));
        let mut got = downloaded_changes(&path);
        got.sort();
        want.sort();
        assert_eq!(
            got, want,
            "{folder} {year}: changed-targets.csv against the oracle"
        );
    }
    // Each year's self-evaluations.csv: a row per published self-evaluation with the oracle's
    // rate, scores, the self-score's lead over the review, grade and counts.
    assert!(
        tables.values().flatten().any(|r| r.1[3] != Decimal::ZERO),
        "no self-score above its review: the lead column would go unchecked"
    );
    for ((folder, year), mut want) in tables {
        let path = out.join(format!("{folder}/years/{year}/self-evaluations.csv"));
        let text = std::fs::read_to_string(&path).unwrap();
        let mut lines = text.trim_start_matches('\u{feff}').lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let col = |name: &str| {
            header
                .iter()
                .position(|h| *h == name)
                .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
        };
        let (rate, own, review, lead) = (
            col("预算执行率（%）"),
            col("自评得分"),
            col("复核得分"),
            col("自评高出复核"),
        );
        let (grade, counts) = (
            col("复核等级"),
            [
                col("指标值改动数"),
                col("未自评的申报指标数"),
                col("新增指标数"),
            ],
        );
        let mut got: Vec<TableRow> = lines
            .map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                let n = |i: usize| f[i].parse::<Decimal>().unwrap_or_else(|_| panic!("{l}"));
                (
                    f[0].to_owned(),
                    [n(rate), n(own), n(review), n(lead)],
                    f[grade].to_owned(),
                    counts.map(|i| f[i].parse::<usize>().unwrap()),
                )
            })
            .collect();
        got.sort();
        want.sort();
        assert_eq!(
            got, want,
            "{folder} {year}: self-evaluations.csv (rate, self-score, review, lead, grade, counts) against the oracle"
        );
    }
    // The board of each year (on its year page; the dashboard shows the latest's): a row per
    // published self-evaluation with the oracle's figures, and the review grades counted.
    for ((folder, year), want) in boards {
        use crate::common::html::{between, rows};
        let page =
            std::fs::read_to_string(out.join(format!("{folder}/years/{year}/index.html"))).unwrap();
        let board = between(
            &page,
            &format!(r#"<section aria-labelledby="eval-{year}-h">"#),
            "</section>",
        );
        let shown = rows(between(
            board,
            "<table class=\"data sortable evaluations\">",
            "</table>",
        ));
        assert_eq!(shown.len(), want.len(), "{folder} {year}: the board's rows");
        for w in &want {
            let row = shown
                .iter()
                .find(|r| r[0] == w[0])
                .unwrap_or_else(|| panic!("{folder} {year}: no board row for {}", w[0]));
            assert_eq!(
                row, w,
                "{folder} {year}: {}'s board row (page, oracle)",
                w[0]
            );
        }
        // Largest lead first, names in code point order among equals.
        let lead_of = |lead: &str| lead.trim_start_matches('+').parse::<Decimal>().unwrap();
        let mut order = want.clone();
        order.sort_by(|a, b| lead_of(&b[1]).cmp(&lead_of(&a[1])).then(a[0].cmp(&b[0])));
        let shown_order: Vec<&String> = shown.iter().map(|r| &r[0]).collect();
        let want_order: Vec<&String> = order.iter().map(|r| &r[0]).collect();
        assert_eq!(
            shown_order, want_order,
            "{folder} {year}: the board's order"
        );
        // What the table sorts the lead by (its cell's `data-value`) is the lead itself.
        let table = between(board, "<tbody>", "</tbody>");
        let sort_keys: Vec<&str> = table
            .split("</th><td class=\"num\" data-value=\"")
            .skip(1)
            .map(|c| &c[..c.find('"').unwrap()])
            .collect();
        let leads: Vec<&str> = order.iter().map(|r| r[1].trim_start_matches('+')).collect();
        assert_eq!(sort_keys, leads, "{folder} {year}: the leads' sort keys");
        let grades = rows(between(board, "<table class=\"data grades\">", "</table>"));
        let labels: Vec<String> = between(board, "<table class=\"data grades\">", "</thead>")
            .split("<th scope=\"col\" class=\"num\">")
            .skip(1)
            .map(|c| c[..c.find('<').unwrap()].to_owned())
            .collect();
        let count = |k: usize| -> Vec<String> {
            labels
                .iter()
                .map(|g| want.iter().filter(|w| &w[k] == g).count().to_string())
                .collect()
        };
        assert_eq!(
            grades[0][1..],
            count(5)[..],
            "{folder} {year}: self grades {labels:?}"
        );
        assert_eq!(
            grades[1][1..],
            count(6)[..],
            "{folder} {year}: review grades {labels:?}"
        );
    }
}

/// The grade a self-evaluation gives itself: as its form writes it, or from its score (spec
/// §3: 优 from 90, 良 from 80, 中 from 60, else 差).
fn self_grade(e: &budgetsite_gen::self_eval::EvalTruth) -> String {
    let expected: serde_json::Value = serde_json::from_str(&e.expected).unwrap();
    if let Some(g) = expected["total"]["grade"].as_str() {
        return g.to_owned();
    }
    match e.self_hundredths {
        9000.. => "优",
        8000..=8999 => "良",
        6000..=7999 => "中",
        _ => "差",
    }
    .to_owned()
}

/// A generated self-evaluation of each layout, saved as `.xlsx`, `.xls` and `.ods` (the
/// workbook behind its text export, `budgetsite_gen::metamorphic`, with the rate as a
/// fraction in a percent format, as a workbook holds it) and as its text: `budgetsite
/// convert` gives every file the same `self-evaluation/v1` JSON, the one the generator meant.
#[test]
fn a_generated_self_evaluation_converts_alike_from_xlsx_xls_ods_and_text() {
    use budgetsite_gen::metamorphic::{FormKind, OutFormat, Rng, Transform, Workbook};
    use budgetsite_gen::self_eval::EvalOptions;
    use budgetsite_gen::{generate, FileFormat, GenOptions, QuirkLevel};
    let gen_dir = tempfile::tempdir().unwrap();
    let options = GenOptions {
        seed: 19,
        departments: 6,
        years: vec![2021],
        quirks: QuirkLevel::None,
        formats: vec![FileFormat::Txt],
        evaluations: EvalOptions {
            share: 100,
            sichuan_share: 50,
            ..EvalOptions::default()
        },
        ..GenOptions::default()
    };
    let truth = generate(&options, gen_dir.path()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut layouts = Vec::new();
    for layout in ["national", "sichuan"] {
        let e = truth
            .self_evaluations
            .iter()
            .find(|e| e.layout == layout && e.planted.is_empty())
            .unwrap_or_else(|| panic!("no clean {layout} self-evaluation generated"));
        let text = std::fs::read_to_string(gen_dir.path().join(&e.path)).unwrap();
        let want: serde_json::Value = serde_json::from_str(&e.expected).unwrap();
        let mut book = Workbook::from_export_of(FormKind::SelfEvaluation, &text);
        assert!(Transform::ShareFraction.apply(&mut book, &mut Rng::new(19)));
        let mut files = vec![write(dir.path(), &format!("{layout}.txt"), &text)];
        for f in [OutFormat::Xlsx, OutFormat::Xls, OutFormat::Ods] {
            let name = format!("{layout}.{}", f.extension());
            files.push(write(dir.path(), &name, f.write(&book).unwrap()));
        }
        for path in files {
            let out = run(&["convert", path.to_str().unwrap()], dir.path());
            assert!(
                out.status.success(),
                "{}: {}",
                path.display(),
                String::from_utf8_lossy(&out.stderr)
            );
            let got: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
            assert_eq!(got["schema"], "self-evaluation/v1");
            assert!(
                same_json(&got, &want),
                "{}: {got:#}\nwant {want:#}",
                path.display()
            );
        }
        layouts.push(layout);
    }
    assert_eq!(layouts, ["national", "sichuan"]);
}

#[test]
fn a_duplicate_self_evaluation_names_the_other_file_never_itself() {
    // A mutant that let a form count as its own duplicate survived (the declarations' test
    // of this did not see the self-evaluations' copy of the rule).
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), DECL, sample_text());
    write(dir.path(), "b-自评.txt", eval_text());
    write(dir.path(), "c/b-自评-副本.txt", eval_text());
    let got = findings_in(dir.path(), "duplicate-submission");
    let says = |other: &str| {
        format!("武汉市新洲区总工会的2020年度自评表重复提交，另见：<dir>/{other}；请只保留一份")
    };
    assert_eq!(
        got,
        [
            ("<dir>/b-自评.txt".to_owned(), says("c/b-自评-副本.txt")),
            ("<dir>/c/b-自评-副本.txt".to_owned(), says("b-自评.txt")),
        ]
    );
}
