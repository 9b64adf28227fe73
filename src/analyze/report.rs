//! The validation report's pages: which forms' findings it lists, in which order, and on which
//! page. A build whose every form has errors lists tens of thousands of forms; one page holding
//! them all (84 MB at 20,000) opens on no phone, so the report is cut into numbered pages of at
//! most `PAGE_GROUPS` forms and about `PAGE_ROWS` findings. The department pages, the district
//! pages' withheld rows and the feeds link a form's findings on its page: they ask
//! `ReportPages::href`, and a department page's incremental key includes its forms' pages.

use crate::diagnostic::Diagnostic;
use crate::ingest::FileOutcome;
use crate::load::Batch;
use std::collections::BTreeMap;

/// Forms (groups of findings) a report page lists at most.
pub const PAGE_GROUPS: usize = 200;
/// Findings a report page lists, about: a page ends at the group that reaches this many (a
/// single form with more findings has a page of its own).
pub const PAGE_ROWS: usize = 1_500;

/// One form's findings as the report lists them: a file (or a workbook's sheet) with its
/// findings, or a finding on a path that was never read (a folder that could not be walked).
#[derive(Debug, Clone)]
pub struct ReportGroup<'a> {
    /// The outcome of the file read, or `None` for a finding on a path never read.
    pub outcome: Option<&'a FileOutcome>,
    /// The findings listed: the file's, or the one finding on a path never read.
    pub diagnostics: &'a [Diagnostic],
    /// The department as the form names it (cut to 60 characters: a name can be the form's
    /// `field-too-long` error), empty for a file read as no form.
    pub department: String,
    pub year: Option<i32>,
    pub file: &'a str,
    pub sheet: Option<&'a str>,
    /// The page (1-based) that lists it.
    pub page: usize,
}

impl ReportGroup<'_> {
    /// The id the group's findings stand under (`report-N.html#f-…`).
    pub fn anchor(&self) -> String {
        anchor(self.file, self.sheet)
    }
}

/// The report's anchor for the findings of one form (a file, and a worksheet of it).
pub fn anchor(file: &str, sheet: Option<&str>) -> String {
    let key = match sheet {
        Some(sheet) => format!("{file}\u{0}{sheet}"),
        None => file.to_owned(),
    };
    format!("f-{}", crate::hash::slug(&key))
}

/// The report page's path from the site root: `report.html`, then `report-2.html`, ….
pub fn page_path(page: usize) -> String {
    if page <= 1 {
        "report.html".to_owned()
    } else {
        format!("report-{page}.html")
    }
}

/// `text` cut to at most `chars` characters, with `…` where it was cut.
pub fn shorten(text: &str, chars: usize) -> String {
    match text.char_indices().nth(chars) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// The report's groups in order, each with its page: by department (pinyin order, files read
/// as no form last), then year, then file and sheet — how a reader looks for one.
pub fn groups(batch: &Batch) -> Vec<ReportGroup<'_>> {
    let mut groups: Vec<ReportGroup<'_>> = batch
        .files
        .iter()
        .filter(|o| !o.diagnostics.is_empty())
        .map(|o| {
            let facts = o.facts.as_ref();
            // A self-evaluation names its department and year itself.
            let evaluation = o.evaluation.as_ref().map(|e| &e.form);
            ReportGroup {
                outcome: Some(o),
                diagnostics: &o.diagnostics,
                department: facts
                    .and_then(|f| f.department.as_deref())
                    .or_else(|| evaluation.and_then(|e| e.department.as_deref()))
                    .map(|n| shorten(n, 60))
                    .unwrap_or_default(),
                year: facts
                    .and_then(|f| f.fiscal_year)
                    .or_else(|| evaluation.and_then(|e| e.fiscal_year)),
                file: &o.file.display,
                sheet: o.sheet.as_deref(),
                page: 1,
            }
        })
        .collect();
    let read: std::collections::BTreeSet<&str> = batch
        .files
        .iter()
        .map(|o| o.file.display.as_str())
        .collect();
    for d in batch
        .diagnostics
        .iter()
        .filter(|d| !read.contains(d.file.as_str()))
    {
        groups.push(ReportGroup {
            outcome: None,
            diagnostics: std::slice::from_ref(d),
            department: String::new(),
            year: None,
            file: &d.file,
            sheet: None,
            page: 1,
        });
    }
    groups.sort_by(|a, b| {
        (a.department.is_empty())
            .cmp(&b.department.is_empty())
            .then_with(|| crate::collate::names(&a.department, &b.department))
            .then_with(|| (a.year, a.file, a.sheet).cmp(&(b.year, b.file, b.sheet)))
    });
    let pages = paginate(groups.iter().map(|g| g.diagnostics.len()));
    for (g, page) in groups.iter_mut().zip(pages) {
        g.page = page;
    }
    groups
}

/// The page of each group of `rows` findings, in order: a page takes groups until it holds
/// `PAGE_GROUPS` of them or `PAGE_ROWS` findings.
fn paginate(rows: impl Iterator<Item = usize>) -> Vec<usize> {
    let (mut page, mut in_page, mut on_page) = (1, 0, 0);
    rows.map(|n| {
        // An empty page never ends: its `on_page` is 0.
        if in_page == PAGE_GROUPS || on_page >= PAGE_ROWS {
            page += 1;
            in_page = 0;
            on_page = 0;
        }
        in_page += 1;
        on_page += n;
        page
    })
    .collect()
}

/// Which report page lists each form's findings.
#[derive(Debug, Clone, Default)]
pub struct ReportPages {
    pages: BTreeMap<String, usize>,
    count: usize,
}

impl ReportPages {
    /// The pages of `groups` (`groups`' order and pages).
    pub fn of(groups: &[ReportGroup<'_>]) -> ReportPages {
        ReportPages {
            count: groups.last().map_or(1, |g| g.page),
            pages: groups.iter().map(|g| (g.anchor(), g.page)).collect(),
        }
    }

    /// How many pages the report has (at least one).
    pub fn count(&self) -> usize {
        self.count.max(1)
    }

    /// The page that lists a form's findings (the first when it has none).
    pub fn page(&self, file: &str, sheet: Option<&str>) -> usize {
        self.pages.get(&anchor(file, sheet)).copied().unwrap_or(1)
    }

    /// A link from the site root to a form's findings: `report-3.html#f-…`.
    pub fn href(&self, file: &str, sheet: Option<&str>) -> String {
        format!(
            "{}#{}",
            page_path(self.page(file, sheet)),
            anchor(file, sheet)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_holds_so_many_forms_or_about_so_many_findings() {
        let pages = paginate(std::iter::repeat_n(1, 2 * PAGE_GROUPS + 1));
        assert_eq!(pages[PAGE_GROUPS - 1], 1);
        assert_eq!(pages[PAGE_GROUPS], 2);
        assert_eq!(pages[2 * PAGE_GROUPS], 3);
        // Findings: a page ends once it holds PAGE_ROWS (a form with more is never split).
        let pages = paginate([PAGE_ROWS - 1, 1, 1, 5 * PAGE_ROWS, 1].into_iter());
        assert_eq!(pages, [1, 1, 2, 2, 3]);
        assert_eq!(paginate(std::iter::empty()), Vec::<usize>::new());
    }

    #[test]
    fn links_name_the_page_and_the_form() {
        assert_eq!(page_path(1), "report.html");
        assert_eq!(page_path(3), "report-3.html");
        let pages = ReportPages::default();
        assert_eq!(pages.count(), 1);
        assert_eq!(
            pages.href("a.txt", Some("表1")),
            format!("report.html#{}", anchor("a.txt", Some("表1")))
        );
        assert_ne!(anchor("a.txt", Some("表1")), anchor("a.txt", None));
    }
}
