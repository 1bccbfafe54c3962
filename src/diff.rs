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
}
