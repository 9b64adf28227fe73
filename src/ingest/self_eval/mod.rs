//! The self-evaluation reader (`部门整体支出绩效自评表`, contract `self-evaluation-v1.md` §1):
//! a `Grid` (any file kind, any encoding) → `SelfEvaluation` + `EvalSource` + reading findings
//! (`bad-number`). Header-driven, through the declaration reader's own machinery: every word
//! it looks for is in `vocabulary` (data, one table); header rows are found by their words and
//! their columns mapped by `layouts::header::ColumnMap` over this form's vocabulary, and each
//! data row is read through that map by `ColumnMap::assign` with this form's `read`/`fit`
//! (`place`) — never by fixed offsets or a shift of its own. A text export loses leading empty
//! cells under merged ranges (and so does a workbook saved from it), a label may be merged
//! over more cells than its header's: `assign` weighs those moves. A title alone is no form: a
//! cover or instructions sheet names it too. Page-break repeats of the title and unit inside a
//! table are passed over, and level-1 / level-2 cells hold for the rows below them. Canonical
//! JSON is read by `canonical`. Arithmetic and cross-file checks are `rules::self_eval`'s job.

pub mod canonical;
mod place;
pub mod vocabulary;

use super::cells::{parse_amount, parse_share, RawRow};
use super::grid::Grid;
use crate::diagnostic::{Code, Diagnostic};
use crate::ingest::layouts::header::ColumnMap;
use crate::model::self_evaluation::{
    EvalLayout, EvalSource, FundPart, GoalResult, IndicatorResult, SelfEvaluation,
};
use rust_decimal::Decimal;
use vocabulary::{
    concept_of, is_title_label, key, key_of_label, Concept, NATIONAL_WORDS, SICHUAN_WORDS,
    TABLE_COLUMNS,
};

/// A self-evaluation read from a file, with where its rows stood and what reading it found.
#[derive(Debug, Clone)]
pub struct ParsedEval {
    pub form: SelfEvaluation,
    pub source: EvalSource,
    pub diagnostics: Vec<Diagnostic>,
}

/// Words without which a text cannot be a self-evaluation: a cheap test before `detect`, so
/// reading a declaration costs nothing more.
const HINTS: [&str; 5] = ["自评", "完成值", "执行数", "执 行 数", "完 成 值"];

/// Whether decoded text may be a self-evaluation (see `HINTS`).
pub fn might_be_text(text: &str) -> bool {
    HINTS.iter().any(|h| text.contains(h))
}

/// Whether a grid may be a self-evaluation: a label holds one of `HINTS`. Asked of every
/// sheet of every form, so it searches the cells' keys (`RawRow::keys`, which the declaration
/// readers use next; spaces are gone from them) with prebuilt finders rather than
/// `str::contains`, which prepares its search anew for every cell.
pub fn might_be(grid: &Grid) -> bool {
    static FINDERS: std::sync::LazyLock<Vec<memchr::memmem::Finder<'static>>> =
        std::sync::LazyLock::new(|| {
            HINTS
                .iter()
                .filter(|h| !h.contains(' '))
                .map(memchr::memmem::Finder::new)
                .collect()
        });
    grid.rows
        .iter()
        .flat_map(|r| r.keys())
        .any(|k| FINDERS.iter().any(|f| f.find(k.as_bytes()).is_some()))
}

/// Whether a grid reads as a self-evaluation, and in which layout: its title (`…绩效自评表`)
/// with two columns of the form's tables (`TABLE_COLUMNS`), or at least three of the layouts'
/// own column words. A title alone is not a form: a workbook's cover or instructions sheet
/// names the form too. The layout is what the indicator table shows: a `指标性质` or
/// `度量单位` column is `sichuan`'s, an indicator header without them `national`'s (the
/// target holds direction, number and unit); only without an indicator header do the
/// layouts' words decide by count, since each layout's words are the other's synonyms
/// (`调整后预算数` for `全年预算数`, `权重` for `分值`, `完成值` for `实际完成值`).
pub fn detect(grid: &Grid) -> Option<EvalLayout> {
    // What was seen, as sets of indices: `TABLE_COLUMNS`, `NATIONAL_WORDS`, `SICHUAN_WORDS`.
    let (mut title, mut columns, mut national, mut sichuan) = (false, 0u32, 0u32, 0u32);
    let seen =
        |words: &[&str], k: &str| words.iter().position(|w| *w == k).map_or(0, |i| 1u32 << i);
    // Each cell as the rows key it (`RawRow::keys`, made once for `might_be`, the readers
    // and the column assignment): the title is read from it, the key is a slice of it. An
    // empty key is an empty cell or a paragraph.
    let cells = grid.rows.iter().flat_map(|r| {
        let at = title_at(r);
        r.cells
            .iter()
            .zip(r.keys())
            .enumerate()
            .map(move |(i, (cell, l))| (Some(i) == at, cell, l))
    });
    for (is_title, cell, l) in cells {
        if l.is_empty() || (cell.len() > 60 && cell.chars().count() > 60) {
            continue;
        }
        if is_title {
            title = true;
            continue;
        }
        let k = key_of_label(l);
        // Every layout word is a word of the vocabulary (a test says so).
        let Some(c) = concept_of(k) else {
            continue;
        };
        if let Some(i) = TABLE_COLUMNS.iter().position(|x| *x == c) {
            columns |= 1 << i;
        }
        national |= seen(NATIONAL_WORDS, k);
        sichuan |= seen(SICHUAN_WORDS, k);
    }
    let (national, sichuan) = (national.count_ones(), sichuan.count_ones());
    if !(title && columns.count_ones() >= 2) && national + sichuan < 3 {
        return None;
    }
    let has = |c: Concept| {
        TABLE_COLUMNS
            .iter()
            .position(|x| *x == c)
            .is_some_and(|i| columns & (1 << i) != 0)
    };
    let separate = has(Concept::Direction) || has(Concept::Unit);
    let indicator_table = has(Concept::Level1) && (has(Concept::Name) || has(Concept::Target));
    Some(if separate {
        EvalLayout::Sichuan
    } else if indicator_table || sichuan <= national {
        EvalLayout::National
    } else {
        EvalLayout::Sichuan
    })
}

/// Where a row holds the form's title (`…绩效自评表`, keyed): its first filled cell, or the
/// next one after an `附件3：` label. A title leads its row; a declaration's goal named
/// `按时填报…绩效自评表` follows its label (`年度目标1：`), and was taken for a title.
fn title_at(row: &RawRow) -> Option<usize> {
    let keys = row.keys();
    let mut filled = (0..keys.len()).filter(|&i| !keys[i].is_empty());
    let first = filled.next()?;
    let second = keys[first]
        .starts_with("附件")
        .then(|| filled.next())
        .flatten();
    [Some(first), second]
        .into_iter()
        .flatten()
        .find(|&i| is_title_label(&keys[i]))
}

/// Reads a grid that `detect` recognised. `Err` is `not-a-declaration` for one it does not.
pub fn parse(grid: &Grid, file: &str) -> Result<ParsedEval, Diagnostic> {
    let layout = detect(grid).ok_or_else(|| not_a_self_evaluation(file))?;
    Ok(parse_as(grid, layout, file))
}

/// Reads a grid `detect` found to be a self-evaluation in `layout` (the ingest asks `detect`
/// first, to tell the kinds apart, and need not ask twice).
pub fn parse_as(grid: &Grid, layout: EvalLayout, file: &str) -> ParsedEval {
    let mut r = Reader {
        file,
        form: SelfEvaluation::new(layout),
        source: EvalSource::default(),
        diagnostics: Vec::new(),
        formats_known: grid.formats_known,
        section: Section::None,
        execution: None,
        table: None,
        level1: None,
        level2: None,
    };
    for row in &grid.rows {
        if !row.is_blank() {
            r.row(row);
        }
    }
    ParsedEval {
        form: r.form,
        source: r.source,
        diagnostics: r.diagnostics,
    }
}

/// Reads the text export of a self-evaluation.
pub fn parse_text(text: &str, file: &str) -> Result<ParsedEval, Diagnostic> {
    parse(&Grid::from_text(text), file)
}

/// The finding for a file that reads as no self-evaluation.
pub fn not_a_self_evaluation(file: &str) -> Diagnostic {
    Diagnostic::new(
        Code::NotADeclaration,
        file,
        "未找到自评表的标题或表格结构。查找过的标签：“部门整体支出绩效自评表”“全年预算数”“全年执行数”\
         “年度指标值”“实际完成值”“调整后预算数”“预算执行数”“指标性质”“完成值”。请确认提交的是自评表",
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    None,
    Execution,
    Goals,
    Indicators,
}

struct Reader<'a> {
    file: &'a str,
    form: SelfEvaluation,
    source: EvalSource,
    diagnostics: Vec<Diagnostic>,
    formats_known: bool,
    section: Section,
    execution: Option<ColumnMap<Concept>>,
    table: Option<ColumnMap<Concept>>,
    level1: Option<String>,
    level2: Option<String>,
}

fn text(cell: &str) -> Option<String> {
    let t = cell.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// A year in a title or a `（2020年度）` row.
fn year_in(cell: &str) -> Option<i32> {
    let half = crate::text::to_half_width(cell);
    let chars: Vec<char> = half.chars().collect();
    (0..chars.len().saturating_sub(4)).find_map(|i| {
        let four: String = chars[i..i + 4].iter().collect();
        let before_ok = i == 0 || !chars[i - 1].is_ascii_digit();
        (before_ok && four.chars().all(|c| c.is_ascii_digit()) && chars[i + 4] == '年')
            .then(|| four.parse().ok())
            .flatten()
            .filter(|y| crate::model::is_plausible_year(*y))
    })
}

/// `产出指标(50分)` → `产出指标`: a level-1 weight is not part of the name.
fn without_weight(cell: &str) -> String {
    let t = cell.trim();
    for (open, close) in [('(', ')'), ('（', '）')] {
        if let Some(body) = t.strip_suffix(close) {
            if let Some(at) = body.rfind(open) {
                if body[at..].contains('分') && at > 0 {
                    return body[..at].trim().to_owned();
                }
            }
        }
    }
    t.to_owned()
}

/// Splits `目标1：甲 目标2：乙` into `["甲", "乙"]`; text without markers is one goal.
fn split_goals(text: &str) -> Vec<String> {
    super::layouts::split_goal_markers(text).unwrap_or_else(|| vec![text.trim().to_owned()])
}

impl Reader<'_> {
    fn row(&mut self, row: &RawRow) {
        // Each cell as the rows key it (`RawRow::keys`: no paragraph is keyed), and without a
        // trailing note or a leading `其中：` as this form's words are looked up.
        let labels = row.keys();
        let keys: Vec<&str> = labels.iter().map(|l| key_of_label(l)).collect();
        let filled: Vec<usize> = (0..row.cells.len())
            .filter(|&i| !row.cells[i].is_empty())
            .collect();
        // Title (also its page-break repeats), which leads its row, and the `（2020年度）` line
        // under it.
        if let Some(i) = title_at(row) {
            self.source.title.get_or_insert(row.line);
            if self.form.fiscal_year.is_none() {
                self.form.fiscal_year = year_in(&row.cells[i]);
            }
            return;
        }
        if filled.len() == 1 {
            let l = &labels[filled[0]];
            // `（2020年度）` or `（2020年）`.
            if l.starts_with('(') && (l.ends_with("年度)") || l.ends_with("年)")) {
                if self.form.fiscal_year.is_none() {
                    self.form.fiscal_year = year_in(l);
                }
                return;
            }
        }
        if let Some(unit) = keys.iter().find_map(|k| k.strip_prefix("单位:")) {
            if self.form.unit.is_none() && !unit.is_empty() {
                self.form.unit = Some(unit.to_owned());
            }
            if filled.len() == 1 {
                return;
            }
        }
        let concepts: Vec<(usize, Concept)> = filled
            .iter()
            .filter_map(|&i| concept_of(keys[i]).map(|c| (i, c)))
            .collect();
        if self.fields(row, &concepts) {
            return;
        }
        let has = |c: Concept| concepts.iter().any(|(_, x)| *x == c);
        let execution_columns = [
            Concept::InitialBudget,
            Concept::AdjustedBudget,
            Concept::Executed,
            Concept::Rate,
        ]
        .into_iter()
        .filter(|c| has(*c))
        .count();
        if execution_columns >= 2 {
            self.execution = Some(place::header(&keys, place::EXECUTION_COLUMNS));
            self.section = Section::Execution;
            return;
        }
        if has(Concept::Level1) && (has(Concept::Name) || has(Concept::Target)) {
            self.table = Some(place::header(&keys, place::INDICATOR_COLUMNS));
            self.section = Section::Indicators;
            return;
        }
        if has(Concept::Expected) || has(Concept::GoalsBlock) {
            self.section = Section::Goals;
            // `年度总体目标 | 目标1：…目标2：… | 目标1：…`: the goals in the banner's row.
            let texts: Vec<&str> = filled
                .iter()
                .filter(|&&i| concept_of(keys[i]).is_none())
                .map(|&i| row.cells[i].as_str())
                .collect();
            if !texts.is_empty() {
                self.goals(&texts);
            }
            return;
        }
        if self.closing_rows(row, &keys, &filled) {
            return;
        }
        match self.section {
            Section::Execution => self.execution_row(row, &keys, &filled),
            Section::Goals => {
                let texts: Vec<&str> = filled.iter().map(|&i| row.cells[i].as_str()).collect();
                self.goals(&texts);
            }
            Section::Indicators => self.indicator_row(row, &keys),
            Section::None => {}
        }
    }

    /// `部门名称 | 甲`, `填报人 | 乙 | 联系电话 | 123`. Whether the row was one of these.
    fn fields(&mut self, row: &RawRow, concepts: &[(usize, Concept)]) -> bool {
        let mut found = false;
        for &(i, c) in concepts {
            let slot = match c {
                Concept::Department => &mut self.form.department,
                Concept::FilledBy => &mut self.form.filled_by,
                Concept::Phone => &mut self.form.phone,
                Concept::BudgetCode => &mut self.form.budget_code,
                _ => continue,
            };
            found = true;
            if let Some((_, value)) = row.next_filled(i) {
                if concept_of(&key(value)).is_none() && slot.is_none() {
                    *slot = Some(value.trim().to_owned());
                }
            }
            if c == Concept::Department {
                self.source.department.get_or_insert(row.line);
            }
        }
        found
    }

    /// The rows after the table: 总分, 自评得分, 自评等级, 评价结论, 存在问题, 改进措施.
    fn closing_rows(&mut self, row: &RawRow, keys: &[&str], filled: &[usize]) -> bool {
        let Some(&first) = filled.first() else {
            return false;
        };
        let concept = concept_of(keys[first]);
        let next = |i: usize| row.next_filled(i).map(|(j, v)| (j, v.to_owned()));
        match concept {
            Some(Concept::TotalRow) => {
                self.source.total = Some(row.line);
                self.total_row(row, keys, first);
                true
            }
            Some(Concept::SelfScore) => {
                if let Some((_, v)) = next(first) {
                    self.form.total.score = self.number(row.line, "自评得分", &v, false);
                }
                self.source.total.get_or_insert(row.line);
                self.grade_in(row, keys);
                true
            }
            Some(Concept::Grade) => {
                self.grade_in(row, keys);
                true
            }
            Some(c @ (Concept::Conclusion | Concept::Problems | Concept::Measures)) => {
                let value = next(first).and_then(|(_, v)| text(&v));
                match c {
                    Concept::Conclusion => self.form.conclusion = value,
                    Concept::Problems => self.form.problems = value,
                    _ => self.form.measures = value,
                }
                true
            }
            _ => false,
        }
    }

    fn grade_in(&mut self, row: &RawRow, keys: &[&str]) {
        if let Some(i) = keys
            .iter()
            .position(|k| concept_of(k) == Some(Concept::Grade))
        {
            self.source.grade = Some(row.line);
            self.form.total.grade = row.next_filled(i).and_then(|(_, v)| text(v));
        }
    }

    fn total_row(&mut self, row: &RawRow, keys: &[&str], first: usize) {
        let self_score = keys
            .iter()
            .position(|k| concept_of(k) == Some(Concept::SelfScore));
        let (weight, score) = match (&self.table, self_score) {
            (_, Some(at)) => {
                // `总分 | 100 | 自评得分 | 98.62`.
                let weight = row
                    .next_filled(first)
                    .filter(|(j, _)| *j < at)
                    .map(|(_, v)| v.to_owned());
                let score = row.next_filled(at).map(|(_, v)| v.to_owned());
                (weight, score)
            }
            (Some(h), None) => {
                // The weight and the score are the row's two numbers, whether or not the
                // export kept the empty cells around them; with one number, its column says.
                let numbers: Vec<&str> = row.cells[first + 1..]
                    .iter()
                    .map(|c| c.trim())
                    .filter(|c| parse_amount(c).is_ok_and(|v| v.is_some()))
                    .collect();
                if let [w, s] = numbers[..] {
                    (text(w), text(s))
                } else {
                    let placed = place::indicator_row(row, h, first + 1);
                    let w = placed.cell(Concept::Weight);
                    let s = placed.cell(Concept::Score);
                    (text(w), text(s))
                }
            }
            (None, None) => {
                let weight = row.next_filled(first);
                let score = weight.and_then(|(j, _)| row.next_filled(j));
                (
                    weight.map(|(_, v)| v.to_owned()),
                    score.map(|(_, v)| v.to_owned()),
                )
            }
        };
        if let Some(w) = weight {
            self.form.total.weight = self.number(row.line, "总分的分值", &w, false);
        }
        if let Some(s) = score {
            self.form.total.score = self.number(row.line, "自评得分", &s, false);
        }
        self.grade_in(row, keys);
    }

    fn number(&mut self, line: u32, what: &str, cell: &str, share: bool) -> Option<Decimal> {
        let parsed = if share {
            parse_share(cell)
        } else {
            parse_amount(cell)
        };
        match parsed {
            Ok(v) => v,
            Err(e) => {
                let shown: String = cell.chars().take(40).collect();
                let ellipsis = if cell.chars().count() > 40 { "…" } else { "" };
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::BadNumber,
                        self.file,
                        format!(
                            "{what}填写的“{shown}{ellipsis}”{e}{}，请填写数字或留空",
                            super::cells::number_hint(cell)
                        ),
                    )
                    .at(Some(line)),
                );
                None
            }
        }
    }

    fn execution_row(&mut self, row: &RawRow, keys: &[&str], filled: &[usize]) {
        let Some(map) = self.execution.take() else {
            return;
        };
        self.execution_values(row, keys, filled, &map);
        self.execution = Some(map);
    }

    fn execution_values(
        &mut self,
        row: &RawRow,
        keys: &[&str],
        filled: &[usize],
        map: &ColumnMap<Concept>,
    ) {
        // The row's label: its first filled cell that is not the block's banner.
        let Some(&at) = filled
            .iter()
            .find(|&&i| concept_of(keys[i]) != Some(Concept::ExecutionBlock))
        else {
            return;
        };
        let raw = row.cells[at].trim();
        if parse_amount(raw).is_ok_and(|v| v.is_some()) {
            return;
        }
        let placed = place::execution_row(row, map, at);
        let value = |s: &mut Self, c: Concept, what: &str| {
            let cell = placed.cell(c);
            let label = &keys[at];
            s.number(
                row.line,
                &format!("{label}（{what}）"),
                cell,
                c == Concept::Rate,
            )
        };
        let initial = value(self, Concept::InitialBudget, "年初预算数");
        let adjusted = value(self, Concept::AdjustedBudget, "全年预算数");
        let executed = value(self, Concept::Executed, "全年执行数");
        if concept_of(keys[at]) == Some(Concept::FundsTotal) {
            self.source.execution = Some(row.line);
            let weight = value(self, Concept::Weight, "分值");
            let mut rate = value(self, Concept::Rate, "执行率");
            let score = value(self, Concept::Score, "得分");
            // An `.xls`/`.ods` rate may be the fraction behind `98.16%`.
            let rate_cell = placed.cell(Concept::Rate);
            if !self.formats_known && !rate_cell.contains('%') {
                rate = rate
                    .filter(|r| *r <= Decimal::from(2))
                    .map(|r| r * Decimal::ONE_HUNDRED)
                    .or(rate);
            }
            let e = &mut self.form.execution;
            e.initial_budget = initial;
            e.adjusted_budget = adjusted;
            e.executed = executed;
            e.weight = weight;
            e.rate_percent = rate;
            e.score = score;
            e.reason = text(placed.cell(Concept::Reason));
        } else {
            let label = raw
                .strip_prefix("其中")
                .map_or(raw, |r| r.trim_start_matches([':', '：']))
                .trim()
                .to_owned();
            self.form.execution.parts.push(FundPart {
                label,
                initial_budget: initial,
                adjusted_budget: adjusted,
                executed,
            });
        }
    }

    fn goals(&mut self, texts: &[&str]) {
        let expected = texts.first().map_or_else(Vec::new, |t| split_goals(t));
        let achieved = texts.get(1).map_or_else(Vec::new, |t| split_goals(t));
        for k in 0..expected.len().max(achieved.len()) {
            self.form.goals.push(GoalResult {
                expected: expected.get(k).and_then(|t| text(t)),
                achieved: achieved.get(k).and_then(|t| text(t)),
            });
        }
    }

    fn indicator_row(&mut self, row: &RawRow, keys: &[&str]) {
        let Some(map) = self.table.take() else {
            return;
        };
        self.indicator_values(row, keys, &map);
        self.table = Some(map);
    }

    fn indicator_values(&mut self, row: &RawRow, keys: &[&str], map: &ColumnMap<Concept>) {
        // A banner merged down the table (`年度绩效指标`) is not a cell of the row; only the
        // row that holds it is copied to clear it.
        let banner = |k: &&str| concept_of(k) == Some(Concept::IndicatorBlock);
        let row = if keys.iter().any(banner) {
            let mut row = row.clone();
            for (cell, k) in row.cells.iter_mut().zip(keys) {
                if banner(k) {
                    cell.clear();
                }
            }
            std::borrow::Cow::Owned(row)
        } else {
            std::borrow::Cow::Borrowed(row)
        };
        if row.is_blank() {
            return;
        }
        let placed = place::indicator_row(&row, map, 0);
        let get = |c: Concept| text(placed.cell(c));
        if let Some(l1) = get(Concept::Level1) {
            self.level1 = Some(without_weight(&l1));
            self.level2 = None;
        }
        if let Some(l2) = get(Concept::Level2) {
            self.level2 = Some(l2);
        }
        let name = get(Concept::Name);
        let target = get(Concept::Target);
        let actual = get(Concept::Actual);
        let weight_cell = placed.cell(Concept::Weight).to_owned();
        let score_cell = placed.cell(Concept::Score).to_owned();
        if name.is_none() && target.is_none() && actual.is_none() && weight_cell.is_empty() {
            return;
        }
        let shown = name.clone().unwrap_or_else(|| "（未命名）".to_owned());
        let weight = self.number(
            row.line,
            &format!("指标“{shown}”的分值"),
            &weight_cell,
            false,
        );
        let score = self.number(
            row.line,
            &format!("指标“{shown}”的得分"),
            &score_cell,
            false,
        );
        let layout_columns = self.form.layout == EvalLayout::Sichuan;
        self.form.indicators.push(IndicatorResult {
            level1: self.level1.clone(),
            level2: self.level2.clone(),
            name,
            direction: get(Concept::Direction).filter(|_| layout_columns),
            target,
            unit: get(Concept::Unit).filter(|_| layout_columns),
            actual,
            weight,
            score,
            reason: get(Concept::Reason),
        });
        self.source.indicators.push(Some(row.line));
    }
}

#[cfg(test)]
mod tests;
