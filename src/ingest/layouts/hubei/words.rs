//! What the hubei forms' labels and cells look like: the title and its budget year, year
//! headers, goal headers (`年度目标1`, `目标一`), `名称：值` cells, and the taxonomy words of
//! its indicator tables.

use super::super::vocab::{concept_of_key, key, Concept};
use crate::ingest::cells::{self, paragraphs, RawRow};

/// Where the form's name stands in a label. Asked of every row's first label, most of them
/// shorter than the name: `str::find` would prepare its search for every one.
fn find_form_name(label: &str) -> Option<usize> {
    static FINDER: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(crate::model::FORM_NAME));
    if label.len() < crate::model::FORM_NAME.len() {
        return None;
    }
    FINDER.find(label.as_bytes())
}

/// A cell that is the form's title, with at most a year and a few marks around it — not a
/// sentence that mentions the form (a README, a covering letter).
pub(super) fn is_title(label: &str) -> bool {
    let Some(at) = find_form_name(label) else {
        return false;
    };
    let rest = label[..at]
        .chars()
        .chain(label[at + crate::model::FORM_NAME.len()..].chars());
    let mut extra = 0;
    for c in rest {
        extra += 1;
        let decoration = c.is_ascii_digit()
            || matches!(
                c,
                '年' | '度'
                    | '('
                    | ')'
                    | '《'
                    | '》'
                    | '“'
                    | '”'
                    | '"'
                    | '-'
                    | '_'
                    | '表'
                    | '（'
                    | '）'
            );
        if !decoration || extra > 16 {
            return false;
        }
    }
    true
}

/// `2020年度部门整体支出绩效目标申报表` → `Some(Some(2020))`.
pub(super) fn title_year(label: &str) -> Option<Option<i32>> {
    let at = find_form_name(label)?;
    let before = label[..at].trim_end_matches('度').trim_end_matches('年');
    let digits: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if digits.len() == 4 && is_title(label) {
        Some(
            digits
                .parse()
                .ok()
                .filter(|&y| crate::model::is_plausible_year(y)),
        )
    } else {
        None
    }
}

/// `2020年预算数`: the budget year named by the budget column's header.
pub(super) fn budget_column_year(cell: &str) -> Option<i32> {
    let l = crate::text::label(cell);
    let (digits, rest) = l.split_at_checked(4)?;
    let rest = rest.strip_prefix('年')?;
    let names_budget = super::super::vocab::concept_of_key(rest)
        == Some(super::super::vocab::Concept::BudgetColumn);
    names_budget
        .then(|| super::super::header::four_digit_year(digits))
        .flatten()
}

/// Whether a text numbers its goals (`目标1：…`).
pub(super) fn has_goal_markers(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    (0..chars.len().saturating_sub(2)).any(|i| {
        chars[i] == '目'
            && chars[i + 1] == '标'
            && cells::leading_number(&chars[i + 2..])
                .is_some_and(|(_, used)| matches!(chars.get(i + 2 + used), Some(':' | '：')))
    })
}

/// `年度目标1` / `年度目标1:金秋助学` → (1, whether a name follows in the same cell).
pub(super) fn goal_header(label: &str) -> Option<(u32, Option<()>)> {
    let rest = label.strip_prefix("年度目标")?;
    let chars: Vec<char> = rest.chars().collect();
    let (number, used) = cells::leading_number(&chars)?;
    let after: String = chars[used..].iter().collect();
    let after = after.trim_start_matches(':');
    Some((number, (!after.is_empty()).then_some(())))
}

/// `部门名称：甲局` in one cell → (the concept its label names, `甲局`): a colon must separate
/// the label from the value, and the label compares as `vocab::key` writes it.
pub(super) fn inline_value(cell: &str) -> Option<(Concept, String)> {
    let (label, rest) = cell.split_once([':', '：'])?;
    // A label is short; a long text with a colon in it is not one.
    if label.chars().count() > 16 {
        return None;
    }
    let concept = concept_of_key(&key(label))?;
    let value = rest.trim();
    (!value.is_empty()).then(|| (concept, value.to_owned()))
}

/// The value of a head label at `index`: the next filled cell, unless that is another label
/// of the head.
pub(super) fn value_after(
    row: &RawRow,
    labels: &[String],
    index: usize,
    head: &[super::super::vocab::Concept],
) -> Option<String> {
    let (i, value) = row.next_filled(index)?;
    let is_other_label =
        super::super::vocab::concept_of_key(&labels[i]).is_some_and(|c| head.contains(&c));
    (!is_other_label).then(|| value.to_owned())
}

pub(super) fn paragraphs_after(row: &RawRow, index: usize) -> Vec<String> {
    row.cells[index + 1..]
        .iter()
        .filter(|c| !c.is_empty())
        .flat_map(|c| paragraphs(c))
        .collect()
}

/// The non-empty cells in `from..to`, joined by a space.
pub(super) fn joined(row: &RawRow, from: usize, to: usize) -> Option<String> {
    joined_by(row, from, to, " ")
}

/// The non-empty cells in `from..to`, joined by a line break.
pub(super) fn joined_lines(row: &RawRow, from: usize, to: usize) -> Option<String> {
    joined_by(row, from, to, "\n")
}

fn joined_by(row: &RawRow, from: usize, to: usize, separator: &str) -> Option<String> {
    let parts: Vec<&str> = row
        .cells
        .get(from..to.min(row.cells.len()))?
        .iter()
        .filter(|c| !c.is_empty())
        .map(String::as_str)
        .collect();
    (!parts.is_empty()).then(|| parts.join(separator))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_titles_years_and_goal_headers() {
        assert_eq!(
            title_year("2020年度部门整体支出绩效目标申报表"),
            Some(Some(2020))
        );
        assert_eq!(title_year("部门整体支出绩效目标申报表"), None);
        assert!(is_title("(2020年度)部门整体支出绩效目标申报表"));
        assert!(!is_title("它把`部门整体支出绩效目标申报表`变成网站"));
        assert_eq!(
            title_year("见2020年度部门整体支出绩效目标申报表的说明"),
            None
        );
        assert_eq!(title_year("0000年度部门整体支出绩效目标申报表"), Some(None));
        assert_eq!(goal_header("年度目标12"), Some((12, None)));
        assert_eq!(goal_header("年度目标1:金秋助学"), Some((1, Some(()))));
        assert_eq!(goal_header("年度目标"), None);
        let named = |v: &str| Some((Concept::Department, v.to_owned()));
        assert_eq!(inline_value("部门名称：甲局"), named("甲局"));
        assert_eq!(inline_value("部门名称: 甲局 "), named("甲局"));
        assert_eq!(inline_value("部门名称甲局"), None);
        assert_eq!(inline_value("部门名称："), None);
        assert_eq!(inline_value("部门（单位） 名称：甲局"), named("甲局"));
        assert_eq!(goal_header("年度目标三:党建"), Some((3, Some(()))));
        assert_eq!(budget_column_year("2020年预算数"), Some(2020));
        assert_eq!(budget_column_year("2019年"), None);
        assert!(has_goal_markers("目标1：甲 目标2：乙"));
        assert!(!has_goal_markers("做好工作"));
    }
}
