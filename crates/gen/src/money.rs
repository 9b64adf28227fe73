//! Money in integer cents: a department's budget series across years, its split into parts, and the swings that make outliers for the dashboard.

use super::*;

// ---------------------------------------------------------------------------------------------
// Money
// ---------------------------------------------------------------------------------------------

/// One column of the budget table, in cents of 万元. `other: None` is an empty cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Col {
    pub(crate) fa: i64,
    pub(crate) other: Option<i64>,
    pub(crate) in_total: i64,
    pub(crate) basic: i64,
    pub(crate) project: i64,
    pub(crate) out_total: i64,
}

impl Col {
    pub(crate) fn figures(&self) -> Figures {
        Figures {
            income: IncomeFigures {
                fiscal_appropriation: money(self.fa),
                other: self.other.map(money),
                total: money(self.in_total),
            },
            expenditure: ExpenditureFigures {
                basic: money(self.basic),
                project: money(self.project),
                total: money(self.out_total),
            },
        }
    }

    /// Declared shares in hundredths of a percent: fa, other, income total, basic, project,
    /// expenditure total; `None` if a computed share lies exactly halfway between two
    /// hundredths (rounding modes would disagree there, so the generator avoids it).
    pub(crate) fn shares(&self) -> Option<[Option<i64>; 6]> {
        let fa = share_bp(self.fa, self.in_total)?;
        let other = match self.other {
            Some(o) => Some(share_bp(o, self.in_total)?),
            None => None,
        };
        let basic = share_bp(self.basic, self.out_total)?;
        let project = share_bp(self.project, self.out_total)?;
        Some([
            Some(fa),
            other,
            Some(10000),
            Some(basic),
            Some(project),
            Some(10000),
        ])
    }
}

/// `round(part / total × 100, 2)` in hundredths of a percent, half away from zero; `None` on
/// an exact tie.
pub(crate) fn share_bp(part: i64, total: i64) -> Option<i64> {
    let num = part as i128 * 10000;
    let den = total as i128;
    let (q, r) = (num / den, num % den);
    let twice = 2 * r.abs();
    if twice == den.abs() {
        return None;
    }
    let away = twice > den.abs();
    let sign = if (num < 0) != (den < 0) { -1 } else { 1 };
    Some((q + if away { sign } else { 0 }) as i64)
}

pub(crate) fn money(cents: i64) -> Decimal {
    Decimal::new(cents, 2).normalize()
}

/// A department's budgets and actuals from the earliest reported year to the last budget year.
pub(crate) struct Series {
    pub(crate) first: i32,
    pub(crate) budget: Vec<Col>,
    pub(crate) actual: Vec<Col>,
}

/// `value × bp / 10000`, rounded to the cent.
pub(crate) fn scale(value: i64, bp: i64) -> i64 {
    ((value as i128 * bp as i128 + 5000) / 10000) as i64
}

impl Series {
    pub(crate) fn new(seed: u64, d: usize, years: &[i32]) -> Series {
        let mut rng = Rng::derive(&[seed, S_SERIES, d as u64]);
        let first = years[0] - 2;
        let last = years[years.len() - 1];
        // Magnitude: tens to tens of thousands of 万元, mostly hundreds and thousands.
        let decade = match rng.below(10) {
            0 => 1,
            1..=4 => 2,
            5..=8 => 3,
            _ => 4,
        };
        let unit = 10i64.pow(decade);
        let mut total = rng.range(100, 999) * unit + rng.range(0, unit - 1);
        let has_other = rng.chance(65);
        let mut other_bp = rng.range(200, 3000);
        let mut basic_bp = rng.range(5000, 9500);
        let mut budget = Vec::new();
        let mut actual = Vec::new();
        for _ in first..=last {
            other_bp = (other_bp + rng.range(-200, 200)).clamp(100, 3500);
            basic_bp = (basic_bp + rng.range(-300, 300)).clamp(4000, 9800);
            let mut b = split(total, has_other.then_some(other_bp), basic_bp);
            b.clear_ties();
            let a_total = scale(total, rng.range(8500, 11000));
            let a = split(
                a_total,
                has_other.then_some(other_bp + rng.range(-150, 150)),
                (basic_bp + rng.range(-300, 300)).min(9800),
            );
            budget.push(b);
            actual.push(a);
            total = scale(total, 10000 + rng.range(-500, 1500)).max(1000);
        }
        Series {
            first,
            budget,
            actual,
        }
    }

    pub(crate) fn budget(&self, year: i32) -> Col {
        self.budget[(year - self.first) as usize]
    }

    pub(crate) fn actual(&self, year: i32) -> Col {
        self.actual[(year - self.first) as usize]
    }

    pub(crate) fn truth(&self, name: &str, years: &[i32]) -> TruthDepartment {
        let mut out = Vec::new();
        for y in self.first..=years[years.len() - 1] {
            let declared = years.contains(&y);
            let reported = years.contains(&(y + 1)) || years.contains(&(y + 2));
            if declared || reported {
                out.push(YearFigures {
                    year: y,
                    budget: declared.then(|| self.budget(y).figures()),
                    actual: reported.then(|| self.actual(y).figures()),
                });
            }
        }
        TruthDepartment {
            name: name.to_string(),
            years: out,
        }
    }
}

pub(crate) fn split(total: i64, other_bp: Option<i64>, basic_bp: i64) -> Col {
    let other = other_bp.map(|bp| scale(total, bp).max(1));
    let basic = scale(total, basic_bp).clamp(1, total - 1);
    Col {
        fa: total - other.unwrap_or(0),
        other,
        in_total: total,
        basic,
        project: total - basic,
        out_total: total,
    }
}

// ---------------------------------------------------------------------------------------------
// Swings (outliers for the dashboard)
// ---------------------------------------------------------------------------------------------

impl Col {
    /// The same structure (other and basic shares) at another total, clear of share ties.
    pub(crate) fn rescaled(&self, total: i64) -> Col {
        let other_bp = self
            .other
            .map(|o| (o as i128 * 10000 / self.in_total.max(1) as i128) as i64);
        let basic_bp = (self.basic as i128 * 10000 / self.out_total.max(1) as i128) as i64;
        let mut c = split(
            total.max(1000),
            other_bp.map(|b| b.max(100)),
            basic_bp.clamp(100, 9900),
        );
        c.clear_ties();
        c
    }

    /// Keeps every share clear of rounding ties: on each side whose parts tie, one cent
    /// moves from one part to the other. A part ties when `part × 10000 ≡ total / 2` (mod
    /// total); one cent changes that by `10000 mod total`, which is not 0 where ties can
    /// happen at all, so one move clears the side, and both parts of a side tie or clear
    /// together (they sum to the total). Each side moves only for its own tie: moving both
    /// whenever either tied never ended for a total of 4,000 or 20,000 cents with one side's
    /// parts odd and the other's even (regression test below).
    pub(crate) fn clear_ties(&mut self) {
        let ties = |part: i64, total: i64| share_bp(part, total).is_none();
        if let Some(o) = self.other.as_mut() {
            if ties(self.fa, self.in_total) || ties(*o, self.in_total) {
                *o += 1;
                self.fa -= 1;
            }
        }
        if ties(self.basic, self.out_total) || ties(self.project, self.out_total) {
            self.basic += 1;
            self.project -= 1;
        }
        debug_assert!(self.shares().is_some(), "{self:?}");
    }
}

impl Series {
    /// Swing number `d` (see [`GenOptions::swings`]): kinds 0 and 1 change a budget year
    /// that has a budget year before it, kinds 2 and 3 the actual of a year a later form
    /// reports.
    pub(crate) fn swing(&mut self, d: usize, years: &[i32]) {
        let n = years.len();
        if n < 2 {
            return;
        }
        let kind = d % 4;
        let year = if kind < 2 {
            years[1 + (d / 4) % (n - 1)]
        } else {
            years[(d / 4) % (n - 1)]
        };
        let i = (year - self.first) as usize;
        match kind {
            0 | 1 => {
                let bp = if kind == 0 { 5500 } else { 16000 };
                self.budget[i] = self.budget[i].rescaled(scale(self.budget[i].in_total, bp));
            }
            _ => {
                let bp = if kind == 2 { 6000 } else { 13500 };
                self.actual[i] = self.actual[i].rescaled(scale(self.budget[i].out_total, bp));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The generator hung on `gen_district --seed 1136 --departments 125 --years
    /// 2020,2021,2022` (the 136th district of `bench/scale.sh 20000`): a budget of 4,000 or
    /// 20,000 cents whose income parts tied (odd) while its spending parts did not (even);
    /// moving both sides together swapped which side tied, for ever.
    #[test]
    fn a_tie_on_one_side_moves_that_side_only_and_ends() {
        // 4,000 cents: an odd part's share is exactly halfway (2999 / 4000 = 74.975 %).
        let mut c = split(4000, Some(2500), 5000);
        c.other = Some(1001);
        c.fa = 2999;
        assert!(c.shares().is_none());
        let spending = (c.basic, c.project);
        c.clear_ties();
        assert!(c.shares().is_some(), "{c:?}");
        assert_eq!((c.fa, c.other), (2998, Some(1002)));
        assert_eq!(
            (c.basic, c.project),
            spending,
            "the side without a tie stays"
        );
        // The spending side alone.
        let mut c = split(20000, None, 5000);
        c.basic = 10001;
        c.project = 9999;
        assert!(c.shares().is_none());
        c.clear_ties();
        assert_eq!((c.basic, c.project, c.fa), (10002, 9998, 20000), "{c:?}");
        assert!(c.shares().is_some());
        // A rescaled column whose income parts tie (the old loop moved only the spending).
        let tied = Col {
            fa: 2999,
            other: Some(1001),
            in_total: 4000,
            basic: 2000,
            project: 2000,
            out_total: 4000,
        };
        let c = tied.rescaled(4000);
        assert!(c.shares().is_some(), "{c:?}");
    }

    #[test]
    fn the_series_of_the_district_that_hung_are_made() {
        for d in 0..125 {
            let s = Series::new(1136, d, &[2020, 2021, 2022]);
            for y in 2018..=2022 {
                assert!(s.budget(y).shares().is_some(), "department {d}, {y}");
            }
        }
    }
}
