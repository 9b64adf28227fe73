//! The budget table of the hubei family: which cells after a row's label hold the budget,
//! the share and the prior years (the sample's order, and the PDF print's with `占比` last), and
//! shares that a workbook without known number formats stores as fractions.

use crate::model::{Declaration, Row};

/// The order of the budget table's value columns after a row's label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MoneyOrder {
    /// The sample: `当年预算收支`, `占比`, then the prior years.
    #[default]
    BudgetShareYears,
    /// The PDF print: `当年金额`, the prior years, then `占比`.
    BudgetYearsShare,
}

/// The cells after a budget label: budget, share, then the prior years. A share written with
/// `%` anchors the row; otherwise a row that lost a leading cell keeps its last values.
pub fn money_values(after: &[String]) -> Vec<String> {
    let is_share = |c: &String| c.ends_with('%') || c.ends_with('％');
    if let Some(p) = after.iter().position(is_share) {
        let mut out = Vec::new();
        out.push(if p > 0 {
            after[p - 1].clone()
        } else {
            String::new()
        });
        out.extend(after[p..].iter().cloned());
        return out;
    }
    let end = after
        .iter()
        .rposition(|c| !c.is_empty())
        .map_or(0, |i| i + 1);
    let trimmed = &after[..end];
    let expected = 4;
    if trimmed.len() > expected {
        trimmed[trimmed.len() - expected..].to_vec()
    } else {
        trimmed.to_vec()
    }
}

/// The cells after a budget label in the PDF order (budget, `years` prior years, share),
/// returned in the sample's order (budget, share, prior years). A share written with `%`
/// anchors the row; otherwise the values are the last ones before the right edge.
pub fn money_values_share_last(after: &[String], years: usize) -> Vec<String> {
    let is_share = |c: &String| c.ends_with('%') || c.ends_with('％');
    let width = years + 2;
    let values: Vec<String> = match after.iter().position(is_share) {
        Some(p) => {
            let start = (p + 1).saturating_sub(width);
            let mut v: Vec<String> = after[start..=p].to_vec();
            while v.len() < width {
                v.insert(0, String::new());
            }
            v
        }
        None => {
            let end = after
                .iter()
                .rposition(|c| !c.is_empty())
                .map_or(0, |i| i + 1);
            let start = end.saturating_sub(width);
            let mut v: Vec<String> = after[start..end].to_vec();
            v.resize(width, String::new());
            v
        }
    };
    let mut out = Vec::with_capacity(width);
    out.push(values[0].clone());
    out.push(values[width - 1].clone());
    out.extend(values[1..width - 1].iter().cloned());
    out
}

/// In a workbook whose number formats are not known (`.xls`, `.ods`), a share cell may hold
/// the fraction behind its percent format (`0.9358` for `93.58%`), while another share of the
/// same form was typed as text (`93.58%`). Each share is judged on its own: a total's share of
/// exactly 1 is 100%; a part's share of at most 1 is a fraction when it is its amount ÷ the
/// total, or when the block's total share was written as the fraction 1 (then a wrong part is
/// reported by the `share` rule in percent). Anything else is left as written.
pub fn shares_from_fractions(decl: &mut Declaration) {
    use rust_decimal::Decimal;
    let blocks = [
        [Row::FiscalAppropriation, Row::Other, Row::IncomeTotal],
        [Row::Basic, Row::Project, Row::ExpenditureTotal],
    ];
    let tolerance = Decimal::new(1, 4);
    for rows in blocks {
        let total = decl.budget_line(rows[2]).budget;
        let total_is_fraction = decl.budget_line(rows[2]).share_percent == Some(Decimal::ONE);
        for row in rows {
            let Some(share) = decl.budget_line(row).share_percent else {
                continue;
            };
            if share > Decimal::ONE || share.is_sign_negative() {
                continue;
            }
            let fraction = if row == rows[2] {
                total_is_fraction
            } else {
                let amount = decl.budget_line(row).budget.unwrap_or_default();
                let agrees = total
                    .filter(|t| !t.is_zero())
                    .and_then(|t| amount.checked_div(t))
                    .is_some_and(|ratio| (ratio - share).abs() <= tolerance);
                agrees || total_is_fraction
            };
            if fraction {
                decl.budget_line_mut(row).share_percent =
                    Some((share * Decimal::ONE_HUNDRED).normalize());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn d(s: &str) -> Option<Decimal> {
        Some(s.parse().unwrap())
    }

    fn decl(shares: [Option<Decimal>; 3]) -> Declaration {
        let mut decl = Declaration::new();
        for (row, (amount, share)) in [Row::Basic, Row::Project, Row::ExpenditureTotal]
            .into_iter()
            .zip(
                [d("268.03"), d("18.38"), d("286.41")]
                    .into_iter()
                    .zip(shares),
            )
        {
            decl.budget_line_mut(row).budget = amount;
            decl.budget_line_mut(row).share_percent = share;
        }
        decl
    }

    #[test]
    fn shares_behind_a_percent_format_become_percentage_points() {
        let mut a = decl([d("0.9358"), d("0.0642"), d("1")]);
        shares_from_fractions(&mut a);
        assert_eq!(a.budget_line(Row::Basic).share_percent, d("93.58"));
        assert_eq!(a.budget_line(Row::ExpenditureTotal).share_percent, d("100"));
        // Without a total's share the parts must agree with their amounts.
        let mut b = decl([d("0.9358"), d("0.0642"), None]);
        shares_from_fractions(&mut b);
        assert_eq!(b.budget_line(Row::Project).share_percent, d("6.42"));
        // Percentage points, or fractions that match nothing, stay as written.
        let mut c = decl([d("93.58"), d("6.42"), d("100")]);
        shares_from_fractions(&mut c);
        assert_eq!(c.budget_line(Row::Basic).share_percent, d("93.58"));
        let mut e = decl([d("0.5"), d("0.5"), None]);
        shares_from_fractions(&mut e);
        assert_eq!(e.budget_line(Row::Basic).share_percent, d("0.5"));
        // One share typed as text, the others as fractions: each is judged on its own.
        let mut f = decl([d("93.58"), d("0.0642"), d("1")]);
        shares_from_fractions(&mut f);
        assert_eq!(f.budget_line(Row::Basic).share_percent, d("93.58"));
        assert_eq!(f.budget_line(Row::Project).share_percent, d("6.42"));
        assert_eq!(f.budget_line(Row::ExpenditureTotal).share_percent, d("100"));
    }

    #[test]
    fn money_values_follow_the_share_or_the_right_edge() {
        let v = |cells: &[&str]| cells.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            money_values(&v(&["", "286.41", "100%", "234.35", "231.55", ""])),
            v(&["286.41", "100%", "234.35", "231.55", ""])
        );
        assert_eq!(
            money_values(&v(&["", "286.41", "", "234.35", "231.55", ""])),
            v(&["286.41", "", "234.35", "231.55"])
        );
        assert_eq!(money_values(&v(&["", "", "", ""])), Vec::<String>::new());
        assert_eq!(money_values(&v(&["", "", "5", ""])), v(&["", "", "5"]));
    }
}
