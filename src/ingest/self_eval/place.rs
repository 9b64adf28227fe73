//! Where a self-evaluation's data row stands under its header row. A text export loses a
//! row's leading empty cells under merged ranges (and so does a workbook saved from one), so
//! a row is placed by a shift: the execution block's by its label and the value columns its
//! cells fit (`execution_row`), an indicator row by its weight and score, else aligned from the
//! right, each checked against which cells hold numbers (`indicator_row`).

use super::vocabulary::Concept;
use crate::ingest::cells::{parse_amount, parse_share, RawRow};

/// A header row: where each concept's column stands, and how wide the row was.
#[derive(Debug, Clone)]
pub(super) struct Header {
    pub(super) width: usize,
    columns: Vec<(Concept, usize)>,
}

impl Header {
    pub(super) fn of(row: &RawRow, concepts: &[(usize, Concept)]) -> Header {
        let mut columns: Vec<(Concept, usize)> = Vec::new();
        for &(i, c) in concepts {
            if !columns.iter().any(|(x, _)| *x == c) {
                columns.push((c, i));
            }
        }
        Header {
            width: row.cells.len(),
            columns,
        }
    }

    pub(super) fn col(&self, c: Concept) -> Option<usize> {
        self.columns.iter().find(|(x, _)| *x == c).map(|(_, i)| *i)
    }

    /// The column of the row labels: before the first value column.
    pub(super) fn label_col(&self) -> usize {
        const VALUES: [Concept; 4] = [
            Concept::InitialBudget,
            Concept::AdjustedBudget,
            Concept::Executed,
            Concept::Weight,
        ];
        self.columns
            .iter()
            .filter(|(c, _)| VALUES.contains(c))
            .map(|(_, i)| *i)
            .min()
            .unwrap_or(1)
            .saturating_sub(1)
    }
}

/// A data row placed under its header: header column → the row's cell.
pub(super) struct Placed<'r> {
    row: &'r RawRow,
    shift: isize,
}

impl<'r> Placed<'r> {
    pub(super) fn cell(&self, col: Option<usize>) -> &'r str {
        col.and_then(|c| usize::try_from(c as isize + self.shift).ok())
            .and_then(|i| self.row.cells.get(i))
            .map_or("", |s| s.as_str())
    }
}

/// The shift that puts a data row's weight and score under the header's `分值`/`权重` and
/// `得分`: the row's last two plain numbers (`7`, `4.8`; not `162人`, `214万元`), when they
/// stand as far apart as those columns. `None` when the row has no such pair.
fn score_anchor(row: &RawRow, header: &Header) -> Option<isize> {
    let (weight, score) = (header.col(Concept::Weight)?, header.col(Concept::Score)?);
    let plain = |c: &str| {
        let t = c.trim();
        !t.is_empty()
            && t.chars()
                .all(|ch| ch.is_ascii_digit() || ch == '.' || ch == '-')
            && parse_amount(t).is_ok_and(|v| v.is_some())
    };
    let numbers: Vec<usize> = (0..row.cells.len())
        .filter(|&i| plain(&row.cells[i]))
        .collect();
    let [.., w, s] = numbers[..] else {
        return None;
    };
    (score > weight && s - w == score - weight).then(|| w as isize - weight as isize)
}

/// Where an execution row stands under its header. A text export may have lost the row's
/// leading cells (its label then stands left of the header's label column), and a label may be
/// merged across two cells (its values then start a cell further right): of the shift the
/// label gives, no shift, and one cell either side, the one whose cells fit the value columns
/// best wins — numbers anywhere, `—`/`/` in the weight, rate and score columns (the parts'),
/// never other text; ties go to the label's.
pub(super) fn execution_row<'r>(row: &'r RawRow, header: &Header, at: usize) -> Placed<'r> {
    const AMOUNTS: [Concept; 3] = [
        Concept::InitialBudget,
        Concept::AdjustedBudget,
        Concept::Executed,
    ];
    const POINTS: [Concept; 3] = [Concept::Weight, Concept::Rate, Concept::Score];
    let by_label = at as isize - header.label_col() as isize;
    let fit = |shift: isize| -> Option<usize> {
        let p = Placed { row, shift };
        let mut fit = 0;
        for c in AMOUNTS.iter().chain(&POINTS) {
            let cell = p.cell(header.col(*c)).trim();
            if cell.is_empty() {
                continue;
            }
            let dash = matches!(cell, "—" | "-" | "/" | "／" | "——");
            let number = if *c == Concept::Rate {
                parse_share(cell).is_ok()
            } else {
                parse_amount(cell).is_ok()
            };
            if dash {
                fit += usize::from(POINTS.contains(c));
            } else if number {
                fit += 1;
            } else {
                return None;
            }
        }
        Some(fit)
    };
    let mut best = (by_label, fit(by_label));
    for shift in [0, by_label + 1, by_label - 1] {
        let f = fit(shift);
        if f > best.1 {
            best = (shift, f);
        }
    }
    Placed { row, shift: best.0 }
}

/// Where a data row stands under `header`. A text export may have lost leading cells to
/// merged ranges, and so has a workbook saved from one (opened in Excel and saved as
/// `.xlsx`): the row is anchored on its weight and score (its last two plain numbers, as
/// far apart as the header's `分值` and `得分`), and otherwise a text export's row is
/// aligned from the right and a workbook's taken where it stands, each checked against
/// which cells hold numbers. Trailing empty cells prove nothing: exports drop them.
pub(super) fn indicator_row<'r>(
    row: &'r RawRow,
    header: &Header,
    total: bool,
    text_export: bool,
) -> Placed<'r> {
    let right = row.cells.len() as isize - header.width as isize;
    let plausible = |shift: isize| {
        let p = Placed { row, shift };
        let numeric = |c: Concept| {
            let cell = p.cell(header.col(c));
            cell.is_empty() || parse_amount(cell).is_ok()
        };
        let named = total
            || !p.cell(header.col(Concept::Name)).is_empty()
            || !p.cell(header.col(Concept::Target)).is_empty();
        let level1 = p.cell(header.col(Concept::Level1));
        named
            && numeric(Concept::Weight)
            && numeric(Concept::Score)
            && (level1.is_empty() || parse_amount(level1).is_err())
    };
    if let Some(shift) = score_anchor(row, header).filter(|s| plausible(*s)) {
        return Placed { row, shift };
    }
    if !text_export {
        return Placed { row, shift: 0 };
    }
    let shift = [right, 0, -1, 1, -2, 2]
        .into_iter()
        .find(|s| plausible(*s))
        .unwrap_or(right);
    Placed { row, shift }
}
