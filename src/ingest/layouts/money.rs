//! The budget table of the hubei family, read through its header: `当年预算收支` (or
//! `当年金额`, `2020年预算数`), `占比` and the prior years (`近两年收支情况` over a row of years) in
//! whatever order and span the form has them; a row that lost leading cells to a merge is
//! aligned by what its cells hold (a share where `占比` stands). Shares come as the form wrote
//! them: `93.58%`, `93.58`, or the fraction behind a percent format, with float noise
//! (`shares_from_fractions` decides which).

use super::header::{Column, ColumnMap, DataCell};
use super::vocab::{Concept, MONEY_COLUMNS};
use crate::ingest::cells::{parse_amount, RawRow};
use crate::model::{Declaration, Row};

/// The columns of a budget table's header row, if it is one: it names two of the budget, the
/// share and the prior years.
pub fn money_header(labels: &[String]) -> Option<ColumnMap> {
    ColumnMap::from_labels(labels, MONEY_COLUMNS, 2)
}

/// The official template's columns right of a row label at `label`: where a form has no
/// header row, the values follow in the sample's order.
pub fn default_map(label: usize, years: &[i32]) -> ColumnMap {
    let mut columns = vec![
        Column {
            concept: Concept::BudgetColumn,
            year: None,
            start: label + 1,
            end: label + 2,
        },
        Column {
            concept: Concept::ShareColumn,
            year: None,
            start: label + 2,
            end: label + 3,
        },
    ];
    for (k, &y) in years.iter().enumerate() {
        columns.push(Column {
            concept: Concept::PriorColumn,
            year: Some(y),
            start: label + 3 + k,
            end: label + 4 + k,
        });
    }
    ColumnMap { columns }
}

/// The value cells of a budget row right of its label at `label`, by column: (budget, share,
/// [(year, cell)]).
pub fn money_cells<'r>(
    map: &ColumnMap,
    row: &'r RawRow,
    label: usize,
) -> (Option<&'r str>, Option<&'r str>, Vec<(i32, &'r str)>) {
    let (mut budget, mut share, mut prior) = (None, None, Vec::new());
    for (col, cell) in map.assign(row, label + 1, holds, fit) {
        match col.concept {
            Concept::BudgetColumn => budget = budget.or(Some(cell)),
            Concept::ShareColumn => share = share.or(Some(cell)),
            Concept::PriorColumn => {
                if let Some(y) = col.year {
                    prior.push((y, cell));
                }
            }
            _ => {}
        }
    }
    (budget, share, prior)
}

/// What a budget cell holds: (a share written with `%`, a number).
fn holds(cell: &DataCell) -> (bool, bool) {
    let cell = cell.raw;
    let percent = cell.trim_end().ends_with(['%', '％']);
    (
        percent,
        percent || matches!(parse_amount(cell), Ok(Some(_))),
    )
}

/// How well a value fits under a budget column: a share where `占比` stands, amounts elsewhere.
fn fit(col: &Column, &(percent, number): &(bool, bool)) -> i32 {
    match col.concept {
        Concept::ShareColumn if percent => 4,
        Concept::ShareColumn if number => 1,
        Concept::ShareColumn => -2,
        _ if percent => -4,
        _ if number => 2,
        _ => -1,
    }
}

/// A share written as a bare number (no `%`) is percentage points (`93.58`) or the fraction
/// behind a percent format (`0.9358`, `0.93580000000001`): whichever agrees with the row's
/// amount ÷ its own block's total (income rows by the income total, spending rows by the
/// spending total). A total's share of exactly 1 is 100%, and when a block's total share was
/// written as the fraction 1 its parts are fractions too (a wrong part is then reported by the
/// `share` rule in percent). A fraction shows as its percent format would: two decimals.
/// Anything else is left as written.
pub fn shares_from_fractions(decl: &mut Declaration, bare: &[Row]) {
    use rust_decimal::{Decimal, RoundingStrategy};
    let blocks = [
        [Row::FiscalAppropriation, Row::Other, Row::IncomeTotal],
        [Row::Basic, Row::Project, Row::ExpenditureTotal],
    ];
    let round2 = |d: Decimal| d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let tolerance = Decimal::new(1, 2);
    for rows in blocks {
        let total = decl.budget_line(rows[2]).budget;
        let total_is_fraction = bare.contains(&rows[2])
            && decl.budget_line(rows[2]).share_percent == Some(Decimal::ONE);
        for row in rows {
            let Some(share) = decl.budget_line(row).share_percent else {
                continue;
            };
            if !bare.contains(&row) || share > Decimal::ONE || share.is_sign_negative() {
                continue;
            }
            let fraction = if row == rows[2] {
                total_is_fraction
            } else {
                let amount = decl.budget_line(row).budget.unwrap_or_default();
                let computed = total
                    .filter(|t| !t.is_zero())
                    .and_then(|t| amount.checked_div(t))
                    .map(|r| round2(r * Decimal::ONE_HUNDRED));
                let agrees =
                    |pp: Decimal| computed.is_some_and(|c| (round2(pp) - c).abs() <= tolerance);
                (agrees(share * Decimal::ONE_HUNDRED) && !agrees(share)) || total_is_fraction
            };
            if fraction {
                let pp = (share * Decimal::ONE_HUNDRED).normalize();
                let pp = if pp.scale() > 2 {
                    round2(pp).normalize()
                } else {
                    pp
                };
                decl.budget_line_mut(row).share_percent = Some(pp);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    const BARE: [Row; 3] = [Row::Basic, Row::Project, Row::ExpenditureTotal];

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
        shares_from_fractions(&mut a, &BARE);
        assert_eq!(a.budget_line(Row::Basic).share_percent, d("93.58"));
        assert_eq!(a.budget_line(Row::ExpenditureTotal).share_percent, d("100"));
        // Without a total's share the parts must agree with their amounts.
        let mut b = decl([d("0.9358"), d("0.0642"), None]);
        shares_from_fractions(&mut b, &BARE);
        assert_eq!(b.budget_line(Row::Project).share_percent, d("6.42"));
        // Percentage points, or fractions that match nothing, stay as written.
        let mut c = decl([d("93.58"), d("6.42"), d("100")]);
        shares_from_fractions(&mut c, &BARE);
        assert_eq!(c.budget_line(Row::Basic).share_percent, d("93.58"));
        let mut e = decl([d("0.5"), d("0.5"), None]);
        shares_from_fractions(&mut e, &BARE);
        assert_eq!(e.budget_line(Row::Basic).share_percent, d("0.5"));
        // One share typed as text, the others as fractions: each is judged on its own.
        let mut f = decl([d("93.58"), d("0.0642"), d("1")]);
        shares_from_fractions(&mut f, &BARE);
        assert_eq!(f.budget_line(Row::Basic).share_percent, d("93.58"));
        assert_eq!(f.budget_line(Row::Project).share_percent, d("6.42"));
        assert_eq!(f.budget_line(Row::ExpenditureTotal).share_percent, d("100"));
    }

    #[test]
    fn float_noise_and_the_share_written_with_percent_stay_apart() {
        // A formula's fraction with float noise shows as its percent format would.
        let mut a = decl([d("0.93580518447417"), d("0.06419481552583"), d("1")]);
        shares_from_fractions(&mut a, &BARE);
        assert_eq!(a.budget_line(Row::Basic).share_percent, d("93.58"));
        assert_eq!(a.budget_line(Row::Project).share_percent, d("6.42"));
        // A share written `0.5%` is half a percent, whatever the amounts say.
        let mut b = decl([d("0.9358"), d("0.5"), None]);
        shares_from_fractions(&mut b, &[Row::Basic]);
        assert_eq!(b.budget_line(Row::Basic).share_percent, d("93.58"));
        assert_eq!(b.budget_line(Row::Project).share_percent, d("0.5"));
    }

    fn keys(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| super::super::vocab::key(c)).collect()
    }

    fn row(cells: &[&str]) -> RawRow {
        RawRow::new(1, cells.iter().map(|c| c.to_string()).collect())
    }

    #[test]
    fn budget_cells_are_read_through_the_header_in_its_order() {
        // The PDF print: 当年金额, the two prior years, then 占比.
        let mut map = money_header(&keys(&[
            "",
            "总体资金情况",
            "",
            "当年金额",
            "近两年收支金额",
            "",
            "占比",
        ]))
        .unwrap();
        map.split_years(Some(&row(&["", "", "", "", "年", "年"])), Some(2022));
        let data = row(&["", "收入构成", "财政拨款", "1540.9", "10", "20", "100.00%"]);
        let (budget, share, prior) = money_cells(&map, &data, 2);
        assert_eq!(budget, Some("1540.9"));
        assert_eq!(share, Some("100.00%"));
        assert_eq!(prior, [(2021, "10"), (2020, "20")]);
    }

    #[test]
    fn a_text_row_that_lost_cells_to_a_merge_is_aligned_by_its_share() {
        // The sample: the spending total lost its two leading cells and gained one after
        // its label.
        let mut map = money_header(&keys(&[
            "部门总体资金情况 (万元)",
            "总体资金情况",
            "",
            "当年预算收支",
            "占比",
            "近两年收支情况",
            "",
        ]))
        .unwrap();
        map.split_years(
            Some(&row(&["", "", "", "", "", "2019年", "2018年"])),
            Some(2020),
        );
        let data = row(&["合计", "", "286.41", "100%", "234.35", "231.55", ""]);
        let (budget, share, prior) = money_cells(&map, &data, 0);
        assert_eq!(budget, Some("286.41"));
        assert_eq!(share, Some("100%"));
        assert_eq!(prior, [(2019, "234.35"), (2018, "231.55")]);
    }
}
