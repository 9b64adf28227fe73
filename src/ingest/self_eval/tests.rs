//! The self-evaluation reader's unit tests: the sample, what is not a self-evaluation, rows that
//! lost cells or merged labels, the layout, and the helpers for years, weights and goals.

use super::*;

fn sample() -> String {
    std::fs::read_to_string("tests/fixtures/self_eval/武汉市新洲区总工会-2020-自评.txt").unwrap()
}

/// The sample as read, in canonical JSON: what a variant of it must read as.
fn sample_json() -> String {
    parse_text(&sample(), "a.txt")
        .unwrap()
        .form
        .to_canonical_json()
}

#[test]
fn the_sample_reads_as_its_expected_json() {
    let parsed = parse_text(&sample(), "a.txt").unwrap();
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let expected = std::fs::read_to_string(
        "tests/fixtures/self_eval/武汉市新洲区总工会-2020-自评.expected.json",
    )
    .unwrap();
    assert_eq!(
        parsed.form.to_canonical_json().trim_end(),
        expected.trim_end()
    );
    // Lines point where the clerk looks: the execution total, the first indicator, 总分.
    assert_eq!(parsed.source.execution, Some(11));
    assert_eq!(parsed.source.indicator(0), Some(21));
    assert_eq!(parsed.source.total, Some(37));
}

#[test]
fn declarations_and_other_files_are_not_self_evaluations() {
    let decl =
        std::fs::read_to_string("tests/fixtures/sample/武汉市新洲区总工会-2020.txt").unwrap();
    assert_eq!(detect(&Grid::from_text(&decl)), None);
    assert_eq!(detect(&Grid::from_text("甲\t乙\n丙")), None);
    assert!(parse_text("甲\t乙", "x.txt").is_err());
    assert_eq!(
        detect(&Grid::from_text(&sample())),
        Some(EvalLayout::National)
    );
}

#[test]
fn a_declaration_whose_goal_names_the_self_evaluation_form_is_a_declaration() {
    // Found by the mutation run of the evening session (issue 22): a goal cell that names
    // the form (`按时填报…绩效自评表`), with the declaration's 一级指标 and 二级指标 columns,
    // read as a self-evaluation's title — the declaration was not published, and three
    // errors were reported on a self-evaluation nobody filed. A title leads its row.
    let decl =
        std::fs::read_to_string("tests/fixtures/sample/武汉市新洲区总工会-2020.txt").unwrap();
    let named = decl.replacen(
        "年度目标1：\t金秋助学",
        "年度目标1：\t按时填报部门整体支出绩效自评表",
        1,
    );
    assert_ne!(named, decl);
    assert!(might_be_text(&named));
    assert_eq!(detect(&Grid::from_text(&named)), None);
    // Nor is a note leading its row: over 60 characters, a paragraph, not a title.
    let note = "说明：本表中的绩效目标与年度终了后填报的部门整体支出绩效自评表中的年度指标值应当保持一致，如需调整须按程序报批并说明理由。";
    assert_eq!(note.chars().count(), 61);
    let noted = decl.replacen("年度目标1：", &format!("{note}\n年度目标1："), 1);
    assert_eq!(detect(&Grid::from_text(&noted)), None);
    // Where it leads its row, as a title does, it is one.
    let led = decl.replacen(
        "年度目标1：\t金秋助学",
        "2020年度部门整体支出绩效自评表\n年度目标1：\t金秋助学",
        1,
    );
    assert_eq!(detect(&Grid::from_text(&led)), Some(EvalLayout::National));
}

#[test]
fn the_title_may_follow_an_annex_label_in_its_row() {
    // `附件3：` and the title in one row (a workbook's A1 and B1): still the title, its year
    // the form's.
    let joined = sample().replacen("附件3:\n\n2020年度", "附件3:\t2020年度", 1);
    assert_ne!(joined, sample());
    let form = parse_text(&joined, "a.txt").unwrap().form;
    assert_eq!(form.fiscal_year, Some(2020));
    assert_eq!(form.to_canonical_json(), sample_json());
    // Not after any other label: `说明` and the title in one row is no title row.
    let other = sample().replacen("附件3:\n\n2020年度", "说明：\t2020年度", 1);
    let grid = Grid::from_text(&other);
    let row = grid
        .rows
        .iter()
        .find(|r| r.cells.first().is_some_and(|c| c == "说明："))
        .unwrap();
    assert_eq!(title_at(row), None);
}

#[test]
fn without_its_title_a_self_evaluation_is_known_by_three_of_its_layouts_words() {
    // A clerk deleted the title rows: the national words (全年预算数, 全年执行数, 年度指标值,
    // 实际完成值, …) still say what the form is.
    let untitled: String = sample()
        .lines()
        .filter(|l| !l.contains("绩效自评表"))
        .map(|l| format!("{l}\n"))
        .collect();
    let grid = Grid::from_text(&untitled);
    assert!(grid.rows.iter().all(|r| title_at(r).is_none()));
    assert_eq!(detect(&grid), Some(EvalLayout::National));
    // Two of them, among words both layouts share (分值, 得分), are not enough.
    let two = "项目\t全年预算数\t实际完成值\t分值\t得分\n甲\t1\t2\t3\t4\n";
    assert_eq!(detect(&Grid::from_text(two)), None);
    let three = "项目\t全年预算数\t全年执行数\t实际完成值\t分值\t得分\n甲\t1\t2\t3\t4\t5\n";
    assert_eq!(detect(&Grid::from_text(three)), Some(EvalLayout::National));
    // Sichuan's own words, more of them than national's: sichuan.
    let sichuan = "项目\t调整后预算数\t预算执行数\t完成值\t权重\t得分\n甲\t1\t2\t3\t4\t5\n";
    assert_eq!(detect(&Grid::from_text(sichuan)), Some(EvalLayout::Sichuan));
}

#[test]
fn a_cover_or_instructions_sheet_naming_the_form_is_no_self_evaluation() {
    // Found by the metamorphic tests (issue 19): a workbook's cover and instructions sheets
    // name the form, and were read as second, empty self-evaluations.
    let cover = "\n\n\t2021年度部门整体支出绩效自评表\n\n\n\n\t报送单位（盖章）：甲局\n";
    assert_eq!(detect(&Grid::from_text(cover)), None);
    let instructions = "填表说明\n1. 本表为部门整体支出绩效自评表的填报说明，金额单位为万元。\n\
        2. 执行率 = 全年执行数 ÷ 全年预算数。\n";
    assert_eq!(detect(&Grid::from_text(instructions)), None);
    // The title with the form's tables still is one.
    let form =
        "2021年度部门整体支出绩效自评表\n年度绩效指标\t一级指标\t二级指标\t三级指标\t指标值\n";
    assert_eq!(detect(&Grid::from_text(form)), Some(EvalLayout::National));
    // A title naming the department too (over 60 bytes), and one of 60 characters, the
    // longest a title may be.
    for department in ["武汉市新洲区总工会", &"甲".repeat(43)] {
        let titled = form.replacen("2021年度", &format!("{department}2021年度"), 1);
        let title = titled.lines().next().unwrap();
        assert!(title.len() > 60 && title.chars().count() <= 60, "{title}");
        assert_eq!(
            detect(&Grid::from_text(&titled)),
            Some(EvalLayout::National),
            "{title}"
        );
    }
}

#[test]
fn a_row_that_lost_its_leading_cell_is_anchored_on_its_weight_and_score() {
    // Found by the metamorphic tests (issue 19): an indicator row that lost its leading
    // cell to a merged range, with no reason after its score, was read one column off once
    // the export dropped its trailing empty cell, or once saved as a workbook.
    let text = "2021年度部门整体支出绩效自评表\n部门名称\t甲局\n\
        年度绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n\
        \t产出指标\t数量指标\t培训人次\t≥100人次\t90人次\t40\t36\t疫情\n\
        效益指标\t满意度指标\t满意度\t满意\t满意\t50\t50\n\
        \t\t\t回访率\t≥90\t95\t10\t10\n";
    let check = |p: ParsedEval| {
        let i = &p.form.indicators;
        assert_eq!(i.len(), 3);
        assert_eq!(i[1].level1.as_deref(), Some("效益指标"));
        assert_eq!(i[1].name.as_deref(), Some("满意度"));
        assert_eq!(i[1].actual.as_deref(), Some("满意"));
        assert_eq!(
            (i[1].weight, i[1].score),
            (Some(Decimal::from(50)), Some(Decimal::from(50)))
        );
        // A numeric actual beside the weight is not taken for it.
        assert_eq!(i[2].actual.as_deref(), Some("95"));
        assert_eq!(i[2].weight, Some(Decimal::from(10)));
    };
    check(parse_text(text, "x.txt").unwrap());
    // The same rows in a workbook (cells where the export left them).
    let mut grid = Grid::from_text(text);
    grid.sheet = Some("自评表".to_owned());
    check(parse(&grid, "x.xlsx").unwrap());
}

#[test]
fn an_execution_row_with_its_label_merged_over_two_cells_reads_its_values() {
    // Found by the metamorphic tests (issue 19): `年度资金总额` merged across its cell and
    // an empty one to its right moved every execution figure one column (the row was taken
    // for one that lost its leading cell).
    let text = "2021年度部门整体支出绩效自评表\n\
        年度预算执行情况（万元）\t\t\t年初预算数\t全年预算数（A）\t全年执行数（B）\t分值\t执行率（B/A）\t得分\n\
        \t年度资金总额\t\t100\t200\t150\t10\t75%\t7.5\n\
        \t其中：财政拨款\t\t100\t200\t150\t—\t—\t—\n\
        其他资金\t\t\t\t—\t—\t—\n\
        年度绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\n";
    let e = parse_text(text, "x.txt").unwrap().form.execution;
    let d = |v: i64| Some(Decimal::from(v));
    assert_eq!(
        (e.initial_budget, e.adjusted_budget, e.executed, e.weight),
        (d(100), d(200), d(150), d(10))
    );
    assert_eq!(e.rate_percent, d(75));
    let p = &e.parts[0];
    assert_eq!(
        (p.initial_budget, p.adjusted_budget, p.executed),
        (d(100), d(200), d(150))
    );
    // A part that lost its leading cell still reads by its label.
    assert_eq!(e.parts[1].label, "其他资金");
    assert_eq!(e.parts[1].executed, None);
}

#[test]
fn rows_read_through_the_shared_column_map_where_shifts_went_wrong() {
    // Found comparing the shift-based placement with `ColumnMap::assign` on outside
    // corpus forms with cells dropped (issue 19). A row in place whose weight and score are
    // full-width digits and whose export dropped its trailing empty cell was aligned from
    // the right, one column off (weights-sum fired on 276.9).
    let d = |v: i64| Some(Decimal::from(v));
    let text = "2021年度部门整体支出绩效自评表\n\t部门(单位)名称\t甲局\n\
        \t年度绩效指标\t一级指标\t二级指标\t三级指标\t指标性质\t指标值\t度量单位\t完成值\t权重\t得分\t未完成原因分析\n\
        \t\t满意度指标(6分)\t服务对象满意度指标\t受训学员满意度\t≥\t95\t%\t96.9\t６\t６\n";
    let i = &parse_text(text, "x.txt").unwrap().form.indicators[0];
    assert_eq!(i.level1.as_deref(), Some("满意度指标"));
    assert_eq!(
        (i.actual.as_deref(), i.weight, i.score),
        (Some("96.9"), d(6), d(6))
    );
    // Execution rows whose labels stand right of the header's label column (the header
    // lost its leading cell, the rows did not) read by their label's offset (the old
    // placement's label shift; a first `assign` without it read the parts one off).
    let text = "2021年度部门整体支出绩效自评表\n\
        预算执行情况（10分）\t\t年初预算数\t调整后预算数\t预算执行数\t权重\t预算执行率\t得分\t原因\n\
        \t\t总额\t214.75\t214.75\t203.58\t10\t94.80%\t9.48\n\
        \t\t其中：财政资金\t182.54\t182.54\t173.04\t/\t/\t/\n";
    let e = parse_text(text, "x.txt").unwrap().form.execution;
    assert_eq!(e.weight, d(10));
    let p = &e.parts[0];
    assert_eq!(
        (p.initial_budget, p.executed),
        (
            Some("182.54".parse().unwrap()),
            Some("173.04".parse().unwrap())
        )
    );
    // A sichuan row that lost its leading cell, its first word a level-1 word filed at
    // level 2 (`满意度指标` under `效益指标`): the row moves as a whole (the old placement
    // anchored it on its weight and score; a first `assign` kept the word at level 1 and
    // moved the rest).
    let sichuan =
        std::fs::read_to_string("tests/fixtures/self_eval/示例区教育局-2021-自评-四川.txt")
            .unwrap();
    let want = parse_text(&sichuan, "a.txt").unwrap().form;
    let lost = sichuan.replace("\t满意度指标\t家长满意度", "满意度指标\t家长满意度");
    assert_ne!(lost, sichuan);
    let got = parse_text(&lost, "a.txt").unwrap().form;
    assert_eq!(got.indicators[4].level2.as_deref(), Some("满意度指标"));
    assert_eq!(got.to_canonical_json(), want.to_canonical_json());
}

#[test]
fn the_layout_is_the_indicator_tables_not_a_count_of_synonyms() {
    // Found from the metamorphic tests' synonyms (issue 19): each layout's words are the
    // other's synonyms, so a sichuan form with three of them swapped for the national
    // words counted as national and lost its 指标性质 and 度量单位 (and the reverse).
    let sichuan =
        std::fs::read_to_string("tests/fixtures/self_eval/示例区教育局-2021-自评-四川.txt")
            .unwrap();
    let want = parse_text(&sichuan, "a.txt").unwrap().form;
    assert_eq!(want.layout, EvalLayout::Sichuan);
    let swapped = sichuan
        .replace("调整后预算数", "全年预算数（A）")
        .replace("预算执行数", "全年执行数（B）")
        .replace("\t完成值\t", "\t实际完成值\t")
        .replace("权重", "分值");
    let got = parse_text(&swapped, "a.txt").unwrap().form;
    assert_eq!(got.layout, EvalLayout::Sichuan);
    assert_eq!(got.to_canonical_json(), want.to_canonical_json());
    // A national form with sichuan words and no 指标性质/度量单位 columns stays national.
    let national = sample()
        .replace("全年预算数", "调整后预算数")
        .replace("全年执行数", "预算执行数")
        .replace("实际完成值", "完成值")
        .replace("\t分值\t", "\t权重\t");
    let form = parse_text(&national, "a.txt").unwrap().form;
    assert_eq!(form.layout, EvalLayout::National);
    assert_eq!(form.to_canonical_json(), sample_json());
}

#[test]
fn helpers_read_years_weights_and_goal_lists() {
    assert_eq!(year_in("2020年度部门整体支出绩效自评表"), Some(2020));
    assert_eq!(year_in("（２０２１年度）"), Some(2021));
    assert_eq!(year_in("12020年"), None);
    // Found by the metamorphic tests (issue 19): the year in `（2021年）` under the title
    // was not read (only `（2021年度）` was).
    for line in ["（2021年度）", "(2021年)", "（2021年）"] {
        let text = format!(
            "部门整体支出绩效自评表\n{line}\n部门名称\t甲局\n\
             年度绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\n"
        );
        let p = parse_text(&text, "x.txt").unwrap();
        assert_eq!(p.form.fiscal_year, Some(2021), "{line}");
    }
    assert_eq!(without_weight("产出指标(50分)"), "产出指标");
    assert_eq!(without_weight("效益指标（40分）"), "效益指标");
    assert_eq!(without_weight("产出指标(一)"), "产出指标(一)");
    assert_eq!(split_goals("目标1：甲 目标2：乙"), ["甲", "乙"]);
    assert_eq!(split_goals("甲"), ["甲"]);
}

#[test]
fn a_shifted_row_and_a_bad_number_are_read_by_their_words() {
    // The indicator row lost its leading cell; the execution part row too; a score is text.
    let text = "2021年度部门整体支出绩效自评表\n部门名称\t甲局\n\
        年度预算执行情况\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n\
        \t年度资金总额\t100\t100\t90\t10\t90%\t9\n\
        其中：财政拨款\t100\t100\t90\t—\t—\t—\n\
        年度绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n\
        \t产出指标\t数量指标\t培训人次\t≥100人次\t90人次\t40\t三十六\t疫情\n\
        效益指标\t满意度指标\t满意度\t≥90%\t95%\t50\t50\t\n";
    let p = parse_text(text, "x.txt").unwrap();
    assert_eq!(p.form.fiscal_year, Some(2021));
    assert_eq!(p.form.department.as_deref(), Some("甲局"));
    assert_eq!(p.form.execution.parts[0].label, "财政拨款");
    assert_eq!(p.form.execution.parts[0].executed, Some(Decimal::from(90)));
    assert_eq!(p.form.indicators.len(), 2);
    let second = &p.form.indicators[1];
    assert_eq!(second.level1.as_deref(), Some("效益指标"));
    assert_eq!(second.weight, Some(Decimal::from(50)));
    assert_eq!(second.reason, None);
    assert_eq!(p.diagnostics.len(), 1);
    // A total row without the trailing empty cell reads the same.
    let short = format!("{text}总分\t\t\t\t\t\t90\t86\n");
    let t = parse_text(&short, "x.txt").unwrap().form.total;
    assert_eq!(
        (t.weight, t.score),
        (Some(Decimal::from(90)), Some(Decimal::from(86)))
    );
    assert_eq!(p.diagnostics[0].code, Code::BadNumber);
    assert_eq!(p.diagnostics[0].line, Some(7));
    assert!(
        p.diagnostics[0].message.contains("培训人次"),
        "{}",
        p.diagnostics[0].message
    );
}
