//! Stage 6: emitters. JSON (compact or pretty) and the JSON Schema of the model.

use std::io::{self, Write};

use std::fmt::Write as _;

use crate::model::{Document, Goal, Indicator};

/// Writes `doc` as JSON to `out` (buffered by the caller), followed by a newline.
pub fn write_json(out: &mut impl Write, doc: &Document, pretty: bool) -> io::Result<()> {
    if pretty {
        serde_json::to_writer_pretty(&mut *out, doc)?;
    } else {
        serde_json::to_writer(&mut *out, doc)?;
    }
    out.write_all(b"\n")
}

/// `doc` as a JSON string (pretty, newline-terminated): the form of golden files.
pub fn to_pretty_string(doc: &Document) -> String {
    let mut s = serde_json::to_string_pretty(doc).expect("model serializes");
    s.push('\n');
    s
}

/// The JSON Schema of [`Document`], generated from the Rust types.
pub fn schema() -> serde_json::Value {
    let mut schema =
        serde_json::to_value(schemars::schema_for!(Document)).expect("schema serializes");
    require_all(&mut schema);
    if let Some(obj) = schema.as_object_mut() {
        obj.insert(
            "$id".into(),
            "https://tulossopimus.invalid/schema/tulossopimus-v1.schema.json".into(),
        );
    }
    schema
}

/// Every key is always written (`null` when unknown), so every property is required.
fn require_all(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(obj) => {
            if let Some(serde_json::Value::Object(props)) = obj.get("properties") {
                let keys: Vec<serde_json::Value> = props.keys().cloned().map(Into::into).collect();
                obj.insert("required".into(), keys.into());
            }
            obj.values_mut().for_each(require_all);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(require_all),
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
