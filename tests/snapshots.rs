//! Snapshot tests of small, hand-made dumps: each exercises one rule of the tree
//! builder and is reviewed as an outline (insta). A changed snapshot fails the test; read
//! the diff, then accept it with `INSTA_UPDATE=always cargo test --test snapshots`.

use tulossopimus::{convert_bytes, emit, Options};

/// A results table in pdf-extract dump form: rows start with a space, rows are separated
/// by empty lines, cell paragraphs by space-only lines.
fn dump(rows: &str) -> String {
    format!(
        "Ministeriö ja Virasto \n\nMinisteriön ja viraston välinen tulossopimus 2027–2030 \n\n\n\n \n\n3 Tulostavoitteet \n\nTaulukko: Tulostavoitteet \n\n{rows}"
    )
}

fn outline(text: &str) -> String {
    let doc =
        convert_bytes("snapshot.txt", text.as_bytes(), &Options::default()).expect("converts");
    let mut out = emit::outline(&doc);
    for w in &doc.warnings {
        out.push_str(&format!(
            "warning {} @{:?}: {}\n",
            w.code, w.line, w.message
        ));
    }
    out
}

#[test]
fn levels_follow_the_depth_the_table_established() {
    let text = dump(concat!(
        " Linja A \n\n",
        " Tavoite A1 \n\n",
        " Alatavoite A1a \n\n",
        " Tavoite 2027 Teksti. \n\n",
        " Alatavoite A1b \n\n",
        " Tavoite 2027 Teksti. \n\n",
        " Tavoite A2 \n\n",
        " Alatavoite A2a \n\n",
        " Tavoite 2027 Teksti. \n\n",
        " Linja B \n\n",
        " Tavoite B1 \n\n",
        " Alatavoite B1a \n\n",
        " Tavoite 2027 Teksti. \n\n",
    ));
    insta::assert_snapshot!("levels_sequence", outline(&text));
}

#[test]
fn a_larger_font_heading_starts_a_strategic_line_wherever_it_stands() {
    let text = dump(concat!(
        " Ensimmäinen linja \n\n",
        " Tavoite \n\n",
        " Alatavoite \n\n",
        " Tavoite 2027 Teksti. \n\n",
        " Toinen, isolla kirjasimella painettu linja joka \n\n",
        "jatkuu toiselle riville \n \n",
        "Linjan kuvaus kappaleena. \n\n",
        " Tavoite suoraan linjan alla \n\n",
        " Tavoite 2027 Teksti. \n\n",
    ));
    insta::assert_snapshot!("levels_layout", outline(&text));
}

#[test]
fn indicators_directly_under_a_strategic_line_then_goals() {
    let text = dump(concat!(
        " Syvä linja \n\n Tavoite \n\n Alatavoite \n\n Tavoite 2027 Teksti. \n\n",
        " Mittarilinja, joka on painettu isolla ja \n\nrivittyy \n\n",
        " Asiakastyytyväisyys \n \nKuvaus mittarista. \n\n",
        " Mittayksikkö \nAsteikko 1-5 \n\n  \n \n\n",
        "Tav 2027 \n> 4,0 \n\nTav 2028 \n≥ 1 200 \n\nTav 2029 \n \n\n",
        " Tavoite mittarien jälkeen \n\n",
        " Tavoite 2027 Teksti. \n\n",
    ));
    insta::assert_snapshot!("indicators_under_line", outline(&text));
}

#[test]
fn page_breaks_inside_a_heading_and_inside_a_target() {
    let text = dump(concat!(
        " Linja \n\n",
        " Tavoite, jonka otsikko katkeaa \n\n\n\n   \n\n \n\n",
        "sivunvaihtoon kesken lauseen \n\n",
        " Tavoite 2027 Ensimmäinen kappale. \n \n\n\n\n   \n\n \n",
        "Toinen kappale seuraavalla sivulla. \n\n",
        " Toinen tavoite \n\n",
        " Tavoite 2027 Teksti. \n\n",
    ));
    let doc = convert_bytes("s.txt", text.as_bytes(), &Options::default()).expect("converts");
    let goal = &doc.agreements[0].strategic_lines[0].goals[0];
    insta::assert_snapshot!(
        "page_breaks",
        format!(
            "{}\n---\n{}\n---\n{}",
            outline(&text),
            goal.title,
            goal.targets[0].text
        )
    );
}

#[test]
fn cells_without_a_name_are_warned_not_dropped() {
    let text = dump(concat!(
        " Tavoite 2027 Ennen otsikoita. \n\n",
        " Linja \n\n Tavoite \n\n Tavoite 2027 Teksti. \n\n",
        "Tav 2028 \n> 5 \n\n",
        " Mittari \n\n Mittayksikkö \n% \n\nTav 2027 \n3-4 kertaa \n\n",
    ));
    insta::assert_snapshot!("orphans", outline(&text));
}

#[test]
fn chapters_impact_goals_closing() {
    let text = concat!(
        "Ministeriö ja Virasto, Erityistehtävä \n\nMinisteriön ja viraston välinen tulossopimus 2027 \n\n\n\n \n\n",
        "1 Tehtävät \n\n1.1. Alaluku \n\nProosaa, joka jatkuu sivun-\nvaihdon yli ja kehittämis- \nja hallinto. \n\n",
        "2 Yhteiskunnallinen vaikuttavuus \n\nJohdanto: \n\n• Ensimmäinen vaikuttavuustavoite (OKM) \n\n",
        "• Toinen, joka rivittyy kahdelle \n(STM) \n\n• Tuntematon tunnus (XYZ) \n\n",
        "Päätösosa ilman numeroa \n\nArvioinnissa VIHREÄ (3) = hyvä, PUNAINEN (1) = huono. Loppu. \n\n",
        "Helsingissä 4. maaliskuuta 2027 \n\nMinisteriö    Maija Meikäläinen, kansliapäällikkö \n\n",
        "Matti Virtanen, pääjohtaja \n",
    );
    let doc = convert_bytes("c.txt", text.as_bytes(), &Options::default()).expect("converts");
    let texts: Vec<String> = doc.agreements[0]
        .chapters
        .iter()
        .map(|c| format!("{}: {:?}", c.title, c.text))
        .collect();
    insta::assert_snapshot!(
        "chapters",
        format!("{}---\n{}", outline(text), texts.join("\n"))
    );
}

#[test]
fn year_cells_stacked_side_by_side_and_bare() {
    let text = dump(concat!(
        " Linja \n\n Tavoite \n\n",
        " Pinottu \n\n Mittayksikkö \npv \n\nTav 2027 \n≤ 30,0 \n\nTot 2026 \n\n 12 \nArv 2028 \n\n \n\n",
        " Rinnakkain \n\n Mittayksikkö: % \n\nTav 2027 Tav 2028 Tav 2029 \n> 4,0   ≥ 4,5   = 5 \n\n",
        " Sekava \n\n Mittayksikkö: % \n\nTav 2027 Tav 2028 \n> 4,0 > 4,5 \n\n",
        " Paljaat vuodet \n\n Mittayksikkö:  \n\n2027 2028 2029 \n\n",
        " Ei jakaudu \n\n Mittayksikkö: % \n\nTav 2027 Tav 2028 \nhyvä tai parempi \n\n",
    ));
    let doc = convert_bytes("y.txt", text.as_bytes(), &Options::default()).expect("converts");
    let goal = &doc.agreements[0].strategic_lines[0].goals[0];
    let values = serde_json::to_string_pretty(
        &goal
            .indicators
            .iter()
            .map(|i| {
                let v: Vec<_> = i
                    .values
                    .iter()
                    .map(|v| (v.year, v.kind, v.raw.clone(), v.comparator, v.value))
                    .collect();
                (i.name.clone(), i.unit.clone(), v)
            })
            .collect::<Vec<_>>(),
    )
    .expect("json");
    assert_eq!(
        doc.coverage.warned_lines, 1,
        "the unsplit value line is named, not placed"
    );
    insta::assert_snapshot!("year_cells", format!("{}---\n{values}", outline(&text)));
}

#[test]
fn a_row_worded_like_the_tables_strategic_lines_starts_one() {
    // Two larger-font strategic lines open with "Vahvistamme"; after a depth-2 leaf, the
    // two rows "Vahvistamme ..." + goal read as a new strategic line, while two rows
    // worded otherwise stay a goal and sub-goal of the current line.
    let rows = |opener: &str| {
        dump(&format!(
            concat!(
                " Vahvistamme ensimmäistä asiaa, joka on painettu isolla ja \n\nrivittyy \n\n",
                " Tavoite \n\n Alatavoite \n\n Tavoite 2027 Teksti. \n\n",
                " {} varautumista \n\n Tavoite varautumisesta \n\n Tavoite 2027 Teksti. \n\n",
                " Vahvistamme toista asiaa, joka on myös painettu isolla ja \n\nrivittyy \n\n",
                " Tavoite \n\n Alatavoite \n\n Tavoite 2027 Teksti. \n\n",
            ),
            opener
        ))
    };
    insta::assert_snapshot!(
        "parallel_wording",
        format!(
            "{}---\n{}",
            outline(&rows("Vahvistamme")),
            outline(&rows("Kehitetään"))
        )
    );
}
