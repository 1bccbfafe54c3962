//! `tulossopimus export`: the flat tables, their CSV, NDJSON and SQLite forms, and
//! questions a data platform asks of them, answered in SQL over the seed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use rusqlite::Connection;
use tulossopimus::model::{Document, Goal};
use tulossopimus::tables::{self, Cell, ColumnType};
use tulossopimus::{convert_file, Options};

const SEED: &str = "fixtures/keha-tulossopimus-2026-2029.txt";

/// The documented column order of every table, written out independently of the code.
const COLUMNS: [(&str, &[&str]); 7] = [
    (
        "agreements",
        &[
            "id",
            "source_path",
            "source_sha256",
            "title",
            "ministry",
            "agency",
            "scope",
            "period_start",
            "period_end",
            "signed",
        ],
    ),
    (
        "nodes",
        &[
            "id",
            "parent_id",
            "agreement_id",
            "kind",
            "level",
            "ordinal",
            "title",
            "description",
            "path",
            "source_line",
            "source_page",
        ],
    ),
    (
        "targets",
        &[
            "id",
            "node_id",
            "agreement_id",
            "year",
            "text",
            "source_line",
        ],
    ),
    (
        "indicators",
        &[
            "id",
            "owner_id",
            "owner_kind",
            "agreement_id",
            "group",
            "name",
            "description",
            "unit",
            "source_line",
        ],
    ),
    (
        "indicator_values",
        &[
            "indicator_id",
            "agreement_id",
            "ordinal",
            "year",
            "kind",
            "comparator",
            "value",
            "raw",
        ],
    ),
    (
        "impact_goals",
        &["id", "agreement_id", "ministry", "text", "source_line"],
    ),
    (
        "signatories",
        &["agreement_id", "ordinal", "organization", "name", "title"],
    ),
];

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tulossopimus"))
        .args(args)
        .output()
        .expect("runs")
}

fn ok(out: &Output) {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A fresh directory under the system temp dir, unique per process and call.
fn tmp_dir(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "tulossopimus-tables-{}-{}-{name}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("tmp dir");
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn seed() -> Document {
    convert_file(Path::new(SEED), &Options::default()).expect("seed converts")
}

/// Exports the seed through the CLI and opens the database.
fn seed_database() -> (PathBuf, Connection) {
    let dir = tmp_dir("sql");
    let db = dir.join("seed.db");
    ok(&run(&[
        "export",
        "--tables",
        s(&dir.join("tables")),
        "--sqlite",
        s(&db),
        SEED,
    ]));
    let conn = Connection::open(&db).expect("opens");
    conn.pragma_update(None, "foreign_keys", true)
        .expect("pragma");
    (dir, conn)
}

/// Every foreign key: (table, its columns, referenced table, referenced columns), by
/// table and referenced table.
fn foreign_keys(conn: &Connection) -> Vec<(String, Vec<String>, String, Vec<String>)> {
    let rows: Vec<(String, i64, String, String, String)> = conn
        .prepare(
            "SELECT m.name, f.id, f.\"from\", f.\"table\", f.\"to\"
             FROM sqlite_master m, pragma_foreign_key_list(m.name) f
             WHERE m.type = 'table' ORDER BY m.name, f.\"table\", f.id, f.seq",
        )
        .expect("prepares")
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .expect("runs")
        .collect::<Result<_, _>>()
        .expect("rows");
    let mut out: Vec<(String, Vec<String>, String, Vec<String>)> = Vec::new();
    let mut last = None;
    for (table, id, from, to, column) in rows {
        if last.as_ref() != Some(&(table.clone(), id)) {
            out.push((table.clone(), Vec::new(), to, Vec::new()));
            last = Some((table, id));
        }
        let fk = out.last_mut().expect("pushed");
        fk.1.push(from);
        fk.3.push(column);
    }
    out
}

fn walk<'a>(goals: &'a [Goal], out: &mut Vec<&'a Goal>) {
    for g in goals {
        out.push(g);
        walk(&g.goals, out);
    }
}

#[test]
fn sql_2026_targets_per_strategic_line() {
    let (dir, conn) = seed_database();
    let sql = "
        WITH RECURSIVE tree(id, line_id) AS (
            SELECT id, id FROM nodes WHERE kind = 'strategic_line'
            UNION ALL
            SELECT n.id, tree.line_id FROM nodes n JOIN tree ON n.parent_id = tree.id
        )
        SELECT line.title, count(t.id)
        FROM nodes line
        JOIN tree ON tree.line_id = line.id
        LEFT JOIN targets t ON t.node_id = tree.id AND t.year = 2026
        WHERE line.kind = 'strategic_line'
        GROUP BY line.rowid, line.title
        ORDER BY line.rowid";
    let rows: Vec<(String, i64)> = conn
        .prepare(sql)
        .expect("prepares")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("runs")
        .collect::<Result<_, _>>()
        .expect("rows");

    // The same count from the model, walking the tree in Rust.
    let doc = seed();
    let expected: Vec<(String, i64)> = doc
        .agreements
        .iter()
        .flat_map(|a| &a.strategic_lines)
        .map(|sl| {
            let mut goals = Vec::new();
            walk(&sl.goals, &mut goals);
            let n = goals
                .iter()
                .flat_map(|g| &g.targets)
                .chain(&sl.targets)
                .filter(|t| t.year == 2026)
                .count();
            (sl.title.clone(), n as i64)
        })
        .collect();
    assert_eq!(rows, expected);
    assert_eq!(rows.len(), 24, "{rows:#?}");
    assert_eq!(rows.iter().map(|r| r.1).sum::<i64>(), 61);
    for (title, n) in [
        ("Tuemme aluehallinnon uudistumista", 13),
        ("Edistämme varautumista ja kokonaisturvallisuutta", 2),
        ("Tehostamme hallinnon prosesseja", 5),
        ("Viestintämme on aktiivista ja vaikuttavaa", 2),
        (
            "Siviilipalvelus kehittyy muuttuvassa toimintaympäristössä.",
            2,
        ),
        (
            "Palkkaturva toimii asiakaslähtöisesti, tehokkaasti ja resurssiviisaasti.",
            1,
        ),
    ] {
        assert!(
            rows.contains(&(title.to_owned(), n)),
            "{title}: {n} expected in {rows:#?}"
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn sql_indicators_with_a_2026_target() {
    let (dir, conn) = seed_database();
    let sql = "
        SELECT i.name, i.owner_kind, v.comparator, v.value, v.raw
        FROM indicators i
        JOIN indicator_values v ON v.indicator_id = i.id
        WHERE v.year = 2026 AND v.kind = 'target' AND v.raw IS NOT NULL
        ORDER BY i.rowid, v.ordinal";
    type Row = (String, String, Option<String>, Option<f64>, String);
    let rows: Vec<Row> = conn
        .prepare(sql)
        .expect("prepares")
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .expect("runs")
        .collect::<Result<_, _>>()
        .expect("rows");
    let found: Vec<(&str, &str, Option<&str>, Option<f64>)> = rows
        .iter()
        .map(|r| (r.0.as_str(), r.1.as_str(), r.2.as_deref(), r.3))
        .collect();
    assert_eq!(
        found,
        [
            ("Asiakastyytyväisyys", "node", Some(">"), Some(4.0)),
            (
                "Elinvoimakeskusten tyytyväisyys KEHA-keskuksen tuottamiin palveluihin",
                "node",
                Some(">"),
                Some(4.0)
            ),
            ("Vastuullisuus-indeksi", "node", Some(">"), Some(2.91)),
            ("Kokonaisindeksi", "resources", Some(">"), Some(3.15)),
            ("Johtaminen-indeksi", "resources", Some(">"), Some(3.23)),
            ("Organisaatio-indeksi", "resources", Some(">"), Some(2.97)),
            (
                "Työvoimapoliittisten lausuntojen käsittelyaika KEHA-keskuksessa",
                "node",
                Some("<="),
                Some(30.0)
            ),
            (
                "Valitusvastineiden käsittelyaika KEHA-keskuksessa",
                "node",
                Some("<="),
                Some(30.0)
            ),
            (
                "Työntekijöiden ja ammattiliittojen hakemusten käsittelyaika",
                "node",
                Some("<"),
                Some(11.0)
            ),
        ]
    );
    assert_eq!(rows[6].4, "≤ 30,0", "raw keeps the printed cell");
    // Printed but empty in 2026: present as a value row, not as a set target.
    let empty: i64 = conn
        .query_row(
            "SELECT count(*) FROM indicators i JOIN indicator_values v ON v.indicator_id = i.id
             WHERE i.name = 'Sidosryhmätyytyväisyys' AND v.year = 2026 AND v.raw IS NULL",
            [],
            |r| r.get(0),
        )
        .expect("runs");
    assert_eq!(empty, 1);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn sql_goals_with_neither_targets_nor_indicators() {
    let (dir, conn) = seed_database();
    let sql = "
        SELECT n.title, (SELECT count(*) FROM nodes c WHERE c.parent_id = n.id)
        FROM nodes n
        WHERE n.kind = 'goal'
          AND NOT EXISTS (SELECT 1 FROM targets t WHERE t.node_id = n.id)
          AND NOT EXISTS (SELECT 1 FROM indicators i
                          WHERE i.owner_kind = 'node' AND i.owner_id = n.id)
        ORDER BY n.rowid";
    let rows: Vec<(String, i64)> = conn
        .prepare(sql)
        .expect("prepares")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("runs")
        .collect::<Result<_, _>>()
        .expect("rows");
    let titles: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    // Checked against the JSON: all are level-1 goals of the first agreement whose
    // targets sit on their sub-goals; no leaf goal is empty.
    assert_eq!(
        titles,
        [
            "KEHA-keskuksen tuki elinvoimakeskuksille on sujuvaa ja resurssiviisasta",
            "Elinvoimakeskuksilla on käytössään hyvin toimivat digitaaliset palvelut ja järjestelmät",
            "Elinvoimakeskuksilla ja KEHA-keskuksella on uudistuneet työympäristöt",
            "Elinvoimakeskusten korvausten ja valtionavustusten maksatukset toimivat hyvin",
            "KEHA-keskuksen tuottamat ja ylläpitämät tietojärjestelmät tukevat Lupa- ja \
             valvontaviraston toiminnan tarpeita, ja yhteistyö niiden kehittämisessä ja \
             ylläpidossa on toimivaa ja asiakaslähtöistä",
            "Taloushallinnon prosessit ovat tehokkaita, pitkälle automatisoituja ja tukevat \
             ohjausta sekä johtamista",
            "Hankinnat ovat kustannustehokkaita ja huolellisesti harkittuja",
            "Digitaalinen turvallisuus sisältäen henkilöstön ajantasainen tietoturvaosaaminen",
            "Digitalisaatiota vauhdittavan yhteistekemisen ja kehittämisen hallintamallin \
             luominen ja osaamisen jakaminen osasto- ja virastorajat ylittäen",
            "Tekoälyn hyödyntäminen toimintaprosessien tehostajana ja henkilöstön arjen työn tukena",
            "Digiratkaisumme ovat kustannustehokkaita",
        ]
    );
    assert!(rows.iter().all(|r| r.1 > 0), "{rows:#?}");

    // The same set from the model.
    let doc = seed();
    let mut goals = Vec::new();
    for sl in doc.agreements.iter().flat_map(|a| &a.strategic_lines) {
        walk(&sl.goals, &mut goals);
    }
    let from_model: Vec<&str> = goals
        .iter()
        .filter(|g| g.targets.is_empty() && g.indicators.is_empty())
        .map(|g| g.title.as_str())
        .collect();
    assert_eq!(titles, from_model);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn sqlite_declares_keys_types_and_enforces_foreign_keys() {
    let (dir, conn) = seed_database();
    let types: Vec<(String, String, i64)> = conn
        .prepare("SELECT name, type, pk FROM pragma_table_info('indicator_values') ORDER BY cid")
        .expect("prepares")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("runs")
        .collect::<Result<_, _>>()
        .expect("rows");
    let types: Vec<(&str, &str, i64)> = types
        .iter()
        .map(|t| (t.0.as_str(), t.1.as_str(), t.2))
        .collect();
    assert_eq!(
        types,
        [
            ("indicator_id", "TEXT", 1),
            ("agreement_id", "TEXT", 2),
            ("ordinal", "INTEGER", 3),
            ("year", "INTEGER", 0),
            ("kind", "TEXT", 0),
            ("comparator", "TEXT", 0),
            ("value", "REAL", 0),
            ("raw", "TEXT", 0),
        ]
    );
    let fks: Vec<String> = foreign_keys(&conn)
        .iter()
        .map(|(table, from, to, columns)| {
            format!(
                "{table} ({}) -> {to} ({})",
                from.join(", "),
                columns.join(", ")
            )
        })
        .collect();
    // Below `agreements`, a row is keyed by its id and its agreement: two editions of
    // one agreement share node ids.
    assert_eq!(
        fks,
        [
            "impact_goals (agreement_id) -> agreements (id)",
            "indicator_values (indicator_id, agreement_id) -> indicators (id, agreement_id)",
            "indicators (agreement_id) -> agreements (id)",
            "nodes (agreement_id) -> agreements (id)",
            "nodes (parent_id, agreement_id) -> nodes (id, agreement_id)",
            "signatories (agreement_id) -> agreements (id)",
            "targets (agreement_id) -> agreements (id)",
            "targets (node_id, agreement_id) -> nodes (id, agreement_id)",
        ]
    );
    let violations: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .expect("runs");
    assert_eq!(violations, 0);
    let (agreement, node): (String, String) = conn
        .query_row("SELECT agreement_id, id FROM nodes LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("a node");
    let target = "INSERT INTO targets VALUES ('t-x', ?1, ?2, 2026, 'x', 1)";
    let orphan = conn.execute(target, ["g-missing", agreement.as_str()]);
    assert!(orphan.is_err(), "a target of a missing node is refused");
    conn.execute(
        "INSERT INTO agreements (id, source_path, source_sha256) VALUES ('a-000000000000', 'x', 'y')",
        [],
    )
    .expect("another agreement");
    let other = conn.execute(target, [node.as_str(), "a-000000000000"]);
    assert!(other.is_err(), "a node is known only with its agreement");
    conn.execute(target, [node.as_str(), agreement.as_str()])
        .expect("a target of an existing node is taken");
    let _ = std::fs::remove_dir_all(dir);
}

/// A copy of the seed with text that CSV must quote, and an empty string next to nulls.
fn awkward_seed() -> Document {
    let mut doc = seed();
    let sl = &mut doc.agreements[0].strategic_lines[0];
    sl.title = "Lainaus \"sisällä\", pilkku\r\nja rivinvaihto".into();
    sl.goals[0].description = Some(String::new());
    doc
}

#[test]
fn csv_reads_back_with_pythons_csv_module_and_matches_ndjson() {
    let dir = tmp_dir("csv");
    let json = dir.join("awkward.json");
    std::fs::write(&json, serde_json::to_vec(&awkward_seed()).expect("json")).expect("write");
    let out_dir = dir.join("tables");
    ok(&run(&[
        "export",
        "--tables",
        s(&out_dir),
        s(&json),
        "fixtures/arkisto-tulossopimus-2026-2029.txt",
        "fixtures/vesilaitos-tulossopimus-2027-2030.txt",
    ]));
    let script = r#"
import csv, json, os, sys
d = sys.argv[1]
out = {}
for name in sorted(os.listdir(d)):
    if not name.endswith(".csv"):
        continue
    with open(os.path.join(d, name), newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f, strict=True))
    header = rows[0]
    for i, row in enumerate(rows[1:], 1):
        if len(row) != len(header):
            sys.exit(f"{name}: row {i} has {len(row)} fields, the header {len(header)}")
    print(name[:-4], len(rows) - 1, file=sys.stderr)
    out[name[:-4]] = rows
print(json.dumps(out))
"#;
    let py = Command::new("python3")
        .args(["-c", script, s(&out_dir)])
        .output()
        .expect("python3 runs (needed by this test)");
    assert!(
        py.status.success(),
        "{}",
        String::from_utf8_lossy(&py.stderr)
    );
    let counts = String::from_utf8_lossy(&py.stderr);
    let parsed: BTreeMap<String, Vec<Vec<String>>> =
        serde_json::from_slice(&py.stdout).expect("python's JSON");
    assert_eq!(parsed.len(), 7, "{counts}");
    for (table, columns) in COLUMNS {
        let rows = &parsed[table];
        let ndjson =
            std::fs::read_to_string(out_dir.join(format!("{table}.ndjson"))).expect("ndjson");
        assert_eq!(
            rows.len() - 1,
            ndjson.lines().count(),
            "{table}: CSV rows (python: {counts}) vs NDJSON lines"
        );
        assert_eq!(rows[0], columns, "{table} header");
        // Every CSV field as python reads it equals the NDJSON value.
        for (csv_row, line) in rows[1..].iter().zip(ndjson.lines()) {
            let obj: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(line).expect("NDJSON line");
            for (col, field) in columns.iter().zip(csv_row) {
                let expected = match &obj[*col] {
                    serde_json::Value::Null => String::new(),
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                assert_eq!(field, &expected, "{table}.{col}");
            }
        }
    }
    assert_eq!(
        counts,
        "agreements 4\nimpact_goals 30\nindicator_values 190\nindicators 37\nnodes 122\n\
         signatories 10\ntargets 80\n"
    );
    let nodes_csv = std::fs::read(out_dir.join("nodes.csv")).expect("csv");
    assert!(!nodes_csv.starts_with(b"\xEF\xBB\xBF"), "no BOM");
    let text = String::from_utf8(nodes_csv).expect("utf-8");
    assert!(text.contains("\"Lainaus \"\"sisällä\"\", pilkku\r\nja rivinvaihto\""));
    assert!(
        text.contains(",\"\",") && text.contains(",,"),
        "empty string and null differ"
    );
    let _ = std::fs::remove_dir_all(dir);
}

fn read_tables(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(dir).expect("dir") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        files.insert(name, std::fs::read(&path).expect("read"));
    }
    files
}

#[test]
fn exporting_convert_json_equals_exporting_the_text() {
    let dir = tmp_dir("same");
    let fixtures = [
        SEED,
        "fixtures/arkisto-tulossopimus-2026-2029.txt",
        "fixtures/vesilaitos-tulossopimus-2027-2030.txt",
    ];
    // One pretty document, and a compact stream of several as `convert a b c` writes it.
    let pretty = dir.join("seed.json");
    ok(&run(&["convert", SEED, "-o", s(&pretty), "--pretty"]));
    let stream = run(&[&["convert"][..], &fixtures].concat());
    ok(&stream);
    let stream_path = dir.join("all.json");
    std::fs::write(&stream_path, &stream.stdout).expect("write");

    for (json, texts, name) in [
        (&pretty, &fixtures[..1], "seed"),
        (&stream_path, &fixtures[..], "all"),
    ] {
        let from_json = dir.join(format!("{name}-json"));
        let from_text = dir.join(format!("{name}-text"));
        ok(&run(&["export", "--tables", s(&from_json), s(json)]));
        ok(&run(
            &[&["export", "--tables", s(&from_text)][..], texts].concat()
        ));
        let a = read_tables(&from_json);
        let b = read_tables(&from_text);
        assert_eq!(a.len(), 14, "{:?}", a.keys());
        assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
        for (file, bytes) in &a {
            assert!(bytes == &b[file], "{name}: {file} differs");
        }
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// Keys of a JSON object in the order they are written.
struct KeyOrder(Vec<String>);

impl<'de> serde::Deserialize<'de> for KeyOrder {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = KeyOrder;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<KeyOrder, A::Error> {
                let mut keys = Vec::new();
                while let Some((k, _)) = map.next_entry::<String, serde::de::IgnoredAny>()? {
                    keys.push(k);
                }
                Ok(KeyOrder(keys))
            }
        }
        d.deserialize_map(Visitor)
    }
}

#[test]
fn headers_and_keys_are_in_the_documented_order() {
    let dir = tmp_dir("headers");
    ok(&run(&["export", "--tables", s(&dir), SEED]));
    for (table, columns) in COLUMNS {
        let csv = std::fs::read_to_string(dir.join(format!("{table}.csv"))).expect("csv");
        let header = csv.split("\r\n").next().expect("header");
        assert_eq!(header, columns.join(","), "{table}.csv");
        let ndjson = std::fs::read_to_string(dir.join(format!("{table}.ndjson"))).expect("ndjson");
        let first = ndjson.lines().next().expect("a row");
        let keys: KeyOrder = serde_json::from_str(first).expect("object");
        assert_eq!(keys.0, columns, "{table}.ndjson");
    }
    // The library's own specs say the same.
    let specs: Vec<(&str, Vec<&str>)> = tables::SPECS
        .iter()
        .map(|s| (s.name, s.column_names()))
        .collect();
    let documented: Vec<(&str, Vec<&str>)> =
        COLUMNS.iter().map(|(t, c)| (*t, c.to_vec())).collect();
    assert_eq!(specs, documented);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn every_cell_fits_its_column_in_every_fixture() {
    let docs: Vec<Document> = [
        SEED,
        "fixtures/arkisto-tulossopimus-2026-2029.txt",
        "fixtures/vesilaitos-tulossopimus-2027-2030.txt",
    ]
    .iter()
    .map(|p| convert_file(Path::new(p), &Options::default()).expect("converts"))
    .collect();
    let t = tables::build(&docs);
    for table in t.all() {
        assert!(!table.rows.is_empty(), "{} has rows", table.spec.name);
        for row in &table.rows {
            assert_eq!(row.len(), table.spec.columns.len(), "{}", table.spec.name);
            for (col, cell) in table.spec.columns.iter().zip(row) {
                let fits = match cell {
                    Cell::Null => col.nullable,
                    Cell::Integer(_) => col.ty == ColumnType::Integer,
                    Cell::Real(_) => col.ty == ColumnType::Real,
                    Cell::Text(t) if col.ty == ColumnType::Date => {
                        t.len() == 10 && t.chars().filter(|c| *c == '-').count() == 2
                    }
                    Cell::Text(_) => col.ty == ColumnType::Text,
                    // A kind of cell added later fits no column known here.
                    _ => false,
                };
                assert!(fits, "{}.{}: {cell:?}", table.spec.name, col.name);
            }
        }
    }
    // Indicators directly under a strategic line (the vesilaitos fixture) belong to it.
    let owners: Vec<&Cell> = t
        .indicators
        .rows
        .iter()
        .filter(|r| r[2] == Cell::Text("node".into()))
        .map(|r| &r[1])
        .collect();
    assert!(owners
        .iter()
        .any(|o| matches!(o, Cell::Text(id) if id.starts_with("sl-"))));
}

#[test]
fn a_bad_input_is_reported_and_the_others_exported() {
    let dir = tmp_dir("bad");
    let empty = dir.join("empty.txt");
    std::fs::write(&empty, b"").expect("write");
    let not_doc = dir.join("other.json");
    std::fs::write(&not_doc, br#"{"schema_version": 1, "agreements": []}"#).expect("write");
    let out_dir = dir.join("tables");
    let out = run(&[
        "export",
        "--tables",
        s(&out_dir),
        s(&empty),
        SEED,
        s(&not_doc),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("error: {}: the input is empty", s(&empty))),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "error: {}: JSON, but not a tulossopimus document: missing field",
            s(&not_doc)
        )),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    let agreements = std::fs::read_to_string(out_dir.join("agreements.ndjson")).expect("exported");
    assert_eq!(agreements.lines().count(), 2);

    let usage = run(&["export", SEED]);
    assert_eq!(usage.status.code(), Some(2), "--tables is required");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_same_agreement_twice_warns_keeps_both_and_sqlite_refuses_clearly() {
    let dir = tmp_dir("dup");
    let db = dir.join("dup.db");
    std::fs::write(&db, b"an older database").expect("write");
    let out_dir = dir.join("tables");
    let out = run(&[
        "export",
        "--tables",
        s(&out_dir),
        "--sqlite",
        s(&db),
        SEED,
        SEED,
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "warning: {SEED}: agreement a-0cd667c18fcd is also in {SEED}; both are exported"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "error: {}: duplicate key (a-9fc5abb0b70b) in table agreements",
            s(&db)
        )),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    let agreements = std::fs::read_to_string(out_dir.join("agreements.ndjson")).expect("tables");
    assert_eq!(agreements.lines().count(), 4, "both copies kept");
    assert_eq!(
        std::fs::read(&db).expect("db"),
        b"an older database",
        "a failed export leaves the old file"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name())
        .filter(|n| n.to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // Without duplicates the old file is replaced.
    ok(&run(&[
        "export",
        "--tables",
        s(&out_dir),
        "--sqlite",
        s(&db),
        SEED,
    ]));
    let conn = Connection::open(&db).expect("opens");
    let n: i64 = conn
        .query_row("SELECT count(*) FROM agreements", [], |r| r.get(0))
        .expect("query");
    assert_eq!(n, 2);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn every_foreign_key_column_is_indexed() {
    let (dir, conn) = seed_database();
    // Each foreign key's columns lead some index: an explicit one, or the primary key's.
    let fks = foreign_keys(&conn);
    assert_eq!(fks.len(), 8);
    for (table, columns, _, _) in &fks {
        let indexes: Vec<String> = conn
            .prepare("SELECT name FROM pragma_index_list(?1)")
            .expect("prepares")
            .query_map([table], |r| r.get(0))
            .expect("runs")
            .collect::<Result<_, _>>()
            .expect("rows");
        let leads = indexes.iter().any(|index| {
            let indexed: Vec<String> = conn
                .prepare("SELECT name FROM pragma_index_info(?1) ORDER BY seqno")
                .expect("prepares")
                .query_map([index], |r| r.get(0))
                .expect("runs")
                .collect::<Result<_, _>>()
                .expect("rows");
            indexed.starts_with(columns)
        });
        assert!(leads, "{table} ({columns:?}) leads no index");
    }
    // The query planner uses them: children of one node, without a full scan.
    let plan: Vec<String> = conn
        .prepare("EXPLAIN QUERY PLAN SELECT * FROM targets WHERE node_id = 'x'")
        .expect("prepares")
        .query_map([], |r| r.get::<_, String>(3))
        .expect("runs")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert!(
        plan.iter()
            .any(|p| p.contains("USING INDEX targets_node_id_idx")),
        "{plan:?}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn csv_gets_a_byte_order_mark_only_when_asked() {
    let dir = tmp_dir("bom");
    let plain = dir.join("plain");
    let bom = dir.join("bom");
    ok(&run(&["export", "--tables", s(&plain), SEED]));
    ok(&run(&["export", "--tables", s(&bom), "--csv-bom", SEED]));
    let tables = [
        "agreements",
        "nodes",
        "targets",
        "indicators",
        "indicator_values",
        "impact_goals",
        "signatories",
    ];
    for table in tables {
        let without = std::fs::read(plain.join(format!("{table}.csv"))).expect("csv");
        let with = std::fs::read(bom.join(format!("{table}.csv"))).expect("csv");
        assert!(
            !without.starts_with(b"\xEF\xBB\xBF"),
            "{table}: no BOM by default"
        );
        assert_eq!(with[..3], *b"\xEF\xBB\xBF", "{table}: BOM asked for");
        assert_eq!(with[3..], without[..], "{table}: the rest is the same");
        // NDJSON never gets one.
        assert_eq!(
            std::fs::read(plain.join(format!("{table}.ndjson"))).expect("ndjson"),
            std::fs::read(bom.join(format!("{table}.ndjson"))).expect("ndjson"),
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}
