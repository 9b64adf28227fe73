//! The one vocabulary of the form: every concept a reader looks for (the department, the
//! budget year, each money row and column, each text, each indicator column) with every label
//! it has been seen under, as data. Readers never compare a cell with a word of their own:
//! they ask `concept` what a label means. A new label variant is one more word in `WORDS`.
//!
//! Labels compare by `key`: `text::label` (full-width to half-width, whitespace and line
//! breaks removed, a leading `*` and trailing colons dropped) with brackets unified and a unit
//! note (`(万元)`, `单位:万元`) or a leading year (`2020年预算数`) set aside.

/// What a label cell names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Concept {
    // The head of the form.
    Department,
    FilledBy,
    Phone,
    FillDate,
    BudgetCode,
    BudgetYear,
    // The budget table: its titles, groups, rows and columns.
    MoneyTitle,
    IncomeGroup,
    ExpenditureGroup,
    FiscalAppropriation,
    OtherFunds,
    IncomeTotal,
    Basic,
    Project,
    ExpenditureTotal,
    /// `合计`: the income or the spending total, by its group.
    Total,
    /// `年度预算安排`: Fujian's budget block.
    BudgetArrangement,
    /// `资金总额`: Fujian's total.
    FundTotal,
    MoneyItem,
    BudgetColumn,
    ShareColumn,
    PriorColumn,
    // The texts.
    Functions,
    Tasks,
    LongTermGoal,
    AnnualGoal,
    OverallGoals,
    // Fujian's 年度履职目标.
    Duties,
    DutyFunction,
    DutyTask,
    DutyProject,
    DutyAmount,
    // The indicator tables.
    IndicatorBanner,
    Level1,
    Level2,
    Name,
    /// `指标值`: the target where it stands alone, the parent of the prior values and the
    /// target in the sample's two-row header.
    Value,
    PriorValues,
    Target,
    Standard,
    ValueKind,
    MeasureUnit,
    Explanation,
    Remark,
}

/// Every concept with all its labels, as `key` writes them.
pub const WORDS: &[(Concept, &[&str])] = &[
    (
        Concept::Department,
        &[
            "部门名称",
            "部门(单位)名称",
            "单位名称",
            "部门(单位)",
            "部门单位名称",
            "预算部门",
            "预算单位",
            "预算单位名称",
            "部门(单位)全称",
            "填报单位",
        ],
    ),
    (Concept::FilledBy, &["填报人", "填表人", "经办人"]),
    (Concept::Phone, &["联系电话", "电话", "联系方式"]),
    (Concept::FillDate, &["填报日期", "填表日期"]),
    (
        Concept::BudgetCode,
        &["部门预算编码", "预算编码", "部门编码", "单位编码"],
    ),
    (Concept::BudgetYear, &["预算年度"]),
    (
        Concept::MoneyTitle,
        &[
            "部门总体资金情况",
            "总体资金情况",
            "部门资金情况",
            "资金情况",
        ],
    ),
    (Concept::IncomeGroup, &["收入构成", "部门收入预算"]),
    (Concept::ExpenditureGroup, &["支出构成", "部门支出预算"]),
    (
        Concept::FiscalAppropriation,
        &[
            "财政拨款",
            "财政拨款收入",
            "财政资金",
            "一般公共预算财政拨款",
            "一般公共预算拨款",
        ],
    ),
    (Concept::OtherFunds, &["其他资金", "其他收入"]),
    (Concept::IncomeTotal, &["收入合计"]),
    (Concept::Basic, &["基本支出"]),
    (Concept::Project, &["项目支出"]),
    (Concept::ExpenditureTotal, &["支出合计"]),
    (Concept::Total, &["合计", "总计"]),
    (Concept::BudgetArrangement, &["年度预算安排", "预算安排"]),
    (Concept::FundTotal, &["资金总额", "预算总额"]),
    (Concept::MoneyItem, &["收入项目", "支出项目"]),
    (
        Concept::BudgetColumn,
        &[
            "当年预算收支",
            "当年金额",
            "当年预算",
            "当年预算数",
            "预算数",
            "当年预算金额",
            "金额",
        ],
    ),
    (
        Concept::ShareColumn,
        &["占比", "比重", "比例", "所占比例", "构成比例", "占总额比例"],
    ),
    (
        Concept::PriorColumn,
        &[
            "近两年收支情况",
            "近两年收支金额",
            "近两年收支",
            "前两年收支情况",
            "前两年实际收入",
            "前两年实际支出",
            "近两年实际收入",
            "近两年实际支出",
            "前两年实际收支",
            "近两年实际收支",
        ],
    ),
    (
        Concept::Functions,
        &[
            "部门职能概述",
            "部门(单位)职责",
            "部门职责",
            "职能概述",
            "主要职能",
        ],
    ),
    (
        Concept::Tasks,
        &[
            "年度工作任务",
            "年度主要任务",
            "年度重点工作任务",
            "主要任务",
        ],
    ),
    (Concept::LongTermGoal, &["长期目标", "中长期目标"]),
    (Concept::AnnualGoal, &["年度目标"]),
    (
        Concept::OverallGoals,
        &[
            "整体绩效目标",
            "年度总体目标",
            "年度总体绩效目标",
            "总体绩效目标",
            "部门整体绩效目标",
            "年度绩效目标",
        ],
    ),
    (Concept::Duties, &["年度履职目标"]),
    (Concept::DutyFunction, &["部门职能"]),
    (Concept::DutyTask, &["年度目标任务", "目标任务"]),
    (Concept::DutyProject, &["支出项目名称", "项目名称"]),
    (Concept::DutyAmount, &["预算金额"]),
    (Concept::IndicatorBanner, &["年度绩效指标", "绩效指标"]),
    (Concept::Level1, &["一级指标"]),
    (Concept::Level2, &["二级指标"]),
    (
        Concept::Name,
        &["三级指标", "指标名称", "指标", "指标内容", "绩效指标名称"],
    ),
    (Concept::Value, &["指标值"]),
    (
        Concept::PriorValues,
        &[
            "近两年指标值",
            "前两年指标值",
            "近两年实际值",
            "前两年实际值",
        ],
    ),
    (
        Concept::Target,
        &[
            "预期当年实现值",
            "目标值",
            "当年指标值",
            "年度指标值",
            "当年目标值",
            "预期目标值",
            "年度目标值",
        ],
    ),
    (
        Concept::Standard,
        &[
            "绩效标准",
            "评(扣)分标准",
            "评分标准",
            "扣分标准",
            "评分规则",
        ],
    ),
    (Concept::ValueKind, &["指标值类型", "指标性质"]),
    (Concept::MeasureUnit, &["计量单位", "度量单位"]),
    (Concept::Explanation, &["指标解释", "指标说明"]),
    (Concept::Remark, &["备注"]),
];

/// The words that tell the layouts apart (`layouts::detect`). The hubei family is the default:
/// its reader decides on its own whether a grid holds anything of the form at all.
pub const HUNAN_WORDS: &[&str] = &["指标值类型"];
pub const FUJIAN_WORDS: &[&str] = &["部门预算编码", "年度履职目标", "资金总额"];
pub const HUBEI_PDF_WORDS: &[&str] = &["当年金额", "近两年收支金额", "填报日期"];

/// The columns of an indicator table: a header row names at least a level and a name among them.
pub const INDICATOR_COLUMNS: &[Concept] = &[
    Concept::IndicatorBanner,
    Concept::Level1,
    Concept::Level2,
    Concept::Name,
    Concept::Value,
    Concept::PriorValues,
    Concept::Target,
    Concept::Standard,
    Concept::ValueKind,
    Concept::MeasureUnit,
    Concept::Explanation,
    Concept::Remark,
];

/// The value columns of the budget table.
pub const MONEY_COLUMNS: &[Concept] = &[
    Concept::BudgetColumn,
    Concept::ShareColumn,
    Concept::PriorColumn,
];

/// The columns of Fujian's 年度履职目标 table.
pub const DUTY_COLUMNS: &[Concept] = &[
    Concept::DutyFunction,
    Concept::DutyTask,
    Concept::DutyProject,
    Concept::DutyAmount,
];

/// Every word of `WORDS` to its concept, built once: the reader asks of every cell.
static INDEX: std::sync::LazyLock<rustc_hash::FxHashMap<&'static str, Concept>> =
    std::sync::LazyLock::new(|| index(WORDS));

/// A form kind's vocabulary (its concepts, each with its words) as a lookup from word to
/// concept; the last concept wins a word named twice (each kind's tests forbid that).
pub fn index<C: Copy>(
    vocabulary: &'static [(C, &'static [&'static str])],
) -> rustc_hash::FxHashMap<&'static str, C> {
    vocabulary
        .iter()
        .flat_map(|(c, words)| words.iter().map(move |w| (*w, *c)))
        .collect()
}

/// Longer cells are text, not labels: 64 Chinese characters.
const MAX_LABEL_BYTES: usize = 192;

/// A cell's label as the vocabulary compares it: `text::label` (half-width, no padding, no
/// leading `*` or trailing colon) with brackets and colons of every width unified, without a
/// leading `其中：` or a trailing unit note.
pub fn key(cell: &str) -> String {
    // No label is this long: a paragraph of text is not keyed (the reader keys every cell).
    if cell.len() > MAX_LABEL_BYTES {
        return String::new();
    }
    let mut l = if keyed_as_is(cell) {
        cell.to_owned()
    } else {
        unify(cell)
    };
    trim_colons(&mut l);
    // `其中：基本支出`: a part named as such.
    if l.len() > "其中:".len() && l.starts_with("其中:") {
        l.drain(.."其中:".len());
    }
    // A unit note after a label (`预算金额(万元)`, `部门总体资金情况 单位:万元`).
    for note in ["单位:万元", "(单位:万元)", "(万元)", "(元)", "(%)"] {
        if l.len() > note.len() && l.ends_with(note) {
            l.truncate(l.len() - note.len());
            trim_colons(&mut l);
        }
    }
    l
}

/// `key`'s characters: one pass, one allocation (every cell of every form is keyed, once,
/// `RawRow::keys`).
fn unify(cell: &str) -> String {
    let mut l = String::with_capacity(cell.len());
    for c in cell.chars() {
        let c = match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            '\u{3000}' => ' ',
            '【' | '〔' | '〈' | '﹙' => '(',
            '】' | '〕' | '〉' | '﹚' => ')',
            '﹕' | '︰' => ':',
            _ => c,
        };
        let leading_star = l.is_empty() && c == '*';
        if !(crate::text::is_padding(c) || leading_star) {
            l.push(c);
        }
    }
    l
}

/// Whether `unify` would leave every character of the cell as it is — most cells: Chinese,
/// digits and Latin letters — told from its bytes alone (a character at a time was the
/// reader's largest cost after splitting rows). None starts a character `unify` maps or drops:
/// ASCII whitespace, a leading `*`, or the lead byte of U+0080–U+00BF (NEL, no-break space),
/// U+1000–U+1FFF (U+1680), U+2000–U+2FFF (the spaces, zero-widths and separators),
/// U+3000–U+3FFF (the ideographic space, `【】〔〕〈〉`) or U+F000–U+FFFF (full-width
/// forms, `﹙﹚﹕︰`, the byte-order mark). Those cells, and any with other characters of
/// those blocks, go through `unify`.
fn keyed_as_is(cell: &str) -> bool {
    let b = cell.as_bytes();
    b.first() != Some(&b'*')
        && !b.iter().any(|&x| {
            matches!(
                x,
                b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' | 0xc2 | 0xe1 | 0xe2 | 0xe3 | 0xef
            )
        })
}

fn trim_colons(l: &mut String) {
    let end = l.trim_end_matches(':').len();
    l.truncate(end);
}

/// What a label cell names, if it is one of the vocabulary's labels.
#[cfg(test)]
pub fn concept(cell: &str) -> Option<Concept> {
    concept_of_key(&key(cell))
}

/// `concept` of a label already keyed. A leading year (`2020年预算数`) names the column of
/// that year: the budget column where the rest is one.
pub fn concept_of_key(key: &str) -> Option<Concept> {
    let exact = |k: &str| INDEX.get(k).copied();
    exact(key).or_else(|| {
        let (digits, rest) = key.split_at_checked(4)?;
        let rest = rest.strip_prefix('年')?;
        let year_prefix = digits.bytes().all(|b| b.is_ascii_digit()) && !rest.starts_with('度');
        year_prefix
            .then(|| exact(rest))
            .flatten()
            .filter(|c| *c == Concept::BudgetColumn)
    })
}

/// The labels a concept is known by, for messages.
pub fn words(concept: Concept) -> &'static [&'static str] {
    WORDS
        .iter()
        .find(|(c, _)| *c == concept)
        .map_or(&[], |(_, w)| *w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_compare_normalised() {
        assert_eq!(concept("评（扣）分标准"), Some(Concept::Standard));
        assert_eq!(concept("评(扣)分标准"), Some(Concept::Standard));
        assert_eq!(concept("当年 金额"), Some(Concept::BudgetColumn));
        assert_eq!(concept("当年\n预算收支"), Some(Concept::BudgetColumn));
        assert_eq!(concept("*指标值"), Some(Concept::Value));
        assert_eq!(concept("* 指标值"), Some(Concept::Value));
        assert_eq!(concept("部门名称："), Some(Concept::Department));
        assert_eq!(concept("部门【单位】名称"), Some(Concept::Department));
        assert_eq!(concept("2020年预算数"), Some(Concept::BudgetColumn));
        assert_eq!(concept("预算金额（万元）"), Some(Concept::DutyAmount));
        assert_eq!(
            concept("年度预算安排(万元)"),
            Some(Concept::BudgetArrangement)
        );
        assert_eq!(
            concept("部门总体 资金情况 单位:万元"),
            Some(Concept::MoneyTitle)
        );
        assert_eq!(concept("其中：基本支出"), Some(Concept::Basic));
        assert_eq!(concept("2020年度"), None);
        assert_eq!(concept("金秋助学"), None);
    }

    /// A cell `keyed_as_is` lets through keys as `unify` keys it: every character of the
    /// blocks it screens by lead byte, and random cells of them beside Chinese and ASCII.
    #[test]
    fn a_cell_keyed_as_is_is_what_unify_makes() {
        let mut odd: Vec<char> = (0x80..0x100)
            .chain(0x1600..0x1700)
            .chain(0x2000..0x2100)
            .chain(0x3000..0x3100)
            .chain(0xfe00..0x10000)
            .filter_map(char::from_u32)
            .collect();
        odd.extend([
            '\t', '\n', '\x0b', '\x0c', '\r', ' ', '*', ':', '：', '(', '（',
        ]);
        let plain: Vec<char> = "预算金额万元部门指标值abcXYZ019-_.%《》“”、。，"
            .chars()
            .collect();
        for &c in odd.iter().chain(&plain) {
            for text in [
                c.to_string(),
                format!("*{c}"),
                format!("部门{c}名称"),
                format!("{c}x"),
            ] {
                if keyed_as_is(&text) {
                    assert_eq!(unify(&text), text, "{:?}", c as u32);
                }
            }
        }
        let mut state: u32 = 0x2545_f491;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as usize
        };
        let mut as_is = 0;
        for _ in 0..20_000 {
            let text: String = (0..next() % 8)
                .map(|_| {
                    if next() % 4 == 0 {
                        odd[next() % odd.len()]
                    } else {
                        plain[next() % plain.len()]
                    }
                })
                .collect();
            if keyed_as_is(&text) {
                as_is += 1;
                assert_eq!(unify(&text), text, "{text:?}");
            }
        }
        assert!(
            as_is > 2_000,
            "{as_is} of the random cells keyed as they are"
        );
        assert!(keyed_as_is("一般公共预算财政拨款2020"));
        assert!(!keyed_as_is("预算金额（万元）"));
    }

    #[test]
    fn every_word_names_one_concept() {
        let mut seen = std::collections::BTreeMap::new();
        for (concept, words) in WORDS {
            for w in *words {
                assert_eq!(key(w), *w, "{w} is not written as key writes it");
                if let Some(other) = seen.insert(*w, *concept) {
                    panic!("{w} names both {other:?} and {concept:?}");
                }
            }
        }
    }
}
