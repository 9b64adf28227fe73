//! What the hubei forms' labels and cells look like: the title and its budget year, year
//! headers, goal headers (`年度目标1`, `目标一`), `名称：值` cells, and the taxonomy words of
//! its indicator tables.

use crate::ingest::cells::{self, paragraphs, RawRow};

/// A cell that is the form's title, with at most a year and a few marks around it — not a
/// sentence that mentions the form (a README, a covering letter).
pub(super) fn is_title(label: &str) -> bool {
    let Some(at) = label.find(crate::model::FORM_NAME) else {
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
    let at = label.find(crate::model::FORM_NAME)?;
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

/// `2019年` → 2019.
pub(super) fn year_cell(label: &str) -> Option<i32> {
    let digits = label.strip_suffix('年')?;
    if digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits
            .parse()
            .ok()
            .filter(|&y| crate::model::is_plausible_year(y))
    } else {
        None
    }
}

/// The prior years of a header row, as the columns will be read. A header that names a year
/// twice (a typo) cannot key two columns: with a known budget year the two years before it are
/// meant; otherwise the first of each year is kept.
pub(super) fn header_years(years: Vec<i32>, fiscal_year: Option<i32>) -> Vec<i32> {
    let mut seen = Vec::with_capacity(years.len());
    for &y in &years {
        if !seen.contains(&y) {
            seen.push(y);
        }
    }
    match fiscal_year {
        Some(fy) if seen.len() != years.len() => (1..=years.len() as i32).map(|k| fy - k).collect(),
        _ => seen,
    }
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

/// `部门名称：甲局` in one cell → `甲局` (a colon must separate the label from the value).
pub(super) fn inline_value(cell: &str, word: &str) -> Option<String> {
    let rest = cell.trim_start().strip_prefix(word)?;
    let rest = rest.trim_start();
    let value = rest
        .strip_prefix('：')
        .or_else(|| rest.strip_prefix(':'))?
        .trim();
    (!value.is_empty()).then(|| value.to_owned())
}

pub(super) fn value_after(row: &RawRow, labels: &[String], index: usize) -> Option<String> {
    let (i, value) = row.next_filled(index)?;
    let is_other_label = matches!(
        labels[i].as_str(),
        "填报人" | "联系电话" | "部门名称" | "填报日期"
    );
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
    let parts: Vec<&str> = row
        .cells
        .get(from..to.min(row.cells.len()))?
        .iter()
        .filter(|c| !c.is_empty())
        .map(String::as_str)
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// Level-1 categories of the taxonomy, with or without the trailing `指标`.
pub fn is_level1(label: &str) -> bool {
    matches!(
        label.strip_suffix("指标").unwrap_or(label),
        "产出" | "效益" | "满意度" | "成本"
    )
}

pub(super) fn is_known_level2(label: &str) -> bool {
    crate::model::taxonomy::all_level2().contains(&label.strip_suffix("指标").unwrap_or(label))
}

/// `_____指标`, `___`: a template row nobody filled.
pub(super) fn is_template_level2(label: &str) -> bool {
    let stem = label.strip_suffix("指标").unwrap_or(label);
    !stem.is_empty() && stem.chars().all(|c| matches!(c, '_' | '＿' | '-'))
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
        assert_eq!(year_cell("2019年"), Some(2019));
        assert_eq!(year_cell("0999年"), None);
        assert_eq!(title_year("0000年度部门整体支出绩效目标申报表"), Some(None));
        assert_eq!(header_years(vec![2019, 2019], Some(2020)), [2019, 2018]);
        assert_eq!(header_years(vec![2019, 2019], None), [2019]);
        assert_eq!(header_years(vec![2019, 2018], Some(2020)), [2019, 2018]);
        assert_eq!(goal_header("年度目标12"), Some((12, None)));
        assert_eq!(goal_header("年度目标1:金秋助学"), Some((1, Some(()))));
        assert_eq!(goal_header("年度目标"), None);
        assert_eq!(
            inline_value("部门名称：甲局", "部门名称").as_deref(),
            Some("甲局")
        );
        assert_eq!(
            inline_value("部门名称: 甲局 ", "部门名称").as_deref(),
            Some("甲局")
        );
        assert_eq!(inline_value("部门名称甲局", "部门名称"), None);
        assert_eq!(inline_value("部门名称：", "部门名称"), None);
        assert_eq!(goal_header("年度目标三:党建"), Some((3, Some(()))));
    }
}
