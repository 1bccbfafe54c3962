//! Stage 6: emitters. JSON (compact or pretty) and the JSON Schema of the model.

use std::io::{self, Write};

use std::fmt::Write as _;

use crate::model::{Agreement, Document, Goal, Indicator};

/// Writes `doc` as JSON to `out` (buffered by the caller), followed by a newline.
///
/// The bytes are serde_json's for `doc`; compact JSON with several agreements has the
/// agreements written in parallel and put in their place (see `write_split`).
pub fn write_json(out: &mut impl Write, doc: &Document, pretty: bool) -> io::Result<()> {
    if pretty {
        serde_json::to_writer_pretty(&mut *out, doc)?;
    } else if doc.agreements.len() > 1 {
        write_split(out, doc)?;
    } else {
        serde_json::to_writer(&mut *out, doc)?;
    }
    out.write_all(b"\n")
}

/// Compact `doc` with its agreements rendered in parallel: the document without them
/// gives the frame, and the empty array in it is replaced by the rendered agreements.
/// The empty array is found by its key: a string value cannot hold `"agreements":`
/// (its quotes would be escaped), and the key comes before any other array. (Pretty
/// output is not split: re-indenting the agreements cost more than it saved.)
fn write_split(out: &mut impl Write, doc: &Document) -> io::Result<()> {
    use rayon::prelude::*;
    let parts: Vec<Vec<u8>> = doc
        .agreements
        .par_iter()
        .map(|a| {
            let mut v = Vec::with_capacity(64 * 1024);
            serde_json::to_writer(&mut v, a).map(|()| v)
        })
        .collect::<Result<_, _>>()?;
    let frame = Document {
        schema_version: doc.schema_version,
        generator: doc.generator.clone(),
        source: doc.source.clone(),
        agreements: Vec::new(),
        warnings: doc.warnings.clone(),
        coverage: doc.coverage,
    };
    let head = serde_json::to_vec(&frame)?;
    let key: &[u8] = b"\"agreements\":[]";
    let at = head
        .windows(key.len())
        .position(|w| w == key)
        .ok_or_else(|| io::Error::other("no agreements key in the document frame"))?;
    let open = at + key.len() - 1;
    out.write_all(&head[..open])?;
    for (n, part) in parts.iter().enumerate() {
        if n > 0 {
            out.write_all(b",")?;
        }
        out.write_all(part)?;
    }
    out.write_all(&head[open..])
}

/// `doc` as a JSON string (pretty, newline-terminated): the form of golden files.
pub fn to_pretty_string(doc: &Document) -> String {
    let mut out = Vec::with_capacity(256 * 1024);
    write_json(&mut out, doc, true).expect("writing to memory does not fail");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// The JSON Schema of [`Document`], generated from the Rust types.
pub fn schema() -> serde_json::Value {
    let mut schema =
        serde_json::to_value(schemars::schema_for!(Document)).expect("schema serializes");
    require_all(&mut schema);
    close_objects(&mut schema);
    if let Some(obj) = schema.as_object_mut() {
        obj.insert(
            "$id".into(),
            "https://tulossopimus.invalid/schema/tulossopimus-v1.schema.json".into(),
        );
    }
    schema
}

/// Keys written only when they hold something (added to v1 later: an output without
/// them stays byte for byte what it was).
const OMITTED_WHEN_EMPTY: &[&str] = &["orphans"];

/// Every key is always written (`null` when unknown), so every property is required,
/// but for [`OMITTED_WHEN_EMPTY`].
fn require_all(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(obj) => {
            if let Some(serde_json::Value::Object(props)) = obj.get("properties") {
                let keys: Vec<serde_json::Value> = props
                    .keys()
                    .filter(|k| !OMITTED_WHEN_EMPTY.contains(&k.as_str()))
                    .cloned()
                    .map(Into::into)
                    .collect();
                obj.insert("required".into(), keys.into());
            }
            obj.values_mut().for_each(require_all);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(require_all),
        _ => {}
    }
}

/// Every object has exactly the keys the model writes: an output with another key was
/// not written by this model (a misspelt key in a hand-edited file, another tool's
/// field), and a loader should hear of it. Reading stays lenient (serde ignores unknown
/// keys): `export` and `diff` take what they know from such a file.
fn close_objects(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(obj) => {
            if obj.contains_key("properties") {
                obj.insert("additionalProperties".into(), false.into());
            }
            obj.values_mut().for_each(close_objects);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(close_objects),
        _ => {}
    }
}

/// The schema as pretty JSON text, newline-terminated.
pub fn schema_string() -> String {
    let mut s = serde_json::to_string_pretty(&schema()).expect("schema serializes");
    s.push('\n');
    s
}

/// A one-line-per-node outline of the document, for people reviewing a conversion.
pub fn outline(doc: &Document) -> String {
    let mut s = String::new();
    for a in &doc.agreements {
        let _ = writeln!(
            s,
            "agreement {} {:?} ministry={:?} agency={:?} scope={:?} signed={:?}",
            a.id, a.title, a.ministry, a.agency, a.scope, a.signed
        );
        for c in &a.chapters {
            let _ = writeln!(
                s,
                "  chapter {} {:?} @{}",
                c.number.as_deref().unwrap_or("-"),
                c.title,
                c.source.line
            );
        }
        for g in &a.impact_goals {
            let _ = writeln!(
                s,
                "  impact ({}) {:?}",
                g.ministry.as_deref().unwrap_or("-"),
                g.text
            );
        }
        for sl in &a.strategic_lines {
            let _ = writeln!(
                s,
                "  SL @{} [{:?}] {:?}",
                sl.source.line, sl.level_evidence, sl.title
            );
            for t in &sl.targets {
                let _ = writeln!(s, "    target {} @{}", t.year, t.source.line);
            }
            indicators(&mut s, &sl.indicators, 4);
            for g in &sl.goals {
                goal(&mut s, g, 4);
            }
        }
        for i in &a.resource_indicators {
            let _ = writeln!(s, "  resource group={:?}", i.group);
            indicators(&mut s, std::slice::from_ref(i), 4);
        }
        for g in &a.monitoring_indicators {
            let _ = writeln!(s, "  monitoring group={:?}", g.group);
            indicators(&mut s, &g.indicators, 4);
        }
        for st in &a.evaluation_scale {
            let _ = writeln!(s, "  scale {} {} = {:?}", st.score, st.label, st.meaning);
        }
        for sg in &a.signatories {
            let _ = writeln!(
                s,
                "  signatory {:?} {:?} {:?}",
                sg.organization, sg.name, sg.title
            );
        }
        for o in &a.orphans {
            let _ = writeln!(
                s,
                "  orphan @{}-{} {:?}",
                o.source.line, o.source.line_end, o.text
            );
        }
    }
    s
}

fn goal(s: &mut String, g: &Goal, indent: usize) {
    let pad = " ".repeat(indent);
    let _ = writeln!(s, "{pad}G{} @{} {:?}", g.level, g.source.line, g.title);
    for t in &g.targets {
        let _ = writeln!(s, "{pad}  target {} @{}", t.year, t.source.line);
    }
    indicators(s, &g.indicators, indent + 2);
    for c in &g.goals {
        goal(s, c, indent + 2);
    }
}

fn indicators(s: &mut String, list: &[Indicator], indent: usize) {
    let pad = " ".repeat(indent);
    for i in list {
        let values: Vec<String> = i
            .values
            .iter()
            .map(|v| format!("{}={}", v.year, v.raw.as_deref().unwrap_or("_")))
            .collect();
        let _ = writeln!(
            s,
            "{pad}indicator @{} {:?} unit={:?} [{}]",
            i.source.line,
            i.name,
            i.unit,
            values.join(" ")
        );
    }
}

/// An outline of the document for people: one line per node, indented by depth, plain
/// words (no quotes, `None` or brackets); what the document does not state is left out.
/// `tulossopimus outline` prints it. (The terse [`outline`] is the snapshot tests' form.)
pub fn outline_text(doc: &Document) -> String {
    let mut s = String::new();
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let _ = writeln!(
        s,
        "{}: {}, {}",
        doc.source.path,
        count(doc.agreements.len(), "agreement", "agreements"),
        count(doc.warnings.len(), "warning", "warnings")
    );
    for (n, a) in doc.agreements.iter().enumerate() {
        text_agreement_head(&mut s, n + 1, a);
        text_agreement_body(&mut s, a);
    }
    for w in &doc.warnings {
        let line = w.line.map_or(String::new(), |l| format!(" line {l}"));
        let _ = writeln!(s, "warning{line}: {}: {}", w.code, w.message);
    }
    s
}

/// [`outline_text`]'s head of agreement number `n`: its title, facts, chapters and impact
/// goals.
fn text_agreement_head(s: &mut String, n: usize, a: &Agreement) {
    let _ = writeln!(
        s,
        "\nAgreement {}: {}",
        n,
        a.title.as_deref().unwrap_or("(no title)")
    );
    let mut facts = Vec::new();
    for (label, value) in [
        ("ministry", &a.ministry),
        ("agency", &a.agency),
        ("scope", &a.scope),
    ] {
        if let Some(v) = value {
            facts.push(format!("{label} {v}"));
        }
    }
    if let Some(p) = &a.period {
        facts.push(format!("period {}–{}", p.start, p.end));
    }
    if let Some(d) = &a.signed {
        facts.push(format!("signed {d}"));
    }
    facts.push(format!("id {}", a.id));
    let _ = writeln!(s, "  {}", facts.join("; "));
    if !a.chapters.is_empty() {
        let _ = writeln!(s, "  Chapters");
        for c in &a.chapters {
            let number = c
                .number
                .as_deref()
                .map_or(String::new(), |n| format!("{n} "));
            let _ = writeln!(s, "    {number}{} (line {})", c.title, c.source.line);
        }
    }
    if !a.impact_goals.is_empty() {
        let _ = writeln!(s, "  Impact goals");
        for g in &a.impact_goals {
            let ministry = g
                .ministry
                .as_deref()
                .map_or(String::new(), |m| format!(" ({m})"));
            let _ = writeln!(s, "    {}{ministry}", g.text);
        }
    }
}

/// [`outline_text`]'s rest of an agreement: its results, indicators, evaluation scale,
/// signatories and what was not placed.
fn text_agreement_body(s: &mut String, a: &Agreement) {
    if !a.strategic_lines.is_empty() {
        let _ = writeln!(s, "  Results");
    }
    for sl in &a.strategic_lines {
        let _ = writeln!(
            s,
            "    Strategic line: {} (line {})",
            sl.title, sl.source.line
        );
        text_targets(s, &sl.targets, 6);
        text_indicators(s, &sl.indicators, 6);
        for g in &sl.goals {
            text_goal(s, g, 6);
        }
    }
    if !a.resource_indicators.is_empty() {
        let _ = writeln!(s, "  Resource indicators");
        text_indicators(s, &a.resource_indicators, 4);
    }
    for g in &a.monitoring_indicators {
        let group = g.group.as_deref().unwrap_or("(no group heading)");
        let _ = writeln!(s, "  Monitoring indicators: {group}");
        text_indicators(s, &g.indicators, 4);
    }
    if !a.evaluation_scale.is_empty() {
        let _ = writeln!(s, "  Evaluation scale");
        for st in &a.evaluation_scale {
            let _ = writeln!(s, "    {} {}: {}", st.score, st.label, st.meaning);
        }
    }
    if !a.signatories.is_empty() {
        let _ = writeln!(s, "  Signed by");
        for sg in &a.signatories {
            let rest: Vec<&str> = [sg.title.as_deref(), sg.organization.as_deref()]
                .into_iter()
                .flatten()
                .collect();
            let rest = if rest.is_empty() {
                String::new()
            } else {
                format!(", {}", rest.join(", "))
            };
            let _ = writeln!(s, "    {}{rest}", sg.name);
        }
    }
    if !a.orphans.is_empty() {
        let _ = writeln!(s, "  Not placed in the tree (kept as read)");
        for o in &a.orphans {
            let _ = writeln!(s, "    line {}: {}", o.source.line, o.text);
        }
    }
}

fn text_goal(s: &mut String, g: &Goal, indent: usize) {
    let pad = " ".repeat(indent);
    let _ = writeln!(s, "{pad}Goal: {} (line {})", g.title, g.source.line);
    text_targets(s, &g.targets, indent + 2);
    text_indicators(s, &g.indicators, indent + 2);
    for c in &g.goals {
        text_goal(s, c, indent + 2);
    }
}

fn text_targets(s: &mut String, targets: &[crate::model::Target], indent: usize) {
    let pad = " ".repeat(indent);
    for t in targets {
        // The first line of the target, shortened: an outline, not the text.
        let first = t.text.lines().next().unwrap_or("");
        let short: String = first.chars().take(100).collect();
        let more = if short.len() < t.text.len() {
            " …"
        } else {
            ""
        };
        let _ = writeln!(s, "{pad}Target {}: {short}{more}", t.year);
    }
}

fn text_indicators(s: &mut String, list: &[Indicator], indent: usize) {
    let pad = " ".repeat(indent);
    for i in list {
        let unit = i
            .unit
            .as_deref()
            .map_or(String::new(), |u| format!(" ({u})"));
        let values: Vec<String> = i
            .values
            .iter()
            .filter_map(|v| {
                let kind = match v.kind {
                    Some(crate::model::ValueKind::Target) => " target",
                    Some(crate::model::ValueKind::Actual) => " actual",
                    Some(crate::model::ValueKind::Estimate) => " estimate",
                    None => "",
                };
                v.raw
                    .as_deref()
                    .map(|raw| format!("{}{kind} {raw}", v.year))
            })
            .collect();
        let values = if values.is_empty() {
            String::new()
        } else {
            format!(": {}", values.join(", "))
        };
        let _ = writeln!(s, "{pad}Indicator: {}{unit}{values}", i.name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed() -> Document {
        let seed = include_bytes!("../fixtures/keha-tulossopimus-2026-2029.txt");
        crate::convert_bytes("seed", seed, &Default::default()).expect("converts")
    }

    fn serde_json_bytes(doc: &Document, pretty: bool) -> Vec<u8> {
        let mut v = if pretty {
            serde_json::to_vec_pretty(doc)
        } else {
            serde_json::to_vec(doc)
        }
        .expect("serializes");
        v.push(b'\n');
        v
    }

    #[test]
    fn agreements_written_in_parallel_give_serde_json_s_bytes() {
        let mut doc = seed();
        assert_eq!(doc.agreements.len(), 2);
        let mut docs = vec![doc.clone()];
        // Three agreements; a path and a warning that spell the key inside strings.
        doc.agreements.push(doc.agreements[0].clone());
        doc.source.path = r#"x"agreements": [] "agreements":[]"#.into();
        if let Some(w) = doc.warnings.first_mut() {
            w.message = "\"agreements\": [],\n".into();
        }
        docs.push(doc.clone());
        // One agreement and none take serde_json's own path; they must agree too.
        doc.agreements.truncate(1);
        docs.push(doc.clone());
        doc.agreements.clear();
        docs.push(doc);
        for doc in &docs {
            for pretty in [false, true] {
                let mut out = Vec::new();
                write_json(&mut out, doc, pretty).expect("writes");
                assert_eq!(
                    String::from_utf8(out).expect("utf-8"),
                    String::from_utf8(serde_json_bytes(doc, pretty)).expect("utf-8"),
                    "{} agreement(s), pretty {pretty}",
                    doc.agreements.len()
                );
            }
        }
    }
}
