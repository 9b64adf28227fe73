use super::*;

#[test]
fn index_json_cannot_close_its_script_or_break_a_line() {
    let json = serde_json::to_string(&"</script><!-- a\u{2028}b\u{2029} & >").unwrap();
    let safe = script_safe(&json);
    assert!(!safe.contains('<') && !safe.contains('>'));
    assert!(!safe.contains('\u{2028}') && !safe.contains('\u{2029}'));
    let back: String = serde_json::from_str(&safe).unwrap();
    assert_eq!(back, "</script><!-- a\u{2028}b\u{2029} & >");
}

/// The page's `ids`, in Rust: gaps, or `*` and a bitmap.

#[test]
fn department_lists_read_back_as_gaps_or_as_a_bitmap_whichever_is_shorter() {
    for (ids, n) in [
        (vec![], 10),
        (vec![0], 1),
        (vec![3, 40, 41, 1000, 70_000], 100_000),
        ((0..2000).collect::<Vec<_>>(), 2000),
        ((0..20_000).step_by(3).collect(), 20_000),
        // A bitmap whose gaps had to be read back, one of them several characters long.
        ((0..3000).chain([9_999]).collect(), 10_000),
    ] {
        let e = encode_ids(&ids, n);
        assert_eq!(decode_ids(&e), ids, "{e}");
        assert!(e.len() <= 1 + n.div_ceil(6) || !e.starts_with('*'));
        assert!(e.chars().all(|c| c == '*' || ALPHABET.contains(&(c as u8))));
    }
    // A tie (the gaps as long as `*` and the bitmap) keeps the gaps.
    assert_eq!(encode_ids(&[0, 1], 6), "AA");
    assert_eq!(encode_ids(&[0, 1, 2], 6), "*H");
    assert!(encode_ids(&(0..2000).collect::<Vec<_>>(), 2000).starts_with('*'));
    assert!(!encode_ids(&[5, 900], 2000).starts_with('*'));
}

#[test]
fn the_text_hash_is_fnv1a_over_utf16_as_the_page_computes_it() {
    // 0x811c9dc5 in base 36; "a": FNV-1a 32 of one unit 0x61 = 0xe40c292c.
    assert_eq!(text_hash(""), base36(0x811c_9dc5));
    assert_eq!(text_hash("a"), base36(0xe40c_292c));
    assert_ne!(text_hash("满意度"), text_hash("满意"));
}

#[test]
fn pair_tokens_sort_as_their_texts() {
    // The chunks and their keys are cut in the strings' order: the pairs must keep it.
    let mut pairs = Vec::new();
    for text in [
        "职工帮扶 PM2.5",
        "a ab abc",
        "\u{e000}x 丁 ~一",
        "ÿ\u{ffee} 乙a",
        "a\u{ffff} \u{ffff}b \u{ffff}",
    ] {
        tokens_of(text, &mut pairs, &mut BTreeSet::new());
    }
    pairs.sort_unstable();
    pairs.dedup();
    let texts: Vec<String> = pairs.iter().map(|p| pair_text(*p)).collect();
    let mut sorted = texts.clone();
    sorted.sort();
    assert_eq!(texts, sorted);
    assert!(texts.len() > 15, "{texts:?}");
}

#[test]
fn a_text_gives_its_pairs_its_last_character_and_itself() {
    let (mut pairs, mut whole) = (Vec::new(), BTreeSet::new());
    tokens_of("职工帮扶 PM2.5", &mut pairs, &mut whole);
    let pairs: BTreeSet<String> = pairs.iter().map(|p| pair_text(*p)).collect();
    let pairs: Vec<String> = pairs.into_iter().collect();
    assert_eq!(
        pairs,
        [".5", "2.", "5", "m2", "pm", "工帮", "帮扶", "职工"],
        "lowercased, no pair across the space"
    );
    assert!(
        whole.is_empty(),
        "a text with a separator is never one query term"
    );
    tokens_of("服务对象满意度", &mut Vec::new(), &mut whole);
    assert!(whole.contains("服务对象满意度"));
}

#[test]
fn the_vocabulary_holds_jieba_words_and_their_parts() {
    let mut v = rustc_hash::FxHashSet::default();
    words_of(
        "开展困难职工帮扶工作，金秋助学",
        &mut Default::default(),
        &mut v,
    );
    assert!(v.contains("职工"), "{v:?}");
    assert!(v.contains("帮扶"), "{v:?}");
    assert!(v.contains("助学"), "{v:?}");
    assert!(v.iter().all(|w| w.chars().count() >= 2));
}

#[test]
fn an_id_lists_gaps_read_back_through_every_digit() {
    // Gaps 0..2048 use every character of the alphabet, alone and as a continuation: the
    // numbers read back from the gaps (as the bitmap is made) are the ones pushed.
    let mut ids = Vec::new();
    let mut next = 0;
    for gap in 0..2048 {
        next += gap;
        ids.push(next);
        next += 1;
    }
    let mut list = IdList::default();
    for &id in &ids {
        list.push(id);
    }
    let used: BTreeSet<u8> = list.gaps.iter().copied().collect();
    assert_eq!(used.len(), 64, "every digit used");
    assert_eq!(list.ids(), ids);
    for (v, &c) in ALPHABET.iter().enumerate() {
        assert_eq!(digit(c), v, "{}", c as char);
    }
}

/// The hash's digits are base 36 written most significant first, every digit of it.
#[test]
fn base36_writes_every_digit() {
    assert_eq!(base36(0), "0");
    assert_eq!(base36(35), "z");
    assert_eq!(base36(36), "10");
    assert_eq!(base36(36 * 36 + 1), "101");
    assert_eq!(base36(u32::MAX), "1z141z3");
}

/// The vocabulary a query may be split into: jieba's dictionary words of two to eight
/// Chinese characters, parts of long words too (search mode); no digits, Latin letters or
/// single characters.
#[test]
fn the_vocabulary_holds_dictionary_words_of_chinese_only() {
    let mut words = rustc_hash::FxHashSet::default();
    words_of(
        "2020年发放助学金162人次，PM2.5达标率",
        &mut Default::default(),
        &mut words,
    );
    for w in ["助学金", "发放", "达标率"] {
        assert!(words.contains(w), "{w} missing from {words:?}");
    }
    for w in &words {
        let n = w.chars().count();
        assert!(
            (2..=8).contains(&n) && w.chars().all(is_cjk),
            "{w} in {words:?}"
        );
    }
    assert!(!words.iter().any(|w| w.contains("2020") || w.contains("PM")));
    assert!(is_cjk('助') && !is_cjk('2') && !is_cjk('，') && !is_cjk('a'));
}

/// `lower` is `to_lowercase`, borrowing where that changes nothing: every character it
/// counts as caseless lowercases to itself, and texts with cased letters of any script
/// (a final sigma too) go the long way.
#[test]
fn lowering_is_to_lowercase_and_borrows_the_caseless() {
    for c in (0..=0x10ffff)
        .filter_map(char::from_u32)
        .filter(|&c| caseless(c))
    {
        assert!(
            c.to_lowercase().eq(std::iter::once(c)),
            "{c:?} ({:x}) is not caseless",
            c as u32
        );
    }
    for s in [
        "职工帮扶 PM2.5",
        "服务对象满意度≥95％（含）",
        "ΟΔΟΣ Σ",
        "İstanbul",
        "ＰＭ２．５",
        "“培训”—…",
        "",
    ] {
        assert_eq!(lower(s), s.to_lowercase(), "{s}");
    }
    assert!(matches!(
        lower("服务对象满意度≥95％（含）“一”"),
        std::borrow::Cow::Borrowed(_)
    ));
    assert!(matches!(lower("ＰＭ２．５"), std::borrow::Cow::Owned(_)));
}
