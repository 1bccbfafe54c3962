//! Agreement ids never collide: two editions of one agreement share one database (and
//! their node ids, which `diff` matches by), two agreements without a cover from
//! different files differ, and the same file converted again keeps its ids
//! (docs/model.md, "Ids").
mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::{ids, run, s, scratch};
use rusqlite::Connection;
use tulossopimus::{convert_file, Document, Options};

const ARKISTO: &str = "fixtures/arkisto-tulossopimus-2026-2029.txt";
const SEED: &str = "fixtures/keha-tulossopimus-2026-2029.txt";

fn convert(path: &Path) -> Document {
    convert_file(path, &Options::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn all_ids(doc: &Document) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    ids(
        &serde_json::to_value(&doc.agreements).expect("serializes"),
        &mut out,
    );
    out
}

/// The arkisto agreement as next year's edition: another period and signing date, one
/// value changed.
fn next_edition(dir: &Path) -> (PathBuf, PathBuf) {
    let old = std::fs::read_to_string(ARKISTO).expect("fixture");
    let new = old
        .replace("2026–2029", "2027–2030")
        .replacen("Helsingissä 15.1.2026", "Helsingissä 14.1.2027", 1)
        .replacen("≥ 85 ", "≥ 87 ", 1);
    assert_eq!(
        new.matches("2027–2030").count(),
        old.matches("2026–2029").count()
    );
    let (a, b) = (dir.join("2026.txt"), dir.join("2027.txt"));
    std::fs::write(&a, old).expect("write");
    std::fs::write(&b, new).expect("write");
    (a, b)
}

#[test]
fn two_editions_of_one_agreement_load_into_one_sqlite_export() {
    let dir = scratch("editions");
    let (old, new) = next_edition(&dir);
    let (a, b) = (convert(&old), convert(&new));
    let (a, b) = (&a.agreements[0], &b.agreements[0]);
    assert_eq!(a.period.as_ref().map(|p| p.start), Some(2026));
    assert_eq!(b.period.as_ref().map(|p| p.start), Some(2027));
    assert_ne!(a.id, b.id, "an agreement id names one edition");
    let nodes = |x: &tulossopimus::model::Agreement| {
        x.strategic_lines
            .iter()
            .map(|sl| sl.id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(nodes(a), nodes(b), "node ids survive the new edition");

    let db = dir.join("both.db");
    let out = run(&[
        "export",
        "--tables",
        s(&dir.join("tables")),
        "--sqlite",
        s(&db),
        s(&old),
        s(&new),
    ]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(!out.stderr.contains("also in"), "{}", out.stderr);
    let conn = Connection::open(&db).expect("opens");
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).expect(sql) };
    assert_eq!(count("SELECT count(*) FROM agreements"), 2);
    let per_edition = count("SELECT count(*) FROM nodes") / 2;
    assert!(per_edition > 10);
    // Every node of one edition is the node of the same id in the other.
    assert_eq!(
        count(
            "SELECT count(*) FROM nodes o JOIN nodes n ON n.id = o.id \
             AND o.agreement_id < n.agreement_id AND n.path = o.path"
        ),
        per_edition
    );
    assert_eq!(
        count("SELECT count(DISTINCT agreement_id) FROM indicator_values"),
        2
    );

    // diff pairs the two editions and their nodes by id: the one edit, nothing added.
    let diff = run(&["diff", "--json", s(&old), s(&new)]);
    assert_eq!(diff.code, Some(0), "{}", diff.stderr);
    let changes: Vec<serde_json::Value> = serde_json::from_str(&diff.stdout).expect("JSON");
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!(changes[0]["change"], "value_changed");
    assert_eq!(changes[0]["old_id"], changes[0]["new_id"]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn agreements_without_a_cover_from_different_files_get_different_ids() {
    let dir = scratch("coverless");
    // Another agency's agreement with its cover cut off: like the seed's first
    // agreement, the first one of its file and without ministry, agency or scope.
    let text = std::fs::read_to_string(ARKISTO).expect("fixture");
    let start = text
        .find("1 Strategiset linjaukset")
        .expect("first chapter");
    let cut = dir.join("arkisto-ilman-kansilehteä.txt");
    std::fs::write(&cut, &text[start..]).expect("write");
    let (seed, other) = (convert(Path::new(SEED)), convert(&cut));
    let (first, only) = (&seed.agreements[0], &other.agreements[0]);
    for a in [first, only] {
        assert_eq!((&a.ministry, &a.agency, &a.scope), (&None, &None, &None));
    }
    assert_ne!(first.id, only.id);
    // Their nodes may share ids (both have a chapter "1 Strategiset linjaukset"): a
    // node is known by its agreement and its id, which the database takes.
    assert!(all_ids(&seed).intersection(&all_ids(&other)).count() > 0);
    let out = run(&[
        "export",
        "--tables",
        s(&dir.join("tables")),
        "--sqlite",
        s(&dir.join("both.db")),
        SEED,
        s(&cut),
    ]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_same_file_converted_again_keeps_every_id() {
    let dir = scratch("again");
    // Another name, another directory, and standard input: the ids are the content's.
    let copy = dir.join("kopio.txt");
    std::fs::copy(SEED, &copy).expect("copy");
    let first = all_ids(&convert(Path::new(SEED)));
    assert!(first.len() > 200);
    assert_eq!(all_ids(&convert(&copy)), first);
    let piped = common::bin()
        .args(["convert", "-"])
        .stdin(std::fs::File::open(SEED).expect("seed"))
        .output()
        .expect("runs");
    let doc: Document = serde_json::from_slice(&piped.stdout).expect("a document");
    assert_eq!(all_ids(&doc), first);
    let _ = std::fs::remove_dir_all(&dir);
}
