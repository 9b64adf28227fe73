//! What a chart says in words and in a table: [`Chart::summary`], its Chinese text alternative
//! (also the SVG's `<desc>`), and [`Chart::table`], the same numbers for the HTML table folded
//! under the chart. Both are raw text; the template escapes them.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::text::clean;
use super::{
    fmt_decimal, sat_add, share_pct, Chart, ChartKind, ChartTable, BLANK, NO_DATA, NO_VALUE,
};

impl Chart {
    /// A text alternative in Chinese: the title with the unit the chart shows, then the largest
    /// values (or every value, for a count or a composition), e.g.
    /// "2020年至2022年预算与实际支出（万元）。2022年预算最高，为 1,234.56 万元。"
    pub fn summary(&self) -> String {
        let mut out = String::new();
        let title = clean(&self.title);
        let title = title.trim();
        if !title.is_empty() {
            out.push_str(title);
            // A composition is drawn in %; a count says its unit with every number.
            let unit = match self.kind {
                ChartKind::Shares => "%".to_string(),
                _ if self.is_count() => String::new(),
                _ => clean(self.unit.trim()),
            };
            if !unit.is_empty() {
                let _ = write!(out, "（{unit}）");
            }
            out.push('。');
        }
        if !self.has_data() {
            out.push_str(NO_DATA);
            out.push('。');
            return out;
        }
        let body = match self.kind {
            ChartKind::Grouped if self.is_count() && self.drawn_series() == 1 => {
                self.summary_counts()
            }
            ChartKind::Grouped => self.summary_grouped(),
            ChartKind::Stacked => self.summary_stacked(),
            ChartKind::Ranking => self.summary_ranking(),
            ChartKind::Shares => self.summary_shares(),
        };
        out.push_str(&body);
        out
    }

    /// The same numbers as rows for an HTML table next to the chart (the template renders it):
    /// header = ["", series names…], one row per category, values formatted with two decimals
    /// and thousands separators ("1,234.56"; counts without decimals), "—" for None and "未填"
    /// for a blank of the form; for `Shares` also the percentage, as "1,234.56（62.50%）"
    /// (share of the category's non-negative total).
    pub fn table(&self) -> ChartTable {
        let mut header = vec![String::new()];
        header.extend(self.series.iter().map(|s| s.name.clone()));
        let rows = self
            .categories
            .iter()
            .enumerate()
            .map(|(c, name)| {
                let mut row = vec![name.clone()];
                row.extend((0..self.series.len()).map(|s| self.cell(s, c)));
                row
            })
            .collect();
        ChartTable { header, rows }
    }

    fn cell(&self, s: usize, c: usize) -> String {
        let Some(v) = self.value(s, c) else {
            return if self.is_blank(s, c) { BLANK } else { NO_VALUE }.to_string();
        };
        let amount = self.value_text(v);
        match (self.kind, share_pct(v, self.share_total(c))) {
            (ChartKind::Shares, Some(p)) => format!("{amount}（{}%）", fmt_decimal(p, 2)),
            _ => amount,
        }
    }

    fn summary_grouped(&self) -> String {
        // First maximum wins ties.
        let Some((s, c, v)) = self.values().fold(
            None,
            |best: Option<(usize, usize, Decimal)>, cur| match best {
                Some(b) if b.2 >= cur.2 => Some(b),
                _ => Some(cur),
            },
        ) else {
            return String::new();
        };
        let who = if self.drawn_series() > 1 {
            format!("{}{}", self.category(c), self.series_name(s))
        } else {
            self.category(c)
        };
        format!("{who}最高，为 {}。", self.amount(v))
    }

    /// Every category's count: "低于-30%：2 个；-30%～-10%：5 个。"
    fn summary_counts(&self) -> String {
        let parts: Vec<String> = (0..self.categories.len())
            .map(|c| {
                let shown = match self.value(0, c) {
                    Some(v) => self.amount(v),
                    None if self.is_blank(0, c) => BLANK.to_string(),
                    None => NO_VALUE.to_string(),
                };
                format!("{}：{shown}", self.category(c))
            })
            .collect();
        format!("{}。", parts.join("；"))
    }

    fn summary_stacked(&self) -> String {
        let mut best: Option<(usize, Decimal)> = None;
        for c in 0..self.categories.len() {
            let (pos, neg, any) = self.stack(c);
            if !any {
                continue;
            }
            let total = sat_add(pos, neg);
            if best.is_none_or(|(_, b)| total > b) {
                best = Some((c, total));
            }
        }
        let Some((c, total)) = best else {
            return String::new();
        };
        let label = if self.drawn_series() > 1 {
            "合计最高"
        } else {
            "最高"
        };
        format!("{}{label}，为 {}。", self.category(c), self.amount(total))
    }

    fn summary_ranking(&self) -> String {
        let mut max: Option<(usize, Decimal)> = None;
        let mut min: Option<(usize, Decimal)> = None;
        let mut count = 0usize;
        for (_, c, v) in self.values() {
            count += 1;
            if max.is_none_or(|(_, m)| v > m) {
                max = Some((c, v));
            }
            // The last of equal minima, so that a tie does not name the maximum twice.
            if min.is_none_or(|(_, m)| v <= m) {
                min = Some((c, v));
            }
        }
        let (Some((cmax, vmax)), Some((cmin, vmin))) = (max, min) else {
            return String::new();
        };
        if count == 1 {
            return format!("{}为 {}。", self.category(cmax), self.amount(vmax));
        }
        if vmax == vmin {
            return format!("共 {count} 项，均为 {}。", self.amount(vmax));
        }
        format!(
            "共 {count} 项，{}最高，为 {}；{}最低，为 {}。",
            self.category(cmax),
            self.amount(vmax),
            self.category(cmin),
            self.amount(vmin)
        )
    }

    /// Every part of every bar, with its share and amount, and the blanks said as such:
    /// "收入：财政拨款占 100.00%（286.41 万元），其他资金未填。"
    fn summary_shares(&self) -> String {
        let mut parts = Vec::new();
        for c in 0..self.categories.len() {
            let total = self.share_total(c);
            let mut items = Vec::new();
            for s in 0..self.series.len() {
                match self.value(s, c) {
                    Some(v) => match share_pct(v, total) {
                        Some(p) => items.push(format!(
                            "{}占 {}%（{}）",
                            self.series_name(s),
                            fmt_decimal(p, 2),
                            self.amount(v)
                        )),
                        None => items.push(format!("{}为 {}", self.series_name(s), self.amount(v))),
                    },
                    None if self.is_blank(s, c) => {
                        items.push(format!("{}{BLANK}", self.series_name(s)));
                    }
                    None => {}
                }
            }
            if !items.is_empty() {
                parts.push(format!("{}：{}", self.category(c), items.join("，")));
            }
        }
        if parts.is_empty() {
            return format!("{NO_DATA}。");
        }
        format!("{}。", parts.join("；"))
    }
}
