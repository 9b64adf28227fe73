use super::*;

#[test]
fn cell_references_read_as_positions() {
    assert_eq!(cell_position("A1"), Ok((0, 0)));
    assert_eq!(cell_position("B12"), Ok((11, 1)));
    assert_eq!(cell_position("$AA$3"), Ok((2, 26)));
    assert_eq!(cell_position("XFD1048576"), Ok((1_048_575, 16_383)));
    let long = format!("{}1", "A".repeat(40));
    for bad in [
        "",
        "A",
        "12",
        "A0",
        "ABCD1",
        "A1B",
        "A99999999999",
        "中1",
        &long,
    ] {
        assert!(cell_position(bad).is_err(), "{bad}");
    }
    assert_eq!(row_number("3"), Ok(2));
    assert!(row_number("0").is_err());
}

#[test]
fn office_escapes_decode() {
    let mut s = String::new();
    push_unescaped(&mut s, "a_x000D_b_x0009_c_xD83D__xDE00_d_xD83D_e_x12_f");
    assert_eq!(s, "a\rb\tc😀d\u{FFFD}e_x12_f");
}

#[test]
fn date_formats_are_told_from_number_formats() {
    for date in [
        "yyyy-mm-dd",
        "yyyy\"年\"m\"月\"d\"日\"",
        "[h]:mm:ss",
        "h:mm AM/PM",
    ] {
        assert!(is_date_format(date), "{date}");
    }
    for number in [
        "0.00",
        "#,##0.00_);[Red](#,##0.00)",
        "0.00%",
        "\"约\"0\"万元\"",
        "General",
    ] {
        assert!(!is_date_format(number), "{number}");
    }
}

/// Every event of an XML text, as (kind, name or text) pairs.
fn events(xml_text: &str) -> Result<Vec<(&'static str, String)>, Fault> {
    let mut lexer = Lexer::new(xml_text);
    let mut out = Vec::new();
    loop {
        out.push(match lexer.next()? {
            Event::Start(t) => ("start", format!("{}|{}", t.name, t.attrs)),
            Event::Empty(t) => ("empty", format!("{}|{}", t.name, t.attrs)),
            Event::End(n) => ("end", n.to_owned()),
            Event::Text(t) => ("text", unescaped(t)),
            Event::CData(t) => ("cdata", t.to_owned()),
            Event::Eof => return Ok(out),
        });
    }
}

#[test]
fn the_lexer_reads_what_office_parts_hold() {
    let got = events(concat!(
        "\u{feff}<?xml version=\"1.0\"?><!DOCTYPE x><!-- a <c> comment -->",
        "<x:c r=\"A1\" t='s' f=\"a>b\"><v>1 &lt; 2 &amp;&#x41;&#66;&bogus; &amp</v>",
        "<t/><t xml:space=\"preserve\"/><![CDATA[<raw>]]>a\r\nb\rc</x:c >",
    ))
    .unwrap();
    let want: Vec<(&str, String)> = vec![
        ("text", "\u{feff}".into()),
        ("start", "x:c| r=\"A1\" t='s' f=\"a>b\"".into()),
        ("start", "v|".into()),
        ("text", "1 < 2 &AB&bogus; &amp".into()),
        ("end", "v".into()),
        ("empty", "t|".into()),
        ("empty", "t| xml:space=\"preserve\"".into()),
        ("cdata", "<raw>".into()),
        ("text", "a\nb\nc".into()),
        ("end", "x:c".into()),
    ];
    assert_eq!(got, want);
    for cut in [
        "<c r=\"A1",
        "<!-- never closed",
        "<![CDATA[ open",
        "<?xml",
        "</c",
    ] {
        assert!(events(cut).is_err(), "{cut}");
    }
}

#[test]
fn attributes_read_as_written() {
    let pairs: Vec<_> = Attrs(r#" r="A1"  s = '3' t="s""#).collect();
    assert_eq!(pairs, [("r", "A1"), ("s", "3"), ("t", "s")]);
    assert_eq!(Attrs(r#" r="A1" broken"#).count(), 1);
    assert_eq!(Attrs(r#" r="A1"#).count(), 0);
}
