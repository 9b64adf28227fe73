//! The self-evaluation's words as data: every concept of the form (a field, a column, a row)
//! with all the labels departments write for it, in one table. A cell is compared by its
//! `key`: `text::label` (half-width, no spaces or line breaks, no leading `*` or trailing
//! colon), without a trailing bracketed note (`全年预算数（A）`, `执行率(B/A)`,
//! `年度预算执行情况（万元）`) and without `其中：`. Labels in the table are written as keys.

use crate::text::label;

/// What a cell can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Concept {
    Title,
    Department,
    FilledBy,
    Phone,
    BudgetCode,
    // The execution block: its banner, its columns, its total row.
    ExecutionBlock,
    InitialBudget,
    AdjustedBudget,
    Executed,
    Weight,
    Rate,
    Score,
    Reason,
    FundsTotal,
    // The overall goals.
    GoalsBlock,
    Expected,
    Achieved,
    // The indicator table.
    IndicatorBlock,
    Level1,
    Level2,
    Name,
    Direction,
    Target,
    Unit,
    Actual,
    // The end of the form.
    TotalRow,
    SelfScore,
    Grade,
    Conclusion,
    Problems,
    Measures,
}

/// Every concept with its labels (as keys). The first label is how messages name it.
pub const VOCABULARY: &[(Concept, &[&str])] = &[
    (
        Concept::Title,
        &["部门整体支出绩效自评表", "整体支出绩效自评表", "绩效自评表"],
    ),
    (
        Concept::Department,
        &["部门名称", "部门(单位)名称", "单位名称"],
    ),
    (Concept::FilledBy, &["填报人", "联系人"]),
    (Concept::Phone, &["联系电话", "电话"]),
    (
        Concept::BudgetCode,
        &["部门编码", "预算编码", "部门预算编码", "单位编码"],
    ),
    (
        Concept::ExecutionBlock,
        &["年度预算执行情况", "预算执行情况", "预算资金执行情况"],
    ),
    (Concept::InitialBudget, &["年初预算数", "年初预算"]),
    (
        Concept::AdjustedBudget,
        &["全年预算数", "调整后预算数", "全年预算", "调整后预算"],
    ),
    (
        Concept::Executed,
        &["全年执行数", "预算执行数", "实际执行数", "全年执行"],
    ),
    (Concept::Weight, &["分值", "权重"]),
    (Concept::Rate, &["执行率", "预算执行率"]),
    (Concept::Score, &["得分", "评分"]),
    (
        Concept::Reason,
        &[
            "偏差原因分析及改进措施",
            "未完成原因分析",
            "偏差原因分析",
            "偏差原因",
            "原因",
            "原因分析",
            "未完成原因",
        ],
    ),
    (
        Concept::FundsTotal,
        &["年度资金总额", "总额", "资金总额", "合计"],
    ),
    (
        Concept::GoalsBlock,
        &["年度总体目标", "总体目标", "年度绩效目标"],
    ),
    (Concept::Expected, &["预期目标", "年度预期目标"]),
    (
        Concept::Achieved,
        &["实际完成情况", "目标完成情况", "实际完成"],
    ),
    (
        Concept::IndicatorBlock,
        &["年度绩效指标", "绩效指标", "绩效指标完成情况"],
    ),
    (Concept::Level1, &["一级指标"]),
    (Concept::Level2, &["二级指标"]),
    (Concept::Name, &["三级指标", "指标名称"]),
    (Concept::Direction, &["指标性质"]),
    (
        Concept::Target,
        &["年度指标值", "指标值", "年度目标值", "目标值"],
    ),
    (Concept::Unit, &["度量单位", "计量单位"]),
    (
        Concept::Actual,
        &["实际完成值", "完成值", "全年实际值", "实际值"],
    ),
    (Concept::TotalRow, &["总分", "总计"]),
    (Concept::SelfScore, &["自评得分", "自评总分"]),
    (Concept::Grade, &["自评等级", "评价等级", "等级"]),
    (Concept::Conclusion, &["评价结论", "自评结论"]),
    (Concept::Problems, &["存在问题", "存在的问题"]),
    (Concept::Measures, &["改进措施", "改进意见"]),
];

/// Labels only the `national` layout has (contract §1).
pub const NATIONAL_WORDS: &[&str] = &[
    "全年预算数",
    "全年执行数",
    "年度指标值",
    "实际完成值",
    "偏差原因分析及改进措施",
];

/// Labels only the `sichuan` layout has.
pub const SICHUAN_WORDS: &[&str] = &[
    "调整后预算数",
    "预算执行数",
    "指标性质",
    "度量单位",
    "完成值",
    "权重",
    "未完成原因分析",
];

/// The columns of the execution block and the indicator table: with the title, two of them
/// make a sheet a self-evaluation (a cover or instructions sheet names the form too).
pub const TABLE_COLUMNS: [Concept; 12] = [
    Concept::InitialBudget,
    Concept::AdjustedBudget,
    Concept::Executed,
    Concept::Rate,
    Concept::Level1,
    Concept::Level2,
    Concept::Name,
    Concept::Target,
    Concept::Actual,
    Concept::Direction,
    Concept::Unit,
    Concept::Score,
];

/// A cell as compared against the vocabulary.
pub fn key(cell: &str) -> String {
    key_of_label(&label(cell)).to_owned()
}

/// `key` of a cell already labelled (`text::label`): the label without a trailing bracketed
/// note or a leading `其中：`. A slice of it, so a reader that labels each cell once keys it
/// for free.
pub fn key_of_label(label: &str) -> &str {
    let mut k = label;
    // A trailing bracketed note: `(A)`, `(B/A)`, `(万元)`, `(10分)`.
    if k.ends_with(')') {
        if let Some(open) = k.rfind('(') {
            if open > 0 {
                k = &k[..open];
            }
        }
    }
    if let Some(rest) = k.strip_prefix("其中") {
        k = rest.trim_start_matches(':');
    }
    k
}

/// The concepts a key names (a label such as `分值` is a column of two tables).
pub fn concept_of(key: &str) -> Option<Concept> {
    INDEX.get(key).copied()
}

/// Every label to its concept, as the declarations' vocabulary is indexed: each cell of a
/// self-evaluation is looked up (and of a declaration that `detect` is asked about), and a
/// scan of the table compared every label. A label is in one concept only (a test says so).
static INDEX: std::sync::LazyLock<rustc_hash::FxHashMap<&'static str, Concept>> =
    std::sync::LazyLock::new(|| crate::ingest::layouts::vocab::index(VOCABULARY));

/// `concept_of` of a cell keyed by `layouts::vocab::key` (`RawRow::keys`) or by `key`: the
/// same label without a trailing bracketed note or a leading `其中：`.
pub fn concept_of_row_key(k: &str) -> Option<Concept> {
    let k = match k.strip_suffix(')').and_then(|body| body.rfind('(')) {
        Some(open) if open > 0 => &k[..open],
        _ => k,
    };
    let k = k
        .strip_prefix("其中")
        .map_or(k, |rest| rest.trim_start_matches(':'));
    concept_of(k)
}

/// The header reader (`layouts::header::ColumnMap`) reads this form's tables by these words.
/// A self-evaluation has no columns of prior years.
impl crate::ingest::layouts::header::Vocabulary for Concept {
    fn of_key(key: &str) -> Option<Concept> {
        concept_of_row_key(key)
    }
    const YEARLY: &'static [(Concept, Concept)] = &[];
}

/// The first label of a concept, as messages name it.
pub fn name_of(concept: Concept) -> &'static str {
    VOCABULARY
        .iter()
        .find(|(c, _)| *c == concept)
        .map_or("", |(_, labels)| labels[0])
}

/// Whether a cell is a self-evaluation's title.
pub fn is_title(cell: &str) -> bool {
    is_title_label(&label(cell))
}

/// `is_title` of a cell already labelled.
pub fn is_title_label(label: &str) -> bool {
    label.contains("绩效自评表") || label.contains("绩效自评情况表")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_drop_notes_widths_and_prefixes() {
        assert_eq!(key("全年预算数（A）"), "全年预算数");
        assert_eq!(key("执行率（B/A）"), "执行率");
        assert_eq!(key("年度预算执行情况（万元）"), "年度预算执行情况");
        assert_eq!(key("其中：财政拨款"), "财政拨款");
        assert_eq!(key("* 部门（单位）名称："), "部门(单位)名称");
        assert_eq!(
            concept_of(&key("部门（单位）名称")),
            Some(Concept::Department)
        );
        assert_eq!(
            concept_of(&key("预算执行情况（10分）")),
            Some(Concept::ExecutionBlock)
        );
        assert_eq!(concept_of("权重"), Some(Concept::Weight));
        assert_eq!(name_of(Concept::Target), "年度指标值");
        assert!(is_title("2020年度部门整体支出绩效自评表"));
        assert!(!is_title("2020年度部门整体支出绩效目标申报表"));
        // A label keyed in place is the cell keyed.
        for cell in [
            "全年预算数（A）",
            "其中：财政拨款",
            "（2020年度）",
            "分值(10分)",
            "说明（一）",
        ] {
            assert_eq!(key_of_label(&label(cell)), key(cell), "{cell}");
        }
    }

    #[test]
    fn every_label_is_written_as_a_key_and_names_one_concept() {
        let mut seen = std::collections::BTreeMap::new();
        for (concept, labels) in VOCABULARY {
            for l in *labels {
                assert_eq!(key(l), *l, "{l} is not written as its key");
                assert_eq!(seen.insert(*l, *concept), None, "{l} twice");
                assert_eq!(concept_of(l), Some(*concept), "{l} not indexed");
            }
        }
        for w in NATIONAL_WORDS.iter().chain(SICHUAN_WORDS) {
            assert!(concept_of(w).is_some(), "{w}");
        }
    }
}
