//! Facts: what later stages keep of a declaration once it has been read and validated — who
//! filed it and for which year, the budget table with the lines it came from, and the quality
//! of its targets. They are small, owned and serialisable: a build keeps the facts of every
//! form (not the forms), the cross-file rules and the district figures work from them, and
//! the build cache stores them so an unchanged file is never read again.

use crate::model::{Declaration, Row, SourceMap};
use crate::stats::{self, Quality};
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
    /// The six budget rows, in `Row::ALL` order.
    pub rows: Vec<RowFacts>,
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
    pub search: crate::search::FormText,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowFacts {
    pub line: Option<u32>,
    pub budget: Option<Decimal>,
    pub prior: Vec<(i32, Option<Decimal>)>,
}

impl Facts {
    pub fn of(d: &Declaration, source: &SourceMap, sheet: Option<&str>) -> Facts {
        Facts {
            sheet: sheet.map(str::to_owned),
            department: d.department.clone(),
            fiscal_year: d.fiscal_year,
            anchor: source.title.or(source.department),
            rows: Row::ALL
                .iter()
                .map(|&r| {
                    let line = d.budget_line(r);
                    RowFacts {
                        line: source.row(r),
                        budget: line.budget,
                        prior: line.prior_years.0.clone(),
                    }
                })
                .collect(),
            prior_years: d.prior_years(),
            indicator_count: d.goals.iter().map(|g| g.indicators.len()).sum(),
            quality: stats::quality(d),
            has_income: d.income.is_some(),
            has_expenditure: d.expenditure.is_some(),
            search: crate::search::FormText::of(d),
        }
    }

    pub fn row(&self, row: Row) -> &RowFacts {
        let i = Row::ALL.iter().position(|&r| r == row).unwrap_or(0);
        &self.rows[i]
    }
}

impl RowFacts {
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
        let total = facts.row(Row::ExpenditureTotal);
        assert_eq!(
            total.budget,
            loaded.declaration.budget_line(Row::ExpenditureTotal).budget
        );
        assert_eq!(total.line, loaded.source.row(Row::ExpenditureTotal));
        assert!(total.line.is_some());
        assert_eq!(
            total.prior_value(2019),
            loaded
                .declaration
                .budget_line(Row::ExpenditureTotal)
                .prior_years
                .get(2019)
                .copied()
                .flatten()
        );
        assert_eq!(facts.quality, stats::quality(&loaded.declaration));
        assert!(facts.indicator_count > 0);
    }
}
