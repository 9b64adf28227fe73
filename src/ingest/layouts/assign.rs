//! The search that gives a row's cells to its header's columns (`header::ColumnMap::assign`):
//! what moving a cell costs (`Moves`, one type per way a table's rows come apart from its
//! header), the search over every assignment in order (`search`), and its one-pass answer for
//! rows with a single best assignment (`unique_best`), which are nearly all of them.

/// How `assign` charges moving a row's cells: a table's own knowledge of how its rows come
/// apart from its header. Constants of a type, so the search is compiled for each.
pub trait Moves {
    /// Every cell left of its own place costs `LEFT_OF_ITSELF` (else only the cell where a
    /// move to the left begins or grows, as a move to the right costs once).
    const LEFT_EVERY_CELL: bool;
    /// What a cell after the first placed one costs for each cell its move differs from the
    /// cell before it (a column inserted or merged among the values).
    const BETWEEN: i32;
}

/// A row loses cells on its left, it does not gain them: every cell read left of where it
/// stands costs more, and a column inserted or merged among the values moves the cells after
/// it at the cost of any move (the declaration's tables; `assign`).
pub enum LostOnTheLeft {}

impl Moves for LostOnTheLeft {
    const LEFT_EVERY_CELL: bool = true;
    const BETWEEN: i32 = MOVE_COST;
}

/// A row moves as a whole: it lost leading cells, or it stands right of its header where its
/// label was merged over more cells than the header's (a hand-made export). Moving it left
/// costs once, like a move right; a column inserted among the values shows in the header as
/// well (the header cell spans it), so cells moving apart inside the row cost four times a
/// move (the self-evaluation's tables).
pub enum WholeRows {}

impl Moves for WholeRows {
    const LEFT_EVERY_CELL: bool = false;
    const BETWEEN: i32 = 4 * MOVE_COST;
}

/// What moving a cell one column costs, against what a fitting cell scores (`fit`: 1 to 4).
const MOVE_COST: i32 = 2;
/// What a cell standing left of its own place costs, besides the move.
const LEFT_OF_ITSELF: i32 = 4;
/// Cells left out between two placed ones, at most (a row is no list of strays).
const MAX_LEFT_OUT: usize = 2;
/// What a cell no column takes costs.
const LEFT_OUT: i32 = -6;

/// How `assign` scores cell k (standing at `cells[k]`) under column j (over `spans[j]`)
/// after a cell that moved by `before` (the first placed cell: after the row's known offset),
/// at `per_cell` a cell of changed move: its score and its move.
pub(super) fn placer<'a, M: Moves>(
    cells: &'a [usize],
    spans: &'a [(usize, usize)],
    scores: &'a [i32],
) -> impl Fn(usize, usize, isize, i32) -> (i32, isize) + 'a {
    let m = spans.len();
    move |k, j, before, per_cell| {
        let i = cells[k] as isize;
        let (start, end) = (spans[j].0 as isize, spans[j].1 as isize);
        let p = (i + before).clamp(start, end - 1);
        let moved = p - i;
        // A row loses cells on its left, it does not gain them: standing left of where the
        // cell is costs more (for every such cell, or once a move: `Moves`).
        let left = moved < 0 && (M::LEFT_EVERY_CELL || moved < before);
        let cost = per_cell * (moved - before).unsigned_abs() as i32
            + if left { LEFT_OF_ITSELF } else { 0 };
        // A value stands in the first cell of a merged span.
        let fit = scores[k * m + j] - i32::from(p != start);
        (fit - cost, moved)
    }
}

/// One row's assignment as `assign` weighs it: what each of its `n` cells fits under each of
/// `m` columns (`scores`, cell by cell), the row's known offset, and how a placed cell scores
/// (`placer`: cell k under column j after a cell that moved by a distance, at a cost a cell of
/// changed move; its score and its move).
pub(super) struct Problem<'a, P> {
    pub(super) scores: &'a [i32],
    pub(super) n: usize,
    pub(super) m: usize,
    pub(super) offset: isize,
    pub(super) place: P,
}

/// `assign`'s search: the best assignment of `p`'s cells to its columns in order, as (cell,
/// column) pairs in order.
pub(super) fn search<M: Moves>(
    p: &Problem<'_, impl Fn(usize, usize, isize, i32) -> (i32, isize)>,
) -> Vec<(usize, usize)> {
    let (scores, n, m, offset, place) = (p.scores, p.n, p.m, p.offset, &p.place);
    // best[k][j]: the best score with cell k the last placed, under column j; the cell
    // placed before it is at most `MAX_LEFT_OUT` cells back.
    let mut best: Vec<Vec<Step>> = vec![Vec::with_capacity(m); n];
    for k in 0..n {
        for j in 0..m {
            let (s, moved) = place(k, j, -offset, MOVE_COST);
            let mut cand = (LEFT_OUT * k as i32 + s, None, moved);
            let first = k.saturating_sub(MAX_LEFT_OUT + 1);
            // `place` never scores a cell above its fit: a step that could not beat the best
            // so far even at that is not worked out (the order of the search, and so its
            // ties, is unchanged).
            let fit = scores[k * m + j];
            for (k2, placed) in best.iter().enumerate().take(k).skip(first) {
                let gap = LEFT_OUT * (k - k2 - 1) as i32;
                for (j2, &(s2, _, d2)) in placed.iter().enumerate().take(j) {
                    if s2 + gap + fit <= cand.0 {
                        continue;
                    }
                    let (s, moved) = place(k, j, d2, M::BETWEEN);
                    let total = s2 + gap + s;
                    if total > cand.0 {
                        cand = (total, Some((k2, j2)), moved);
                    }
                }
            }
            best[k].push(cand);
        }
    }
    let mut end = None;
    let mut top = LEFT_OUT * n as i32;
    for (k, row_k) in best.iter().enumerate() {
        for (j, &(s, _, _)) in row_k.iter().enumerate() {
            let total = s + LEFT_OUT * (n - 1 - k) as i32;
            if total > top {
                top = total;
                end = Some((k, j));
            }
        }
    }
    let mut out = Vec::new();
    while let Some((k, j)) = end {
        out.push((k, j));
        end = best[k][j].1;
    }
    out.reverse();
    out
}

/// The assignment `assign`'s search would find, when one can be shown to be its only best
/// without the search: `None` otherwise.
///
/// Every assignment (cells in order under columns in order, cells left out at `LEFT_OUT`)
/// scores at most its bound: its first placed cell exactly as `place` scores it, every later
/// one at most its fit (a move only costs, a merged span's later cells fit one less). The
/// highest bound is found in one pass over cells × columns with how many assignments reach it.
/// When exactly one does and its exact score is its bound, every other assignment scores
/// less, at every step of the way too, so the search keeps it at each of its steps and ends
/// on it (if no more than `MAX_LEFT_OUT` cells lie between two of its cells, as the search
/// allows).
pub(super) fn unique_best<M: Moves>(
    p: &Problem<'_, impl Fn(usize, usize, isize, i32) -> (i32, isize)>,
) -> Option<Vec<(usize, usize)>> {
    let (scores, n, m, offset, place) = (p.scores, p.n, p.m, p.offset, &p.place);
    use std::cmp::Ordering;
    // A best bound, how many assignments reach it and where (the last placed cell and its
    // column; meaningful when one does).
    type Best = (i32, u64, Option<(usize, usize)>);
    const NONE: Best = (i32::MIN / 4, 0, None);
    let pick = |a: Best, b: Best| match a.0.cmp(&b.0) {
        Ordering::Greater => a,
        Ordering::Less => b,
        Ordering::Equal => (a.0, a.1 + b.1, a.2),
    };
    let at = |k: usize, j: usize| k * m + j;
    // `previous[k, j]`: the cell placed before cell k under column j on its best way there;
    // `upto[k, j]`: the best of (bound so far − `LEFT_OUT`·k2) over last placed cells k2 ≤ k
    // under columns ≤ j (two overlapping regions counted once), so each cell looks back once.
    let mut previous: Vec<Option<(usize, usize)>> = vec![None; n * m];
    let mut upto: Vec<Best> = vec![NONE; n * m];
    let mut top: Best = (LEFT_OUT * n as i32, 1, None);
    for k in 0..n {
        for j in 0..m {
            let first: Best = (
                LEFT_OUT * k as i32 + place(k, j, -offset, MOVE_COST).0,
                1,
                None,
            );
            let after = if k > 0 && j > 0 {
                let (v, count, last) = upto[at(k - 1, j - 1)];
                (
                    v + LEFT_OUT * (k as i32 - 1) + scores[at(k, j)],
                    count,
                    last,
                )
            } else {
                NONE
            };
            let reach = pick(first, after);
            previous[at(k, j)] = reach.2;
            top = pick(
                top,
                (
                    reach.0 + LEFT_OUT * (n - 1 - k) as i32,
                    reach.1,
                    Some((k, j)),
                ),
            );
            let above = if k > 0 { upto[at(k - 1, j)] } else { NONE };
            let left = if j > 0 { upto[at(k, j - 1)] } else { NONE };
            let both = if k > 0 && j > 0 {
                upto[at(k - 1, j - 1)]
            } else {
                NONE
            };
            let mut region = pick(above, left);
            if both.0 == region.0 {
                region.1 -= both.1;
            }
            upto[at(k, j)] = pick(
                region,
                (reach.0 - LEFT_OUT * k as i32, reach.1, Some((k, j))),
            );
        }
    }
    let (bound, 1, Some(last)) = top else {
        return None;
    };
    let mut chain = vec![last];
    while let Some(p) = previous[at(chain[chain.len() - 1].0, chain[chain.len() - 1].1)] {
        chain.push(p);
    }
    chain.reverse();
    if chain.windows(2).any(|w| w[1].0 - w[0].0 > MAX_LEFT_OUT + 1) {
        return None;
    }
    let (k0, j0) = chain[0];
    let (mut score, mut moved) = place(k0, j0, -offset, MOVE_COST);
    score += LEFT_OUT * k0 as i32;
    for w in chain.windows(2) {
        let ((k2, _), (k, j)) = (w[0], w[1]);
        let (s, now) = place(k, j, moved, M::BETWEEN);
        score += LEFT_OUT * (k - k2 - 1) as i32 + s;
        moved = now;
    }
    score += LEFT_OUT * (n - 1 - last.0) as i32;
    (score == bound).then_some(chain)
}

/// A step of `assign`'s search: the score so far, the cell and column placed before, and how
/// far the last placed cell moved.
type Step = (i32, Option<(usize, usize)>, isize);

#[cfg(test)]
mod tests {
    use super::*;

    /// Random rows (cells, column spans, fits, offsets), both kinds of moves: whenever
    /// `unique_best` answers, the search answers the same. Counted, so the shortcut is shown
    /// to answer often and the search to be needed sometimes.
    #[test]
    fn the_shortcut_answers_as_the_search_does() {
        fn check<M: Moves>(seed: u64) -> (usize, usize) {
            let mut state = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let mut next = |below: u64| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (state >> 33) % below
            };
            let (mut answered, mut searched) = (0, 0);
            for _ in 0..4000 {
                let m = 1 + next(8) as usize;
                let mut spans = Vec::new();
                let mut at = next(2) as usize;
                for _ in 0..m {
                    let width = 1 + usize::from(next(4) == 0);
                    spans.push((at, at + width));
                    at += width;
                }
                let mut cells: Vec<usize> = (0..at + 2).filter(|_| next(3) != 0).collect();
                cells.truncate(8);
                let n = cells.len();
                if n == 0 {
                    continue;
                }
                // Few values, so ties are common.
                let scores: Vec<i32> = (0..n * m).map(|_| next(7) as i32 - 4).collect();
                let offset = [0, 0, 0, 1, -1][next(5) as usize];
                let problem = Problem {
                    scores: &scores,
                    n,
                    m,
                    offset,
                    place: placer::<M>(&cells, &spans, &scores),
                };
                let searched_for = search::<M>(&problem);
                match unique_best::<M>(&problem) {
                    Some(chain) => {
                        assert_eq!(
                            chain, searched_for,
                            "cells {cells:?} spans {spans:?} scores {scores:?} offset {offset}"
                        );
                        answered += 1;
                    }
                    None => searched += 1,
                }
            }
            (answered, searched)
        }
        for seed in 0..5 {
            for (answered, searched) in [check::<WholeRows>(seed), check::<LostOnTheLeft>(seed)] {
                assert!(
                    answered > 400 && searched > 400,
                    "{answered} answered, {searched} searched"
                );
            }
        }
    }
}
