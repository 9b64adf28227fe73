//! Facts: what later stages keep of a declaration once it has been read and validated — who
//! filed it and for which year, the budget table with the lines it came from, and the quality
//! of its targets. They are small, owned and serialisable: a build keeps the facts of every
//! form (not the forms), the cross-file rules and the district figures work from them, and
//! the build cache stores them so an unchanged file is never read again.

pub use super::form_text::FormText;
use super::quality::{self, Quality};
use super::{Declaration, Row, SourceMap};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    /// The worksheet the declaration was read from, for a workbook.
    pub sheet: Option<String>,
    pub department: Option<String>,
    pub fiscal_year: Option<i32>,
    /// The title's line (else the department cell's): where file-level findings point.
    pub anchor: Option<u32>,
    /// The six budget rows, in `Row::ALL` order: where each stood and its budget (`row`).
    rows: [RowLine; 6],
    /// Each row's prior-year actuals, the rows' one after another (`prior_ends`): one
    /// allocation a form, not seven (at 60,000 forms the per-row vectors were 37 MB).
    #[serde(with = "super::binary_decimal::prior")]
    prior: Box<[(i32, Option<Decimal>)]>,
    prior_ends: [u32; 6],
    /// The prior years of the table, as its header gives them (latest first).
    pub prior_years: Vec<i32>,
    pub indicator_count: usize,
    pub quality: Quality,
    /// Whether the form's layout has an income block (Fujian and Hunan have none): district
    /// sums say which departments they leave out instead of counting them as 0.
    pub has_income: bool,
    /// Whether it has an expenditure block (Hunan has no money at all).
    pub has_expenditure: bool,
    /// What the site's search finds in the form (`search`).
    pub search: FormText,
    /// A fingerprint of what the site shows of the form (its budget rows, prior years, text
    /// and blocks): the feed tells a changed form by it (`feed::current`). Made once when the
    /// form is read and kept in the build cache's record: a rebuild after one changed form
    /// serialised every form's facts again for it (9 % of such a rebuild's instructions).
    pub content_digest: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
struct RowLine {
    line: Option<u32>,
    #[serde(with = "super::binary_decimal::option")]
    budget: Option<Decimal>,
}

/// One budget row of a form's facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowFacts<'f> {
    /// Its line in the file.
    pub line: Option<u32>,
    pub budget: Option<Decimal>,
    /// Its actuals of the prior years, as the form gives them.
    pub prior: &'f [(i32, Option<Decimal>)],
}

impl Facts {
    pub fn of(d: &Declaration, source: &SourceMap, sheet: Option<&str>) -> Facts {
        let mut facts = Facts {
            sheet: sheet.map(str::to_owned),
            department: d.department.clone(),
            fiscal_year: d.fiscal_year,
            anchor: source.title.or(source.department),
            rows: Row::ALL.map(|r| RowLine {
                line: source.row(r),
                budget: d.budget_line(r).budget,
            }),
            prior: Row::ALL
                .iter()
                .flat_map(|&r| d.budget_line(r).prior_years.0.iter().copied())
                .collect(),
            // Ends of each row's run in `prior` (a form's few prior years: no count nears
            // u32's range; one that did would be cut, never wrapped).
            prior_ends: {
                let mut end = 0usize;
                Row::ALL.map(|r| {
                    end += d.budget_line(r).prior_years.0.len();
                    u32::try_from(end).unwrap_or(u32::MAX)
                })
            },
            prior_years: d.prior_years(),
            indicator_count: d.goals.iter().map(|g| g.indicators.len()).sum(),
            quality: quality::quality(d),
            has_income: d.income.is_some(),
            has_expenditure: d.expenditure.is_some(),
            search: FormText::of(d),
            content_digest: 0,
        };
        facts.content_digest = content_digest(&facts);
        facts
    }

    pub fn row(&self, row: Row) -> RowFacts<'_> {
        let i = Row::ALL.iter().position(|&r| r == row).unwrap_or(0);
        self.row_at(i)
    }

    /// The six rows in `Row::ALL` order.
    pub fn rows(&self) -> impl Iterator<Item = (Row, RowFacts<'_>)> + '_ {
        Row::ALL
            .iter()
            .enumerate()
            .map(|(i, &r)| (r, self.row_at(i)))
    }

    fn row_at(&self, i: usize) -> RowFacts<'_> {
        let start = if i == 0 { 0 } else { self.prior_ends[i - 1] };
        let (start, end) = (start as usize, self.prior_ends[i] as usize);
        RowFacts {
            line: self.rows[i].line,
            budget: self.rows[i].budget,
            prior: self.prior.get(start..end).unwrap_or(&[]),
        }
    }
}

/// `Facts::content_digest`: the facts the site shows, as JSON, hashed. The published feed
/// state keeps these values (`changes.json`), so they stay what earlier builds wrote.
fn content_digest(f: &Facts) -> u64 {
    use std::hash::Hasher;
    let mut h = crate::hash::Fnv::new();
    let content = serde_json::to_string(&(
        f.rows()
            .map(|(_, r)| (r.budget, r.prior))
            .collect::<Vec<_>>(),
        &f.prior_years,
        &f.search,
        f.has_income,
        f.has_expenditure,
    ))
    .expect("form facts serialise");
    h.text(&content);
    h.finish()
}

impl RowFacts<'_> {
    pub fn prior_value(&self, year: i32) -> Option<Decimal> {
        self.prior
            .iter()
            .find(|(y, _)| *y == year)
            .and_then(|(_, v)| *v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{parse_bytes, SourceFile};

    #[test]
    fn facts_keep_the_budget_table_lines_and_quality_of_the_sample() {
        let path = std::path::PathBuf::from("tests/fixtures/sample/武汉市新洲区总工会-2020.txt");
        let bytes = std::fs::read(&path).unwrap();
        let file = SourceFile {
            display: "x.txt".into(),
            path,
        };
        let loaded = parse_bytes(&file, &bytes).declaration.unwrap();
        let facts = Facts::of(&loaded.declaration, &loaded.source, None);
        assert_eq!(facts.fiscal_year, Some(2020));
        assert_eq!(facts.department.as_deref(), Some("武汉市新洲区总工会"));
        assert_eq!(facts.prior_years, vec![2019, 2018]);
        // Expected values read off the sample file itself (lines 15–18 of the text export).
        let d = |s: &str| Some(s.parse::<Decimal>().unwrap());
        let total = facts.row(Row::ExpenditureTotal);
        assert_eq!((total.line, total.budget), (Some(18), d("286.41")));
        assert_eq!(total.prior_value(2019), d("234.35"));
        assert_eq!(total.prior_value(2018), d("231.55"));
        assert_eq!(total.prior_value(2017), None, "not a column of the form");
        let basic = facts.row(Row::Basic);
        assert_eq!((basic.line, basic.budget), (Some(16), d("268.03")));
        let project = facts.row(Row::Project);
        assert_eq!((project.line, project.budget), (Some(17), d("18.38")));
        assert_eq!(project.prior_value(2018), d("31"));
        let income = facts.row(Row::IncomeTotal);
        assert_eq!((income.line, income.budget), (Some(15), d("286.41")));
        let other = facts.row(Row::Other);
        assert_eq!(other.budget, None, "其他资金 is blank in the sample");
        // 4 goals, 11 indicators, none measurable; the score is worked out in stats' tests.
        assert_eq!(facts.indicator_count, 11);
        assert_eq!(
            (
                facts.quality.goals,
                facts.quality.indicators,
                facts.quality.measurable
            ),
            (4, 11, 0)
        );
        assert_eq!(facts.quality.score, "33.75".parse::<Decimal>().unwrap());
        // Its searchable text: the four 整体绩效目标 lines, four goals, 11 indicators, each
        // piece as the form gives it (values read off the sample's expected JSON).
        let t = &facts.search;
        assert_eq!(t.overall().count(), 4);
        assert_eq!(
            t.overall().next(),
            Some("开展金秋助学活动，对困难职工子女正在读书的，发放助学金")
        );
        assert_eq!(t.goals().map(|g| g.name).next(), Some("金秋助学"));
        assert_eq!(t.goals().count(), 4);
        assert_eq!(t.indicators().count(), 11);
        let first = t.indicators().next().unwrap();
        assert_eq!(
            (first.level1, first.name, first.target),
            ("产出指标", "2020年发放助学金数量", "合格")
        );
        // A blank overall line is left out, the others trimmed.
        let mut d = loaded.declaration.clone();
        d.overall_goals = vec!["  ".into(), " 目标一 ".into()];
        d.annual_goal = None;
        let t = FormText::of(&d);
        assert_eq!(t.overall().collect::<Vec<_>>(), ["目标一"]);
    }
}
