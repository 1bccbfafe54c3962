//! Semantic differences between two JSON documents of the model, named by their place
//! in the tree ("agreement 2 > strategic line 'X' > goal 'Y' > target 2026: text
//! changed") rather than by text lines. Nodes with ids are matched by id, so an
//! inserted node is one difference, not a shift of every later sibling.

use serde_json::Value;

/// One difference: where, which field, the expected value and the actual one.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    /// Human path of the node: "agreement 1 > strategic line 'X' > goal 'Y'".
    pub place: String,
    /// The field that differs; empty when a whole node was added or removed.
    pub field: String,
    /// `None` when absent.
    pub expected: Option<Value>,
    pub actual: Option<Value>,
}

fn show(v: &Value) -> String {
    let s = match v {
        Value::String(s) => format!("'{s}'"),
        v => v.to_string(),
    };
    if s.chars().count() > 120 {
        format!("{}…", s.chars().take(120).collect::<String>())
    } else {
        s
    }
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let place = if self.field.is_empty() {
            self.place.clone()
        } else if self.place.is_empty() {
            self.field.clone()
        } else {
            format!("{}: {}", self.place, self.field)
        };
        match (&self.expected, &self.actual) {
            (None, Some(_)) => write!(f, "{place} added"),
            (Some(_), None) => write!(f, "{place} removed"),
            (Some(e), Some(a)) => write!(f, "{place}: {} became {}", show(e), show(a)),
            (None, None) => write!(f, "{place}"),
        }
    }
}

/// All differences between `expected` and `actual`, in document order.
pub fn diff(expected: &Value, actual: &Value) -> Vec<Difference> {
    let mut out = Vec::new();
    walk("", "", expected, actual, &mut out);
    out
}

fn text_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn short(s: &str) -> String {
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s.to_owned()
    }
}

/// How an element of the array under `key` is named in a place.
fn element_name(key: &str, i: usize, v: &Value) -> String {
    let year = v.get("year").map(Value::to_string).unwrap_or_default();
    match key {
        "agreements" => format!("agreement {}", i + 1),
        "chapters" => format!("chapter '{}'", short(text_of(v, "title"))),
        "impact_goals" => format!("impact goal '{}'", short(text_of(v, "text"))),
        "strategic_lines" => format!("strategic line '{}'", short(text_of(v, "title"))),
        "goals" => format!("goal '{}'", short(text_of(v, "title"))),
        "targets" => format!("target {year}"),
        "indicators" | "resource_indicators" => {
            format!("indicator '{}'", short(text_of(v, "name")))
        }
        "monitoring_indicators" => format!("monitoring group '{}'", short(text_of(v, "group"))),
        "values" => format!("value {year}"),
        "signatories" => format!("signatory '{}'", text_of(v, "name")),
        "evaluation_scale" => format!("scale {}", text_of(v, "label")),
        "warnings" => format!("warning {}", i + 1),
        _ => format!("{key}[{i}]"),
    }
}

fn join(place: &str, part: &str) -> String {
    if place.is_empty() {
        part.to_owned()
    } else {
        format!("{place} > {part}")
    }
}

/// `place` names the node, `field` the dotted field path inside it.
// Long: one match over the pairs of JSON value kinds, a few lines an arm; apart, the cases
// would hide which pairs are compared how.
fn walk(place: &str, field: &str, e: &Value, a: &Value, out: &mut Vec<Difference>) {
    match (e, a) {
        (Value::Object(eo), Value::Object(ao)) => {
            for (k, ev) in eo {
                let f = if field.is_empty() {
                    k.clone()
                } else {
                    format!("{field}.{k}")
                };
                match ao.get(k) {
                    Some(av) => walk(place, &f, ev, av, out),
                    None => out.push(Difference {
                        place: place.into(),
                        field: f,
                        expected: Some(ev.clone()),
                        actual: None,
                    }),
                }
            }
            for (k, av) in ao {
                if !eo.contains_key(k) {
                    out.push(Difference {
                        place: place.into(),
                        field: if field.is_empty() {
                            k.clone()
                        } else {
                            format!("{field}.{k}")
                        },
                        expected: None,
                        actual: Some(av.clone()),
                    });
                }
            }
        }
        (Value::Array(ea), Value::Array(aa)) => {
            // Arrays of nodes open a new place; the field path restarts inside them.
            let key = field.rsplit('.').next().unwrap_or(field);
            let base = if field.contains('.') {
                join(place, field.rsplit_once('.').map_or("", |(head, _)| head))
            } else {
                place.to_owned()
            };
            let pairs = pair_up(ea, aa);
            for (ei, ai) in pairs {
                match (ei.map(|i| &ea[i]), ai.map(|i| &aa[i])) {
                    (Some(ev), Some(av)) => {
                        let p = join(&base, &element_name(key, ei.unwrap_or(0), ev));
                        if ev.is_object() {
                            walk(&p, "", ev, av, out);
                        } else if ev != av {
                            out.push(Difference {
                                place: p,
                                field: String::new(),
                                expected: Some(ev.clone()),
                                actual: Some(av.clone()),
                            });
                        }
                    }
                    (ev, av) => {
                        let (i, v) = match (ei, ev, ai, av) {
                            (Some(i), Some(v), _, _) | (_, _, Some(i), Some(v)) => (i, v),
                            _ => continue,
                        };
                        out.push(Difference {
                            place: join(&base, &element_name(key, i, v)),
                            field: String::new(),
                            expected: ev.cloned(),
                            actual: av.cloned(),
                        });
                    }
                }
            }
        }
        _ if e != a => out.push(Difference {
            place: place.into(),
            field: field.into(),
            expected: Some(e.clone()),
            actual: Some(a.clone()),
        }),
        _ => {}
    }
}

/// Pairs elements by id when every element has one, else by position.
fn pair_up(ea: &[Value], aa: &[Value]) -> Vec<(Option<usize>, Option<usize>)> {
    let id = |v: &Value| v.get("id").and_then(Value::as_str).map(str::to_owned);
    let keyed = |items: &[Value]| items.iter().all(|v| id(v).is_some());
    if !(keyed(ea) && keyed(aa)) || ea.is_empty() || aa.is_empty() {
        return (0..ea.len().max(aa.len()))
            .map(|i| ((i < ea.len()).then_some(i), (i < aa.len()).then_some(i)))
            .collect();
    }
    let mut pairs: Vec<(Option<usize>, Option<usize>)> = ea
        .iter()
        .enumerate()
        .map(|(i, ev)| (Some(i), aa.iter().position(|av| id(av) == id(ev))))
        .collect();
    for (j, av) in aa.iter().enumerate() {
        if !ea.iter().any(|ev| id(ev) == id(av)) {
            pairs.push((None, Some(j)));
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_the_place_in_the_tree() {
        let e = json!({"agreements": [{"strategic_lines": [{"title": "Linja", "goals": [
            {"title": "A", "targets": [{"year": 2026, "text": "x"}],
             "indicators": [{"name": "Z", "values": [{"year": 2026, "raw": "> 4,0"}]}]}]}]}]});
        let a = json!({"agreements": [{"strategic_lines": [{"title": "Linja", "goals": [
            {"title": "A", "targets": [{"year": 2026, "text": "y"}],
             "indicators": [{"name": "Z", "values": [{"year": 2026, "raw": "> 4,2"}]}]}]}]}]});
        let d: Vec<String> = diff(&e, &a).iter().map(ToString::to_string).collect();
        assert_eq!(
            d,
            vec![
                "agreement 1 > strategic line 'Linja' > goal 'A' > target 2026: text: 'x' became 'y'",
                "agreement 1 > strategic line 'Linja' > goal 'A' > indicator 'Z' > value 2026: raw: '> 4,0' became '> 4,2'",
            ]
        );
        assert!(diff(&e, &e).is_empty());
    }

    #[test]
    fn nodes_with_ids_match_by_id() {
        let e = json!({"goals": [{"id": "g-1", "title": "A"}, {"id": "g-2", "title": "B"}]});
        let a = json!({"goals": [{"id": "g-0", "title": "New"}, {"id": "g-1", "title": "A"}, {"id": "g-2", "title": "B2"}]});
        let d: Vec<String> = diff(&e, &a).iter().map(ToString::to_string).collect();
        assert_eq!(
            d,
            vec!["goal 'B': title: 'B' became 'B2'", "goal 'New' added"]
        );
    }

    #[test]
    fn nested_fields_and_scalars() {
        let e = json!({"source": {"pages": 3}, "coverage": {"lines": 10}});
        let a = json!({"source": {"pages": 4}, "coverage": {"lines": 10}, "x": 1});
        let d: Vec<String> = diff(&e, &a).iter().map(ToString::to_string).collect();
        assert_eq!(d, vec!["source.pages: 3 became 4", "x added"]);
    }
}
