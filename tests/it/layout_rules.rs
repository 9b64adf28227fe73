//! Every rule that applies to a layout keeps a firing case and a near miss there (spec
//! section 5): Fujian forms have expenditure but no income and one indicator table; Hunan forms
//! have no money at all and judge 定量 targets by their number. Rules for blocks a layout does
//! not have never fire on it.

use crate::common;

use budgetsite::ingest::layouts::parse_text;
use common::*;

const FUJIAN: &str = "layout-pages/示例县林业局-2020.txt";
const HUNAN: &str = "layout-pages/示例县价格认证中心-2020.txt";

fn base(rel: &str) -> String {
    std::fs::read_to_string(fixtures().join(rel)).unwrap()
}

/// A clean Hunan form: the fixture without its placeholder row and its 定性 vague target.
fn hunan() -> String {
    base(HUNAN)
        .replace(
            "效益指标\t经济效益指标\t\t\t\t\t\t\t\n\t社会效益指标",
            "效益指标\t社会效益指标",
        )
        .replace("定性\t及时", "定性\t≥98%")
}

/// The rule codes a form's text gets from reading and the single-form rules.
fn codes(text: &str) -> Vec<String> {
    let parsed = parse_text(text, "t.txt").expect("a declaration");
    let mut all: Vec<String> = parsed
        .diagnostics
        .iter()
        .chain(&budgetsite::rules::validate(
            &parsed.declaration,
            &parsed.source,
            "t.txt",
        ))
        .map(|d| d.code.as_str().to_owned())
        .collect();
    all.sort();
    all
}

#[track_caller]
fn fires(text: &str, code: &str) {
    let got = codes(text);
    assert!(got.iter().any(|c| c == code), "{code} should fire: {got:?}");
}

#[track_caller]
fn quiet(text: &str, code: &str) {
    let got = codes(text);
    assert!(
        !got.iter().any(|c| c == code),
        "{code} should not fire: {got:?}"
    );
}

#[test]
fn the_bases_are_clean() {
    assert_eq!(codes(&base(FUJIAN)), Vec::<String>::new());
    assert_eq!(codes(&hunan()), Vec::<String>::new());
}

#[test]
fn fujian_rules_fire_and_near_misses_do_not() {
    let f = base(FUJIAN);
    let with = |from: &str, to: &str| {
        assert!(f.contains(from), "{from}");
        f.replace(from, to)
    };
    fires(&with("\t示例县林业局\t", "\t\t"), "missing-field");
    fires(&with("资金总额\t500.5", "资金总额\t"), "missing-field");
    quiet(
        &with("资金总额\t500.5", "资金总额\t500.50"),
        "missing-field",
    );
    fires(&with("项目支出\t300", "项目支出\t三百"), "bad-number");
    quiet(&with("项目支出\t300", "项目支出\t300.00"), "bad-number");
    fires(
        &with(
            "预算金额(万元)\n\t林业生态建设\t完成造林绿化\t造林补助\t180",
            "预算金额(万元)\n\t林业生态建设\t完成造林绿化\t造林补助\t一百八十",
        ),
        "bad-number",
    );
    fires(
        &with("资金总额\t500.5", "资金总额\t-500.5").replace("项目支出\t300", "项目支出\t-701"),
        "negative-amount",
    );
    fires(
        &with("资金总额\t500.5", "资金总额\t500.52"),
        "expenditure-sum",
    );
    quiet(
        &with("资金总额\t500.5", "资金总额\t500.51"),
        "expenditure-sum",
    );
    fires(&with("生态效益指标", "生活效益指标"), "indicator-category");
    quiet(&with("生态效益指标", "环境效益指标"), "indicator-category");
    fires(&with("≥5000亩", "较好"), "vague-target");
    quiet(&with("≥5000亩", "5000亩"), "vague-target");
    fires(&format!("{f}\t_____指标\t\t\t\n"), "placeholder-row");
    let no_output = f
        .lines()
        .filter(|l| !l.contains("造林面积") && !l.contains("完成时间"))
        .collect::<Vec<_>>()
        .join("\n");
    fires(&no_output, "missing-output");
    quiet(
        &with("\t时效指标\t完成时间", "产出指标\t时效指标\t完成时间"),
        "missing-output",
    );
    let no_benefit = f
        .lines()
        .filter(|l| !l.contains("森林覆盖率") && !l.contains("林农满意度"))
        .collect::<Vec<_>>()
        .join("\n");
    fires(&no_benefit, "missing-benefit");
    let satisfaction_only = f
        .lines()
        .filter(|l| !l.contains("森林覆盖率"))
        .collect::<Vec<_>>()
        .join("\n");
    quiet(&satisfaction_only, "missing-benefit");
    // Rules of blocks and parts Fujian does not have stay quiet even on odd input: three
    // overall goals for one table is not a goal mismatch.
    let odd = with("目标2：森林防火零重大火灾", "目标2：森林防火 目标3：护林");
    for code in ["income-sum", "balance", "share", "goal-mismatch"] {
        quiet(&odd, code);
    }
}

#[test]
fn hunan_rules_fire_and_near_misses_do_not() {
    let h = hunan();
    let with = |from: &str, to: &str| {
        assert!(h.contains(from), "{from}");
        h.replace(from, to)
    };
    fires(&with("\t示例县价格认证中心", "\t"), "missing-field");
    fires(
        &with("2020年度整体绩效目标表", "年度整体绩效目标表"),
        "missing-field",
    );
    // No money block, so no total to miss.
    quiet(&h, "missing-field");
    fires(&with("质量指标", "品质指标"), "indicator-category");
    quiet(&with("质量指标", "质量"), "indicator-category");
    // 定量 needs a number; 定性 is judged by its words.
    fires(&with("定量\t≥300", "定量\t较多"), "vague-target");
    quiet(&with("定量\t≥300", "定量\t300"), "vague-target");
    fires(&with("定性\t≥98%", "定性\t及时"), "vague-target");
    fires(
        &format!("{h}效益指标\t经济效益指标\t\t\t\t\t\t\t\n"),
        "placeholder-row",
    );
    let no_output = h
        .lines()
        .filter(|l| {
            !l.contains("价格认定件数") && !l.contains("认定准确率") && !l.contains("按时办结率")
        })
        .collect::<Vec<_>>()
        .join("\n");
    fires(&no_output, "missing-output");
    let no_benefit = h
        .lines()
        .filter(|l| !l.contains("价格争议化解率") && !l.contains("群众满意度\t"))
        .collect::<Vec<_>>()
        .join("\n");
    fires(&no_benefit, "missing-benefit");
    for code in [
        "income-sum",
        "expenditure-sum",
        "balance",
        "share",
        "goal-mismatch",
        "negative-amount",
    ] {
        quiet(&h, code);
    }
}

#[test]
fn a_fujian_and_a_hunan_form_filed_twice_are_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "in/林业局-2020.txt", base(FUJIAN));
    write(d, "in/林业局-2020-副本.txt", base(FUJIAN));
    write(d, "in/价格认证中心-2020.txt", hunan());
    write(
        d,
        "in/价格认证中心-2021.txt",
        hunan().replace("2020年度", "2021年度"),
    );
    let (_, report) = check_json(d, &["in"]);
    let dup: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["code"] == "duplicate-submission")
        .map(|x| x["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        dup,
        ["in/林业局-2020-副本.txt", "in/林业局-2020.txt"],
        "{report}"
    );
}

#[test]
fn layouts_survive_their_canonical_json() {
    for text in [base(FUJIAN), hunan()] {
        let parsed = parse_text(&text, "t.txt").unwrap();
        let json = parsed.declaration.to_canonical_json();
        let back = budgetsite::ingest::canonical::parse(&json, "t.json").unwrap();
        assert_eq!(back.declaration, parsed.declaration, "{json}");
        assert!(back.diagnostics.is_empty(), "{:?}", back.diagnostics);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            v["income"],
            serde_json::Value::Null,
            "no income block is null"
        );
        assert!(v["goals"][0]["number"].is_null());
    }
}

/// The PDF print of the Hubei form: `当年金额`, the prior years, then `占比` last.
const HUBEI_PDF: &str = "附件2
2021年度部门整体支出绩效目标申报表
部门(单位)名称\t示例区甲局\t填报日期\t2021-01-05
填报人\t张三\t联系电话\t12345678
部门总体资金情况\t总体资金情况\t\t当年金额\t近两年收支金额\t\t占比
\t\t\t\t2020年\t2019年\t
\t收入构成\t财政拨款\t286.41\t234.35\t231.55\t100%
\t\t其他资金\t\t\t\t
\t\t合计\t286.41\t234.35\t231.55\t100%
\t支出构成\t基本支出\t268.03\t202.09\t200.55\t93.58%
\t\t项目支出\t18.38\t32.26\t31\t6.42%
\t\t合计\t286.41\t234.35\t231.55\t100%
整体绩效目标\t目标1：金秋助学，发放助学金100人
年度目标1：\t金秋助学
年度绩效指标\t一级指标\t二级指标\t指标名称\t指标值\t\t\t绩效标准
\t\t\t\t近两年指标值\t\t预期当年实现值\t
\t\t\t\t2020年\t2019年\t\t
\t产出指标\t数量指标\t发放人数\t100人\t98人\t≥100人\t计划标准
\t效益指标\t社会效益指标\t困难职工子女覆盖率\t95%\t95%\t≥95%\t历史标准
";

#[test]
fn the_hubei_pdf_print_reads_its_columns_and_keeps_the_money_rules() {
    let parsed = parse_text(HUBEI_PDF, "pdf.txt").unwrap();
    let d = &parsed.declaration;
    assert_eq!(d.layout, Some(budgetsite::model::Layout::HubeiPdf));
    assert_eq!(d.department.as_deref(), Some("示例区甲局"));
    assert_eq!(d.filled_by.as_deref(), Some("张三"));
    let basic = &d.expenditure.as_ref().unwrap().basic;
    assert_eq!(basic.budget, Some("268.03".parse().unwrap()));
    assert_eq!(basic.share_percent, Some("93.58".parse().unwrap()));
    assert_eq!(
        basic.prior_years.get(2020),
        Some(&Some("202.09".parse().unwrap()))
    );
    assert_eq!(
        basic.prior_years.get(2019),
        Some(&Some("200.55".parse().unwrap()))
    );
    assert_eq!(d.goals[0].indicators.len(), 2);
    assert_eq!(codes(HUBEI_PDF), Vec::<String>::new());
    let bad_total = HUBEI_PDF.replacen("\t\t合计\t286.41\t234.35", "\t\t合计\t286.43\t234.35", 1);
    fires(&bad_total, "income-sum");
    let near = HUBEI_PDF.replacen("\t\t合计\t286.41\t234.35", "\t\t合计\t286.42\t234.35", 1);
    quiet(&near, "income-sum");
    fires(&HUBEI_PDF.replace("93.58%", "90.58%"), "share");
    quiet(&HUBEI_PDF.replace("93.58%", "93.59%"), "share");
}

/// A 定量 target without a number is told apart from a merely vague one: the message asks
/// for the number and its unit.
#[test]
fn a_quantitative_target_without_a_number_is_asked_for_its_number() {
    assert!(hunan().contains("认定准确率\t定量\t100"));
    let text = hunan().replace("认定准确率\t定量\t100", "认定准确率\t定量\t准确");
    let parsed = parse_text(&text, "t.txt").expect("a declaration");
    let messages: Vec<String> =
        budgetsite::rules::validate(&parsed.declaration, &parsed.source, "t.txt")
            .into_iter()
            .filter(|d| d.code.as_str() == "vague-target")
            .map(|d| d.message)
            .collect();
    assert_eq!(
        messages,
        ["绩效指标表的指标“认定准确率”是定量指标，但指标值“准确”没有数值，请填写数值（如“≥95”并在计量单位中写明单位）"]
    );
}

#[test]
fn a_fujian_form_without_its_total_is_asked_for_its_own_label() {
    // The Fujian form calls its spending total 资金总额, not 支出合计.
    let text = base(FUJIAN).replace("资金总额\t500.5", "资金总额\t");
    let parsed = parse_text(&text, "t.txt").expect("a declaration");
    let messages: Vec<String> =
        budgetsite::rules::validate(&parsed.declaration, &parsed.source, "t.txt")
            .into_iter()
            .filter(|d| d.code.as_str() == "missing-field")
            .map(|d| d.message)
            .collect();
    assert_eq!(
        messages,
        ["未填写资金总额（2020年预算），请填写当年预算合计金额"],
        "missing-field on a Fujian form's blank 资金总额"
    );
}
