//! Layouts: the provinces' prints of the declaration (spec §5), each a module that
//! maps a `Grid` to a `Declaration`. `detect` recognises a layout by its labels, never by
//! position; adding a layout means adding one module and one line in `detect` and `parse`.
//!
//! | module | layouts |
//! | --- | --- |
//! | `hubei` | `hubei` (the sample and its label variants), `hubei-pdf` |
//! | `fujian` | `fujian`: expenditure only, 年度履职目标, one indicator table |
//! | `hunan` | `hunan`: no money, one indicator table with 指标值类型 and 计量单位 |
//!
//! Every label a reader looks for is in `vocab` (one table of concepts and their labels), and
//! every table is read through its header rows (`header`): `table` reads an indicator table of
//! any layout, `money` the hubei family's budget table. A new label is a word in `vocab`; a
//! new layout a module here (ARCHITECTURE.md, "A new layout").

mod assign;
mod fujian;
pub(crate) mod header;
mod hubei;
mod hunan;
mod money;
pub(crate) mod table;
pub(crate) mod vocab;

use super::grid::Grid;
use crate::diagnostic::{Code, Diagnostic};
use crate::ingest::ParsedForm;
use crate::model::Layout;
use vocab::{FUJIAN_WORDS, HUBEI_PDF_WORDS, HUNAN_WORDS};

/// Reads a grid in the layout its labels show. `Err` is a `not-a-declaration` diagnostic
/// naming the labels that were looked for.
pub fn parse(grid: &Grid, file: &str) -> Result<ParsedForm, Diagnostic> {
    read(grid, file).ok_or_else(|| not_a_declaration(file, grid))
}

/// `parse` without the finding: `None` for a grid that is no declaration. A workbook's other
/// sheets (a cover, instructions) are passed over this way without building a finding
/// nobody reads.
pub fn read(grid: &Grid, file: &str) -> Option<ParsedForm> {
    let layout = detect(grid);
    let mut parsed = match layout {
        Layout::Hubei | Layout::HubeiPdf => hubei::parse(grid, file)?,
        Layout::Fujian => fujian::parse(grid, file)?,
        Layout::Hunan => hunan::parse(grid, file)?,
    };
    parsed.declaration.layout = Some(layout);
    Some(parsed)
}

/// Reads the decoded text of a form export.
pub fn parse_text(text: &str, file: &str) -> Result<ParsedForm, Diagnostic> {
    parse(&Grid::from_text(text), file)
}

/// The layout a grid is printed in, by its labels: the most specific layout whose words
/// appear wins (a hunan form shares 一级指标 with every other layout, not 指标值类型).
pub fn detect(grid: &Grid) -> Layout {
    let mut found = [false; 3];
    for row in &grid.rows {
        for l in row.keys().iter().filter(|c| !c.is_empty()) {
            let title =
                |word: &str| l.len() >= word.len() && l.contains(word) && l.chars().count() < 60;
            if HUNAN_WORDS.contains(&l.as_str()) || (title("整体绩效目标表") && !l.contains("支出"))
            {
                found[0] = true;
            }
            if FUJIAN_WORDS.contains(&l.as_str())
                || l.starts_with("年度预算安排")
                || title("部门整体支出绩效目标表")
            {
                found[1] = true;
            }
            if HUBEI_PDF_WORDS.contains(&l.as_str()) {
                found[2] = true;
            }
        }
    }
    match found {
        [true, _, _] => Layout::Hunan,
        [_, true, _] => Layout::Fujian,
        [_, _, true] => Layout::HubeiPdf,
        _ => Layout::Hubei,
    }
}

/// Splits `目标1：甲 目标2：乙` into `["甲", "乙"]`; text without markers is one goal a line.
pub(crate) fn split_overall_goals(text: &str) -> Vec<String> {
    split_goal_markers(text).unwrap_or_else(|| crate::ingest::cells::paragraphs(text))
}

/// The texts after each `目标N：` marker of a text (empty ones dropped); `None` when it has
/// no marker. Shared by the declarations' and the self-evaluations' readers.
pub(crate) fn split_goal_markers(text: &str) -> Option<Vec<String>> {
    let chars: Vec<char> = text.chars().collect();
    let mut marks = Vec::new();
    let mut i = 0;
    while i + 2 < chars.len() {
        if chars[i] == '目' && chars[i + 1] == '标' {
            if let Some((_, used)) = crate::ingest::cells::leading_number(&chars[i + 2..]) {
                if matches!(chars.get(i + 2 + used), Some(':' | '：')) {
                    marks.push((i, i + 3 + used));
                    i += 3 + used;
                    continue;
                }
            }
        }
        i += 1;
    }
    if marks.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    for (k, &(_, content_start)) in marks.iter().enumerate() {
        let end = marks.get(k + 1).map_or(chars.len(), |m| m.0);
        let goal: String = chars[content_start..end].iter().collect();
        let goal = goal.trim();
        if !goal.is_empty() {
            out.push(goal.to_owned());
        }
    }
    Some(out)
}

/// The finding for a grid that reads as none of the layouts: the labels looked for, from
/// the vocabulary, and the label-like cells the grid has that the vocabulary does not know.
pub fn not_a_declaration(file: &str, grid: &Grid) -> Diagnostic {
    use vocab::Concept;
    let quote = |ws: &[&str]| ws.iter().map(|w| format!("“{w}”")).collect::<String>();
    let looked_for = [
        (
            "湖北表式",
            quote(&[
                crate::model::FORM_NAME,
                "部门名称",
                "部门总体资金情况",
                "年度目标1",
            ]),
        ),
        (
            "福建表式",
            quote(&[
                "部门整体支出绩效目标表",
                "部门预算编码",
                "年度预算安排",
                "年度履职目标",
            ]),
        ),
        (
            "湖南表式",
            quote(&["年度整体绩效目标表", "绩效指标", "指标值类型"]),
        ),
        (
            "金额表头",
            quote(&first_words(&[
                Concept::BudgetColumn,
                Concept::ShareColumn,
                Concept::PriorColumn,
            ])),
        ),
        (
            "指标表头",
            quote(&first_words(&[
                Concept::Level1,
                Concept::Name,
                Concept::Target,
            ])),
        ),
    ]
    .iter()
    .map(|(what, ws)| format!("{what}{ws}"))
    .collect::<Vec<_>>()
    .join("；");
    let unknown = unknown_labels(grid);
    let unknown = if unknown.is_empty() {
        String::new()
    } else {
        format!(
            "。表中未识别的标签：{}",
            quote(&unknown.iter().map(String::as_str).collect::<Vec<_>>())
        )
    };
    Diagnostic::new(
        Code::NotADeclaration,
        file,
        format!(
            "未找到申报表的标题或表格结构。查找过的标签：{looked_for}{unknown}。请确认提交的是申报表\
             （Excel 工作簿或其文本导出）"
        ),
    )
}

/// The first two labels of each concept, for a message that stays short.
fn first_words(concepts: &[vocab::Concept]) -> Vec<&'static str> {
    concepts
        .iter()
        .flat_map(|&c| vocab::words(c).iter().take(2).copied())
        .collect()
}

/// Short text cells that look like labels (no digits, at most 12 characters) and that the
/// vocabulary does not know: the first eight, in the grid's order.
fn unknown_labels(grid: &Grid) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for cell in grid.rows.iter().flat_map(|r| &r.cells) {
        let k = vocab::key(cell);
        let n = k.chars().count();
        let label_like = (2..=12).contains(&n) && !k.chars().any(|c| c.is_ascii_digit());
        if label_like && vocab::concept_of_key(&k).is_none() && !out.contains(&k) {
            out.push(k);
            if out.len() == 8 {
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(text: &str) -> Grid {
        Grid::from_text(text)
    }

    #[test]
    fn splits_overall_goals_on_their_markers() {
        assert_eq!(
            split_overall_goals("目标1：甲，乙 目标2:丙 目标３：丁"),
            ["甲，乙", "丙", "丁"]
        );
        assert_eq!(split_overall_goals("做好工作"), ["做好工作"]);
        assert_eq!(split_overall_goals("目标一：甲 目标二：乙"), ["甲", "乙"]);
    }

    #[test]
    fn layouts_are_told_by_their_words() {
        let sample = std::fs::read_to_string("tests/fixtures/sample/武汉市新洲区总工会-2020.txt")
            .expect("the sample is in the repository");
        assert_eq!(detect(&grid(&sample)), Layout::Hubei);
        assert_eq!(
            detect(&grid(
                "部门(单位)名称\t甲\n总体资金情况\t\t当年金额\t近两年收支金额\t\t占比"
            )),
            Layout::HubeiPdf
        );
        assert_eq!(
            detect(&grid(
                "部门名称\t甲\t部门预算编码\t101\n年度预算安排\t资金总额\t5"
            )),
            Layout::Fujian
        );
        assert_eq!(
            detect(&grid(
                "绩效指标\n一级指标\t二级指标\t三级指标\t指标值类型\t*指标值"
            )),
            Layout::Hunan
        );
        // A long text that merely mentions a title is not a title.
        let prose = format!("{}部门整体支出绩效目标表", "说明".repeat(40));
        assert_eq!(detect(&grid(&prose)), Layout::Hubei);
    }

    #[test]
    fn a_grid_of_nothing_known_names_the_labels_looked_for() {
        let err = parse(&grid("会议纪要\t第三季度\n出席\t张三"), "x.txt").unwrap_err();
        assert_eq!(err.code, Code::NotADeclaration);
        for word in [
            "部门整体支出绩效目标申报表",
            "部门预算编码",
            "指标值类型",
            "当年金额",
            "预期当年实现值",
            // The grid's own labels, which the vocabulary does not know.
            "“会议纪要”“第三季度”“出席”“张三”",
        ] {
            assert!(err.message.contains(word), "{word}: {}", err.message);
        }
    }
}
