//! Header-driven tables: a table's header row(s) name its columns (`vocab`), a header cell
//! spans the empty cells to its right (a merged label keeps its value in its first cell), a
//! second header row refines the spans above it (`指标值` over `近两年指标值` and
//! `预期当年实现值`), and a row of years (`2019年`, or `年` with the number left blank) splits a
//! prior-years column into one column per year. Data rows are read through that map: each
//! cell goes to the column it fits, by what it holds and how little it moves (`assign`), so a
//! row that lost leading cells to a merge, or a column inserted, hidden or merged among the
//! values, still reads right — never by fixed offsets.
//!
//! Every form kind reads its tables here: the map is generic over the kind's vocabulary
//! (`Vocabulary`: the declaration's `vocab::Concept`, the self-evaluation's
//! `self_eval::vocabulary::Concept`), and each table brings its own `read`/`fit` pair to
//! `assign` (what a cell holds, how well that fits each of its columns), and where its rows
//! come apart from its header differently, its `Moves` (`assign_moving`).

use super::assign::{placer, search, unique_best, Problem};
pub use super::assign::{LostOnTheLeft, Moves, WholeRows};
use super::vocab::Concept;
use crate::ingest::cells::RawRow;

/// What the header reader needs of a form kind's vocabulary: the concept a label names, and
/// which concepts are columns of prior years. The declaration's `vocab::Concept` is one, the
/// self-evaluation's `self_eval::vocabulary::Concept` another; a third form kind brings its
/// own. The map is generic over it (monomorphised: no dispatch per cell).
pub trait Vocabulary: Copy + Eq + Ord + std::fmt::Debug + 'static {
    /// What a label names, keyed as `vocab::key` keys it (`RawRow::keys`).
    fn of_key(key: &str) -> Option<Self>;
    /// Each concept of a column of prior years (`近两年收支情况`) with the concept the same
    /// column is when headed by the budget year itself (`2020年实际数` in a form of 2020: the
    /// budget column), in the order a year-headed label (`2019年实际数`) looks for them among a
    /// table's columns. Empty for a form without prior years.
    const YEARLY: &'static [(Self, Self)];
}

impl Vocabulary for Concept {
    fn of_key(key: &str) -> Option<Concept> {
        super::vocab::concept_of_key(key)
    }
    const YEARLY: &'static [(Concept, Concept)] = &[
        (Concept::PriorColumn, Concept::BudgetColumn),
        (Concept::PriorValues, Concept::Target),
    ];
}

/// One column of a table: a concept over the cells `start..end` of a row, with its year where
/// the column is one of the prior years.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column<C = Concept> {
    pub concept: C,
    pub year: Option<i32>,
    pub start: usize,
    pub end: usize,
}

/// The columns of one table, left to right, from its header rows; `C` is the form kind's
/// vocabulary (the declaration's by default).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMap<C = Concept> {
    pub columns: Vec<Column<C>>,
}

impl<C> Default for ColumnMap<C> {
    fn default() -> Self {
        ColumnMap {
            columns: Vec::new(),
        }
    }
}

/// The end of a header's last column until the header is complete.
const OPEN: usize = usize::MAX;

/// A header cell of a year (`2019年`, `2019`, or `年` with the number left blank).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearCell {
    Year(i32),
    Blank,
}

/// `2019` → 2019: four ASCII digits of a plausible year.
pub fn four_digit_year(digits: &str) -> Option<i32> {
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits
        .parse()
        .ok()
        .filter(|&y| crate::model::is_plausible_year(y))
}

/// `2019年`, `2019年度`, `2019` → the year; `年` → a blank year.
pub fn year_cell(cell: &str) -> Option<YearCell> {
    let l = crate::text::label(cell);
    let digits = l.trim_end_matches('度').trim_end_matches('年');
    if digits.is_empty() {
        return (l == "年" || l == "年度").then_some(YearCell::Blank);
    }
    four_digit_year(digits).map(YearCell::Year)
}

/// A header cell that names a year's column itself (`2019年`, `2019年实际数`, `2019年指标值`):
/// a prior-years column of the table `allowed` describes. `cell` is keyed (`vocab::key`).
fn year_column<C: Vocabulary>(cell: &str, allowed: &[C]) -> Option<(C, i32)> {
    let (digits, rest) = cell.split_at_checked(4)?;
    let rest = rest.strip_prefix('年')?;
    let rest = rest.strip_prefix('度').unwrap_or(rest);
    const SUFFIXES: &[&str] = &[
        "",
        "实际",
        "实际数",
        "决算",
        "决算数",
        "执行数",
        "收支",
        "实际收支",
        "指标值",
        "实际值",
        "完成值",
    ];
    if !SUFFIXES.contains(&rest) {
        return None;
    }
    let year = four_digit_year(digits)?;
    C::YEARLY
        .iter()
        .map(|&(prior, _)| prior)
        .find(|c| allowed.contains(c))
        .map(|c| (c, year))
}

/// Whether a row is a row of year headers (and nothing else).
pub fn is_year_row(row: &RawRow) -> bool {
    let mut any = false;
    for c in row.cells.iter().filter(|c| !c.is_empty()) {
        if year_cell(c).is_none() {
            return false;
        }
        any = true;
    }
    any
}

impl<C: Vocabulary> ColumnMap<C> {
    /// The columns a header row names among `allowed`; `None` when it names fewer than
    /// `min` of them.
    #[cfg(test)]
    pub fn from_header(row: &RawRow, allowed: &[C], min: usize) -> Option<ColumnMap<C>> {
        ColumnMap::from_labels(row.keys(), allowed, min)
    }

    /// `from_header` of a row already keyed (`vocab::key` of each cell).
    pub fn from_labels<S: AsRef<str>>(
        labels: &[S],
        allowed: &[C],
        min: usize,
    ) -> Option<ColumnMap<C>> {
        let filled: Vec<usize> = (0..labels.len())
            .filter(|&i| !labels[i].as_ref().is_empty())
            .collect();
        let mut columns = Vec::new();
        for (k, &i) in filled.iter().enumerate() {
            let cell = labels[i].as_ref();
            let (c, year) = match C::of_key(cell).filter(|c| allowed.contains(c)) {
                Some(c) => (c, None),
                None => match year_column(cell, allowed) {
                    Some((c, y)) => (c, Some(y)),
                    None => continue,
                },
            };
            // The last column reaches as far as the rows below it show (`split_years`).
            let end = filled.get(k + 1).copied().unwrap_or(OPEN);
            columns.push(Column {
                concept: c,
                year,
                start: i,
                end,
            });
        }
        let distinct = {
            let mut cs: Vec<C> = columns.iter().map(|c| c.concept).collect();
            cs.sort();
            cs.dedup();
            cs.len()
        };
        (distinct >= min).then_some(ColumnMap { columns })
    }

    pub fn has(&self, concept: C) -> bool {
        self.columns.iter().any(|c| c.concept == concept)
    }

    /// Refines the map by a second header row: labels under a wider column split it
    /// (`指标值` → `近两年指标值` + `预期当年实现值`). Returns whether the row was one.
    pub fn refine(&mut self, row: &RawRow, allowed: &[C]) -> bool {
        let labelled: Vec<(usize, C)> = row
            .cells
            .iter()
            .zip(row.keys())
            .enumerate()
            .filter(|(_, (c, _))| !c.is_empty())
            .map(|(i, (_, k))| C::of_key(k).filter(|c| allowed.contains(c)).map(|c| (i, c)))
            .collect::<Option<_>>()
            .unwrap_or_default();
        if labelled.is_empty() {
            return false;
        }
        let mut out: Vec<Column<C>> = Vec::new();
        for parent in &self.columns {
            let children: Vec<&(usize, C)> = labelled
                .iter()
                .filter(|(i, _)| (parent.start..parent.end).contains(i))
                .collect();
            if children.is_empty() {
                out.push(*parent);
                continue;
            }
            if children[0].0 > parent.start {
                out.push(Column {
                    end: children[0].0,
                    ..*parent
                });
            }
            for (k, (i, c)) in children.iter().enumerate() {
                let end = children.get(k + 1).map_or(parent.end, |n| n.0);
                out.push(Column {
                    concept: *c,
                    year: None,
                    start: *i,
                    end,
                });
            }
        }
        self.columns = out;
        true
    }

    /// Splits the prior-years columns by a row of year cells. Blank years count back from
    /// the budget year; a column of prior years without a year row is split one year a cell.
    pub fn split_years(&mut self, row: Option<&RawRow>, fiscal_year: Option<i32>) {
        let mut out = Vec::new();
        for col in &self.columns {
            let Some(&(_, this_year)) = C::YEARLY.iter().find(|(prior, _)| *prior == col.concept)
            else {
                out.push(*col);
                continue;
            };
            if let Some(year) = col.year {
                // A column headed by its own year: the budget year's is this year's column.
                let concept = if fiscal_year == Some(year) {
                    this_year
                } else {
                    col.concept
                };
                out.push(Column { concept, ..*col });
                continue;
            }
            let cells: Vec<(usize, YearCell)> = row
                .map(|r| {
                    (col.start..col.end.min(r.cells.len()))
                        .filter_map(|i| year_cell(&r.cells[i]).map(|y| (i, y)))
                        .collect()
                })
                .unwrap_or_default();
            let starts: Vec<usize> = if cells.is_empty() {
                let width = col.end.saturating_sub(col.start).clamp(1, 2);
                (col.start..col.start + width).collect()
            } else {
                cells.iter().map(|(i, _)| *i).collect()
            };
            let years = prior_years(&cells, starts.len(), fiscal_year);
            for (k, &start) in starts.iter().enumerate() {
                let end = starts.get(k + 1).copied().unwrap_or(col.end);
                out.push(Column {
                    year: years.get(k).copied().flatten(),
                    start,
                    end: if k + 1 == starts.len() && cells.is_empty() {
                        start + 1
                    } else {
                        end
                    },
                    ..*col
                });
            }
        }
        self.columns = out;
        self.close();
    }

    /// The header is complete: a last column spans no further than its label.
    pub fn close(&mut self) {
        for c in &mut self.columns {
            if c.end == OPEN {
                c.end = c.start + 1;
            }
        }
    }

    /// The prior years the map reads, in its column order.
    pub fn years(&self, concept: C) -> Vec<i32> {
        let mut ys: Vec<i32> = self
            .columns
            .iter()
            .filter(|c| c.concept == concept)
            .filter_map(|c| c.year)
            .collect();
        ys.dedup();
        ys
    }

    /// The cells of a data row through the map: each filled cell from `from` on is given to a
    /// column (in order, one cell a column) by what it holds (`fit` scores a cell under a
    /// column; a cell not in the first cell of a merged span scores one less) and by how far
    /// it must move from where it stands. Moving costs: a row that lost leading cells to a
    /// merge moves as a whole once, a column inserted or merged among the values moves the
    /// cells after it once more, a cell left of its own place costs more (a row loses cells on
    /// its left, it does not gain them); a cell no column fits is left out at a cost. The best
    /// assignment wins, ties to the one found first (the least moved).
    ///
    /// A table's fit comes in two parts: `read` tells what a cell holds (a number, a share, a
    /// taxonomy word), once per cell; `fit` scores what it holds under a column.
    pub fn assign<'r, R>(
        &self,
        row: &'r RawRow,
        from: usize,
        read: impl Fn(&DataCell) -> R,
        fit: impl Fn(&Column<C>, &R) -> i32,
    ) -> Vec<(Column<C>, &'r str)> {
        self.assign_moving::<LostOnTheLeft, R>(row, from, 0, read, fit)
    }

    /// `assign` with the costs of moving chosen by the table (`M`: `Moves`, constants, so
    /// each table's search is compiled with its own), for a row known to stand `offset` cells
    /// right of its header (by its label: moving its cells back by as much costs nothing).
    #[inline]
    pub fn assign_moving<'r, M: Moves, R>(
        &self,
        row: &'r RawRow,
        from: usize,
        offset: isize,
        read: impl Fn(&DataCell) -> R,
        fit: impl Fn(&Column<C>, &R) -> i32,
    ) -> Vec<(Column<C>, &'r str)> {
        let cells: Vec<usize> = (from..row.cells.len())
            .filter(|&i| !row.cells[i].is_empty())
            .collect();
        let cols = &self.columns;
        let (n, m) = (cells.len(), cols.len());
        if n == 0 || m == 0 {
            return Vec::new();
        }
        // What each cell scores under each column, standing at its start or further in: asked
        // once, not for every path (a fit may normalise the cell's text).
        let keys = row.keys();
        let data: Vec<DataCell> = cells
            .iter()
            .map(|&i| DataCell {
                raw: &row.cells[i],
                key: &keys[i],
            })
            .collect();
        let mut scores: Vec<i32> = Vec::with_capacity(n * m);
        for cell in data.iter().map(read) {
            for (j, col) in cols.iter().enumerate() {
                // Columns of one concept (the prior years) fit a cell alike.
                let same = cols[..j].iter().position(|c| c.concept == col.concept);
                let row_start = scores.len() - j;
                scores.push(match same {
                    Some(j2) => scores[row_start + j2],
                    None => fit(col, &cell),
                });
            }
        }
        // Where every cell fits best right where it stands, nothing moves: no other
        // assignment can score more (a fit is at most its best, a move only costs).
        let at = |i: usize| cols.iter().position(|c| (c.start..c.end).contains(&i));
        let stays: Option<Vec<usize>> = cells.iter().map(|&i| at(i)).collect();
        let stays = stays.filter(|js| offset == 0 && js.windows(2).all(|w| w[0] < w[1]));
        if let Some(js) = stays {
            let best_here = js.iter().enumerate().all(|(k, &j)| {
                let here = scores[k * m + j] - i32::from(cells[k] != cols[j].start);
                (0..m).all(|j2| scores[k * m + j2] <= here)
            });
            if best_here {
                return js
                    .iter()
                    .zip(&cells)
                    .map(|(&j, &i)| (cols[j], row.cells[i].as_str()))
                    .collect();
            }
        }
        let spans: Vec<(usize, usize)> = cols.iter().map(|c| (c.start, c.end)).collect();
        let place = placer::<M>(&cells, &spans, &scores);
        // Most rows that do not fit where they stand have one assignment that scores what
        // no other can reach (a row short of its leading cells, moved as a whole): that one
        // is the answer of the search below, found without it.
        let problem = Problem {
            scores: &scores,
            n,
            m,
            offset,
            place,
        };
        let chain = unique_best::<M>(&problem).unwrap_or_else(|| search::<M>(&problem));
        chain
            .into_iter()
            .map(|(k, j)| (cols[j], row.cells[cells[k]].as_str()))
            .collect()
    }
}

/// A data cell as `fit` sees it: as written, and as the vocabulary compares labels.
pub struct DataCell<'r> {
    pub raw: &'r str,
    pub key: &'r str,
}

impl DataCell<'_> {
    /// The cell as the vocabulary compares labels (`RawRow::keys`).
    pub fn key(&self) -> &str {
        self.key
    }
}

/// The years of `n` prior-year columns: as written, blanks counted back from the budget year
/// (or from the years written beside them).
fn prior_years(
    cells: &[(usize, YearCell)],
    n: usize,
    fiscal_year: Option<i32>,
) -> Vec<Option<i32>> {
    let written: Vec<Option<i32>> = (0..n)
        .map(|k| match cells.get(k) {
            Some((_, YearCell::Year(y))) => Some(*y),
            _ => None,
        })
        .collect();
    let mut seen = Vec::new();
    let distinct = written.iter().flatten().all(|y| {
        let new = !seen.contains(y);
        seen.push(*y);
        new
    });
    if written.iter().all(Option::is_some) && distinct {
        return written;
    }
    let base = match (fiscal_year, distinct) {
        (Some(fy), _) => Some(fy),
        (None, true) => written
            .iter()
            .enumerate()
            .find_map(|(k, y)| y.map(|y| y + 1 + k as i32)),
        (None, false) => None,
    };
    (0..n)
        .map(|k| match (distinct, written[k], base) {
            (true, Some(y), _) => Some(y),
            (_, _, Some(b)) => Some(b - 1 - k as i32),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::layouts::vocab::INDICATOR_COLUMNS;

    fn row(cells: &[&str]) -> RawRow {
        RawRow::new(1, cells.iter().map(|c| c.to_string()).collect())
    }

    #[test]
    fn a_two_row_header_with_years_maps_every_column() {
        let mut map = ColumnMap::from_header(
            &row(&[
                "年度绩效指标",
                "一级指标",
                "二级指标",
                "指标名称",
                "指标值",
                "",
                "",
                "绩效标准",
            ]),
            INDICATOR_COLUMNS,
            3,
        )
        .unwrap();
        assert!(map.refine(
            &row(&["", "", "", "", "近两年指标值", "", "预期当年实现值", ""]),
            INDICATOR_COLUMNS
        ));
        map.split_years(
            Some(&row(&["", "", "", "", "2019年", "2018年", "", ""])),
            Some(2020),
        );
        let concepts: Vec<(Concept, Option<i32>, usize)> = map
            .columns
            .iter()
            .map(|c| (c.concept, c.year, c.start))
            .collect();
        assert_eq!(
            concepts,
            [
                (Concept::IndicatorBanner, None, 0),
                (Concept::Level1, None, 1),
                (Concept::Level2, None, 2),
                (Concept::Name, None, 3),
                (Concept::PriorValues, Some(2019), 4),
                (Concept::PriorValues, Some(2018), 5),
                (Concept::Target, None, 6),
                (Concept::Standard, None, 7),
            ]
        );
    }

    #[test]
    fn blank_years_count_back_from_the_budget_year() {
        let mut map = ColumnMap::from_header(
            &row(&[
                "一级指标",
                "二级指标",
                "指标名称",
                "",
                "近两年指标值",
                "",
                "当年指标值",
            ]),
            INDICATOR_COLUMNS,
            3,
        )
        .unwrap();
        map.split_years(Some(&row(&["", "", "", "", "年", "年", ""])), Some(2022));
        assert_eq!(map.years(Concept::PriorValues), [2021, 2020]);
        // The name merged over two cells reads from either.
        let data = row(&["产出指标", "数量指标", "", "巡查长度", "1", "2", "3"]);
        let read = map.assign(&data, 0, |_| (), |_, _| 1);
        assert!(read
            .iter()
            .any(|(c, v)| c.concept == Concept::Name && *v == "巡查长度"));
    }

    #[test]
    fn columns_headed_by_their_own_year() {
        use crate::ingest::layouts::vocab::MONEY_COLUMNS;
        let mut map = ColumnMap::from_header(
            &row(&["", "项目", "2020年", "占比", "2019年实际数", "2018年实际数"]),
            MONEY_COLUMNS,
            2,
        )
        .unwrap();
        map.split_years(None, Some(2020));
        let concepts: Vec<(Concept, Option<i32>)> =
            map.columns.iter().map(|c| (c.concept, c.year)).collect();
        assert_eq!(
            concepts,
            [
                (Concept::BudgetColumn, Some(2020)),
                (Concept::ShareColumn, None),
                (Concept::PriorColumn, Some(2019)),
                (Concept::PriorColumn, Some(2018)),
            ]
        );
    }

    #[test]
    fn year_cells() {
        assert_eq!(year_cell("2019年"), Some(YearCell::Year(2019)));
        assert_eq!(year_cell(" 年"), Some(YearCell::Blank));
        assert_eq!(year_cell("2019"), Some(YearCell::Year(2019)));
        assert_eq!(year_cell("19年"), None);
        assert_eq!(prior_years(&[], 2, Some(2020)), [Some(2019), Some(2018)]);
        assert_eq!(
            prior_years(
                &[(0, YearCell::Year(2019)), (1, YearCell::Year(2019))],
                2,
                Some(2020)
            ),
            [Some(2019), Some(2018)]
        );
    }
}
