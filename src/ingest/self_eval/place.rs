//! Where a self-evaluation's data cells stand, read the way the declaration reader reads its
//! tables: a header row maps the columns (`layouts::header::ColumnMap` over this form's
//! `vocabulary::Concept`), and `ColumnMap::assign_moving` gives each filled cell of a data row
//! to the column it fits, by what it holds and how little it moves. A text export loses a
//! row's leading empty cells under merged ranges (and so does a workbook saved from one), a
//! label may be merged over two cells, a header may be merged over other columns than its
//! rows: the moves `assign` weighs cover all of these, so no row is placed by a shift of its
//! own. What is this form's own: what its cells hold (`Held`: amounts, rates, weights and
//! scores, the `—`/`/` of the parts rows, level words, directions, text) and how well each
//! fits each column (`execution_fit`, `indicator_fit`); and how its rows move
//! (`header::WholeRows`: a row moves as a whole, either way, since a column inserted among
//! the values shows in its header too; an execution row whose label stands right of the
//! header's label column stands that much right as a whole, `execution_row`).

use super::vocabulary::Concept;
use crate::ingest::cells::{parse_amount, parse_share, RawRow};
use crate::ingest::layouts::header::{Column, ColumnMap, DataCell, WholeRows};
use crate::ingest::layouts::table::{is_known_level2, is_level1};

/// The columns of the execution block (its banner is the column of the row labels).
pub(super) const EXECUTION_COLUMNS: &[Concept] = &[
    Concept::ExecutionBlock,
    Concept::InitialBudget,
    Concept::AdjustedBudget,
    Concept::Executed,
    Concept::Weight,
    Concept::Rate,
    Concept::Score,
    Concept::Reason,
];

/// The columns of the indicator table.
pub(super) const INDICATOR_COLUMNS: &[Concept] = &[
    Concept::IndicatorBlock,
    Concept::Level1,
    Concept::Level2,
    Concept::Name,
    Concept::Direction,
    Concept::Target,
    Concept::Unit,
    Concept::Actual,
    Concept::Weight,
    Concept::Score,
    Concept::Reason,
];

/// A table's columns from its header row (cells keyed), complete: no year row follows.
pub(super) fn header<S: AsRef<str>>(keys: &[S], allowed: &[Concept]) -> ColumnMap<Concept> {
    let mut map = ColumnMap::from_labels(keys, allowed, 0).unwrap_or_default();
    map.close();
    map
}

/// A data row read through its header: the cell each column took.
pub(super) struct Placed<'r> {
    cells: Vec<(Column<Concept>, &'r str)>,
}

impl<'r> Placed<'r> {
    /// The cell under a concept's column ("" where it took none).
    pub(super) fn cell(&self, c: Concept) -> &'r str {
        self.cells
            .iter()
            .find(|(col, _)| col.concept == c)
            .map_or("", |(_, v)| v)
    }
}

/// What a cell of a self-evaluation's table holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Held {
    /// An amount, a weight or a score (`286.41`, `1,286.41`, `１０`).
    Number,
    /// A rate written with `%`.
    Share,
    /// `—`, `/`: "none", as the parts rows write their weight, rate and score.
    Dash,
    /// A word of the indicator taxonomy: level 1 (`产出指标(50分)`), level 2, or either.
    Level { one: bool, two: bool },
    /// A direction of the sichuan layout's `指标性质` (`≥`, `=`, `定性`).
    Direction,
    /// Anything else: a name, a target, an actual, a unit, a reason.
    Text,
}

impl Held {
    pub(super) fn of(cell: &DataCell) -> Held {
        let t = cell.raw.trim();
        if matches!(t, "—" | "-" | "/" | "／" | "——") {
            return Held::Dash;
        }
        if t.ends_with(['%', '％']) && parse_share(t).is_ok_and(|v| v.is_some()) {
            return Held::Share;
        }
        if parse_amount(t).is_ok_and(|v| v.is_some()) {
            return Held::Number;
        }
        let k = cell.key();
        if matches!(
            k,
            "=" | "≥" | "≤" | ">" | "<" | ">=" | "<=" | "＞" | "＜" | "定性" | "定量"
        ) {
            return Held::Direction;
        }
        let (one, two) = (is_level1(k), is_known_level2(k));
        if one || two {
            return Held::Level { one, two };
        }
        Held::Text
    }
}

/// How well a cell fits under a column of the execution block: amounts under the amounts,
/// a `%` under the rate, `—`/`/` under the weight, rate and score (the parts'), text only
/// under the reason; nothing under the row labels' column.
pub(super) fn execution_fit(col: &Column<Concept>, held: &Held) -> i32 {
    use Held::*;
    match col.concept {
        Concept::InitialBudget | Concept::AdjustedBudget | Concept::Executed => match held {
            Number => 2,
            Share => -2,
            _ => -3,
        },
        Concept::Weight | Concept::Score => match held {
            Number | Dash => 2,
            Share => -2,
            _ => -3,
        },
        Concept::Rate => match held {
            Share => 4,
            Dash => 2,
            Number => 1,
            _ => -3,
        },
        Concept::Reason => match held {
            Number => -1,
            Share => -2,
            Dash => 0,
            _ => 2,
        },
        _ => -4,
    }
}

/// How well a cell fits under a column of the indicator table: taxonomy words in the level
/// columns, directions under `指标性质`, plain numbers best under the weight and the score
/// (the row's anchor where it lost leading cells), text under the names, targets, actuals,
/// units and reasons; nothing under the table's banner.
pub(super) fn indicator_fit(col: &Column<Concept>, held: &Held) -> i32 {
    use Held::*;
    let number = matches!(held, Number | Share | Dash);
    match col.concept {
        Concept::Level1 => match held {
            Level {
                one: true,
                two: false,
            } => 4,
            Level {
                one: true,
                two: true,
            } => 1,
            Level { .. } => -4,
            Text => -2,
            _ => -4,
        },
        // A level-1 word may stand at level 2 (a sichuan form files `满意度指标` under
        // `效益指标`), and a word of both levels (`成本指标`) fits level 2 a little better: a
        // row that lost its leading cell then moves as a whole, its first word with it.
        Concept::Level2 => match held {
            Level {
                one: false,
                two: true,
            } => 3,
            Level {
                one: true,
                two: true,
            } => 2,
            Level { .. } => 0,
            Text => -1,
            _ => -4,
        },
        Concept::Name => match held {
            Text => 1,
            Level {
                one: false,
                two: true,
            } => -2,
            Level { .. } | Direction => -3,
            _ => -2,
        },
        Concept::Direction => match held {
            Direction => 3,
            _ => -3,
        },
        Concept::Target | Concept::Actual => match held {
            Text | Number | Share | Dash => 1,
            Level {
                one: false,
                two: true,
            } => -1,
            Level { .. } => -3,
            Direction => -2,
        },
        Concept::Unit => match held {
            Text => 1,
            Dash => 0,
            _ => -2,
        },
        Concept::Weight | Concept::Score => match held {
            Number => 3,
            Dash => 1,
            Share => -2,
            _ => -4,
        },
        Concept::Reason => match held {
            Text => 1,
            _ if number => -1,
            _ => -2,
        },
        _ => -4,
    }
}

/// An execution row's value cells (right of its label at `label`) under the block's header.
/// A label right of the header's label column (its banner's cells, or the cells before the
/// first value column) shows the whole row standing that much right of its header.
pub(super) fn execution_row<'r>(
    row: &'r RawRow,
    map: &ColumnMap<Concept>,
    label: usize,
) -> Placed<'r> {
    let values = map
        .columns
        .iter()
        .find(|c| c.concept != Concept::ExecutionBlock)
        .map_or(0, |c| c.start);
    let offset = (label + 1).saturating_sub(values) as isize;
    Placed {
        cells: map.assign_moving::<WholeRows, _>(row, label + 1, offset, Held::of, execution_fit),
    }
}

/// An indicator row's cells from `from` on under the table's header.
pub(super) fn indicator_row<'r>(
    row: &'r RawRow,
    map: &ColumnMap<Concept>,
    from: usize,
) -> Placed<'r> {
    Placed {
        cells: map.assign_moving::<WholeRows, _>(row, from, 0, Held::of, indicator_fit),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(line: &str) -> RawRow {
        RawRow::new(1, line.split('\t').map(str::to_owned).collect())
    }

    /// The header's map, keyed as the reader keys it.
    fn map(line: &str, allowed: &[Concept]) -> ColumnMap<Concept> {
        let keys: Vec<String> = line.split('\t').map(super::super::key).collect();
        header(&keys, allowed)
    }

    const EXECUTION: &str = "年度预算执行情况（万元）\t\t年初预算数\t全年预算数（A）\t全年执行数（B）\t分值\t执行率（B/A）\t得分";
    const INDICATORS: &str = "年度绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施";

    /// (initial, adjusted, executed, weight, rate, score) of an execution row.
    fn execution(map: &ColumnMap<Concept>, line: &str) -> [String; 6] {
        let r = row(line);
        let label = r.cells.iter().position(|c| !c.is_empty()).unwrap();
        let p = execution_row(&r, map, label);
        [
            Concept::InitialBudget,
            Concept::AdjustedBudget,
            Concept::Executed,
            Concept::Weight,
            Concept::Rate,
            Concept::Score,
        ]
        .map(|c| p.cell(c).to_owned())
    }

    #[test]
    fn a_self_evaluation_header_maps_through_the_shared_column_map() {
        let m = map(EXECUTION, EXECUTION_COLUMNS);
        let cols: Vec<(Concept, usize, usize)> = m
            .columns
            .iter()
            .map(|c| (c.concept, c.start, c.end))
            .collect();
        // The banner spans the empty cell right of it: the row labels' column.
        assert_eq!(
            cols,
            [
                (Concept::ExecutionBlock, 0, 2),
                (Concept::InitialBudget, 2, 3),
                (Concept::AdjustedBudget, 3, 4),
                (Concept::Executed, 4, 5),
                (Concept::Weight, 5, 6),
                (Concept::Rate, 6, 7),
                (Concept::Score, 7, 8),
            ]
        );
        // A label unknown to the form (`项目`) bounds no column of its own; the sichuan
        // words name the same concepts.
        let sichuan = map(
            "项目\t年初预算数\t调整后预算数\t预算执行数\t执行率\t权重\t得分\t原因",
            EXECUTION_COLUMNS,
        );
        assert_eq!(sichuan.columns[0].concept, Concept::InitialBudget);
        assert_eq!(sichuan.columns[6].concept, Concept::Reason);
        let indicators = map(INDICATORS, INDICATOR_COLUMNS);
        assert!(indicators.has(Concept::Level1) && indicators.has(Concept::Reason));
        // No prior-years columns: a year-headed label is no column of this form.
        assert_eq!(
            map("2020年\t分值\t得分", INDICATOR_COLUMNS).columns.len(),
            2
        );
    }

    #[test]
    fn rows_that_lost_leading_cells_read_under_their_columns() {
        let m = map(EXECUTION, EXECUTION_COLUMNS);
        // The total in place, then a part that lost its leading cell to a merged range (its
        // dashes stand one cell left of the weight, rate and score).
        assert_eq!(
            execution(
                &m,
                "\t年度资金总额\t286.41\t301.2\t295.67\t10\t98.16%\t9.82"
            ),
            ["286.41", "301.2", "295.67", "10", "98.16%", "9.82"]
        );
        assert_eq!(
            execution(&m, "其他资金\t\t\t\t—\t—\t—"),
            ["", "", "", "—", "—", "—"]
        );
        assert_eq!(
            execution(&m, "其他资金\t5\t6\t7\t/\t/\t/"),
            ["5", "6", "7", "/", "/", "/"]
        );
        // An indicator row that lost its banner cell: its level-1 word and its weight and
        // score put it back; one that lost three cells, by its weight and score alone.
        let t = map(INDICATORS, INDICATOR_COLUMNS);
        let r = row("效益指标(40分)\t服务对象满意度指标\t服务对象满意\t满意\t满意\t14\t14");
        let p = indicator_row(&r, &t, 0);
        assert_eq!(p.cell(Concept::Level1), "效益指标(40分)");
        assert_eq!(p.cell(Concept::Name), "服务对象满意");
        assert_eq!(
            (p.cell(Concept::Weight), p.cell(Concept::Score)),
            ("14", "14")
        );
        let r = row("\t\t回访率\t≥90\t95\t10\t10");
        let p = indicator_row(&r, &t, 0);
        assert_eq!(p.cell(Concept::Name), "回访率");
        assert_eq!(
            (p.cell(Concept::Target), p.cell(Concept::Actual)),
            ("≥90", "95")
        );
        assert_eq!(
            (p.cell(Concept::Weight), p.cell(Concept::Score)),
            ("10", "10")
        );
        assert_eq!(p.cell(Concept::Level2), "");
    }

    #[test]
    fn a_merged_label_and_a_header_over_other_columns() {
        // The banner merged over three cells, a row label over two: the values stand where
        // the header's columns do.
        let m = map(
            "年度预算执行情况（万元）\t\t\t年初预算数\t全年预算数（A）\t全年执行数（B）\t分值\t执行率（B/A）\t得分",
            EXECUTION_COLUMNS,
        );
        assert_eq!(
            execution(&m, "\t年度资金总额\t\t100\t200\t150\t10\t75%\t7.5"),
            ["100", "200", "150", "10", "75%", "7.5"]
        );
        // Rows whose labels took fewer cells than the header's banner (a hand-made export,
        // outside corpus file 07): every value one cell left of its column, a part two.
        assert_eq!(
            execution(&m, "\t总额\t2895.4\t2895.4\t2788.27\t10\t96.30%\t9.63"),
            ["2895.4", "2895.4", "2788.27", "10", "96.30%", "9.63"]
        );
        assert_eq!(
            execution(&m, "其他资金\t144.77\t144.77\t139.41\t/\t/\t/"),
            ["144.77", "144.77", "139.41", "/", "/", "/"]
        );
        // A row label merged over two cells under a header whose banner is one: the values
        // stand one cell right of their columns.
        let one = map(
            "预算执行情况\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分",
            EXECUTION_COLUMNS,
        );
        assert_eq!(
            execution(&one, "年度资金总额\t\t100\t200\t150\t10\t75%\t7.5"),
            ["100", "200", "150", "10", "75%", "7.5"]
        );
    }

    #[test]
    fn a_column_inserted_among_the_values() {
        // An empty column inserted after 全年执行数 (header and rows): its header cell widens
        // the column before it, and a row that also lost its leading cell still reads.
        let m = map(
            "年度预算执行情况\t\t年初预算数\t全年预算数\t全年执行数\t\t分值\t执行率\t得分",
            EXECUTION_COLUMNS,
        );
        assert_eq!(
            execution(&m, "\t年度资金总额\t100\t200\t150\t\t10\t75%\t7.5"),
            ["100", "200", "150", "10", "75%", "7.5"]
        );
        assert_eq!(
            execution(&m, "其中：财政拨款\t100\t200\t150\t\t—\t—\t—"),
            ["100", "200", "150", "—", "—", "—"]
        );
        // A column of the indicator table inserted between the actual and the weight.
        let t = map(
            "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t\t分值\t得分",
            INDICATOR_COLUMNS,
        );
        let r = row("产出指标\t数量指标\t培训人次\t≥100人次\t120人次\t\t40\t40");
        let p = indicator_row(&r, &t, 0);
        assert_eq!(p.cell(Concept::Actual), "120人次");
        assert_eq!(
            (p.cell(Concept::Weight), p.cell(Concept::Score)),
            ("40", "40")
        );
    }
}
