//! Semantic differences between two JSON documents of the model, named by their place
//! in the tree ("agreements[1] > strategic_lines[2] 'Otsikko' > goals[0]: title ...")
//! rather than by text lines. Used by the golden tests.

use serde_json::Value;

/// One difference: where, the expected value and the actual one (`None` when absent).
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    pub place: String,
    pub expected: Option<Value>,
    pub actual: Option<Value>,
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let show = |v: &Option<Value>| match v {
            None => "(absent)".to_owned(),
            Some(v) => {
                let s = v.to_string();
                if s.chars().count() > 160 {
                    format!("{}…", s.chars().take(160).collect::<String>())
                } else {
                    s
                }
            }
        };
        write!(
            f,
            "{}:\n    expected {}\n    actual   {}",
            self.place,
            show(&self.expected),
            show(&self.actual)
        )
    }
}

/// All differences between `expected` and `actual`, in document order.
pub fn diff(expected: &Value, actual: &Value) -> Vec<Difference> {
    let mut out = Vec::new();
    walk("", expected, actual, &mut out);
    out
}

fn label(v: &Value) -> String {
    ["title", "name", "group", "text"]
        .iter()
        .find_map(|k| v.get(k).and_then(Value::as_str))
        .map(|t| {
            let t: String = t.chars().take(50).collect();
            format!(" '{t}'")
        })
        .unwrap_or_default()
}

fn walk(place: &str, e: &Value, a: &Value, out: &mut Vec<Difference>) {
    match (e, a) {
        (Value::Object(eo), Value::Object(ao)) => {
            for (k, ev) in eo {
                let p = join(place, k);
                match ao.get(k) {
                    Some(av) => walk(&p, ev, av, out),
                    None => out.push(Difference {
                        place: p,
                        expected: Some(ev.clone()),
                        actual: None,
                    }),
                }
            }
            for (k, av) in ao {
                if !eo.contains_key(k) {
                    out.push(Difference {
                        place: join(place, k),
                        expected: None,
                        actual: Some(av.clone()),
                    });
                }
            }
        }
        (Value::Array(ea), Value::Array(aa)) if keyed(ea) && keyed(aa) => {
            // Nodes with ids are matched by id, so an inserted node is one difference,
            // not a shift of every later sibling.
            let id = |v: &Value| v.get("id").and_then(Value::as_str).map(str::to_owned);
            for (i, ev) in ea.iter().enumerate() {
                let p = format!("{place}[{i}]{}", label(ev));
                match aa.iter().find(|av| id(av) == id(ev)) {
                    Some(av) => walk(&p, ev, av, out),
                    None => out.push(Difference {
                        place: p,
                        expected: Some(ev.clone()),
                        actual: None,
                    }),
                }
            }
            for (i, av) in aa.iter().enumerate() {
                if !ea.iter().any(|ev| id(ev) == id(av)) {
                    out.push(Difference {
                        place: format!("{place}[{i}]{}", label(av)),
                        expected: None,
                        actual: Some(av.clone()),
                    });
                }
            }
        }
        (Value::Array(ea), Value::Array(aa)) => {
            for i in 0..ea.len().max(aa.len()) {
                let named = ea.get(i).or(aa.get(i)).map(label).unwrap_or_default();
                let p = format!("{place}[{i}]{named}");
                match (ea.get(i), aa.get(i)) {
                    (Some(ev), Some(av)) => walk(&p, ev, av, out),
                    (ev, av) => out.push(Difference {
                        place: p,
                        expected: ev.cloned(),
                        actual: av.cloned(),
                    }),
                }
            }
        }
        _ if e != a => out.push(Difference {
            place: if place.is_empty() {
                "(root)".into()
            } else {
                place.into()
            },
            expected: Some(e.clone()),
            actual: Some(a.clone()),
        }),
        _ => {}
    }
}

/// Every element is an object with an id.
fn keyed(items: &[Value]) -> bool {
    !items.is_empty()
        && items
            .iter()
            .all(|v| v.get("id").is_some_and(Value::is_string))
}

fn join(place: &str, key: &str) -> String {
    if place.is_empty() {
        key.to_owned()
    } else {
        format!("{place} > {key}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_the_place_in_the_tree() {
        let e = json!({"agreements": [{"strategic_lines": [{"title": "Linja", "goals": [{"title": "A", "level": 1}]}]}]});
        let a = json!({"agreements": [{"strategic_lines": [{"title": "Linja", "goals": [{"title": "B", "level": 1}, {"title": "C"}]}]}]});
        let d = diff(&e, &a);
        assert_eq!(d.len(), 2);
        assert_eq!(
            d[0].place,
            "agreements[0] > strategic_lines[0] 'Linja' > goals[0] 'A' > title"
        );
        assert_eq!(d[1].expected, None);
        assert!(d[1].to_string().contains("(absent)"));
        assert!(diff(&e, &e).is_empty());
    }

    #[test]
    fn nodes_with_ids_match_by_id() {
        let e = json!({"goals": [{"id": "g-1", "title": "A"}, {"id": "g-2", "title": "B"}]});
        let a = json!({"goals": [{"id": "g-0", "title": "New"}, {"id": "g-1", "title": "A"}, {"id": "g-2", "title": "B2"}]});
        let d = diff(&e, &a);
        let places: Vec<&str> = d.iter().map(|d| d.place.as_str()).collect();
        assert_eq!(places, vec!["goals[1] 'B' > title", "goals[0] 'New'"]);
        assert_eq!(d[1].expected, None);
    }
}
