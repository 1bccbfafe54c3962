//! What changed between two editions of an agreement (the agreement is updated every
//! year): goals added, removed, moved or reworded, targets and indicator values
//! changed. Nodes are matched by id first (ids survive new years and new siblings),
//! then, among the rest, by the similarity of their titles.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use crate::model::{Agreement, Document, Goal, Indicator, Target};

/// One change between the old and the new edition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// `added`, `removed`, `moved`, `reworded`, `description_changed`,
    /// `target_added`, `target_removed`, `target_changed`, `indicator_added`,
    /// `indicator_removed`, `unit_changed`, `value_changed`, `value_added`, `value_removed`.
    pub change: String,
    /// `strategic_line`, `goal`, `target`, `indicator` or `value`.
    pub kind: String,
    /// Where, in the new edition (the old one for removals).
    pub place: String,
    pub old_id: Option<String>,
    pub new_id: Option<String>,
    pub old: Option<String>,
    pub new: Option<String>,
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let q = |s: &Option<String>| s.as_deref().map(|s| format!("'{s}'")).unwrap_or_default();
        match self.change.as_str() {
            "added" | "target_added" | "indicator_added" | "value_added" => {
                write!(f, "{}: added {}", self.place, q(&self.new))
            }
            "removed" | "target_removed" | "indicator_removed" | "value_removed" => {
                write!(f, "{}: removed {}", self.place, q(&self.old))
            }
            "moved" => write!(
                f,
                "{}: moved from {} to {}",
                self.place,
                q(&self.old),
                q(&self.new)
            ),
            _ => write!(
                f,
                "{}: {} {} became {}",
                self.place,
                self.change.replace('_', " "),
                q(&self.old),
                q(&self.new)
            ),
        }
    }
}

/// A node of the results tree, flattened with what is compared.
struct Flat<'a> {
    id: &'a str,
    kind: &'static str,
    title: &'a str,
    description: Option<&'a str>,
    parent: Option<&'a str>,
    place: String,
    targets: &'a [Target],
    indicators: &'a [Indicator],
}

fn flatten(a: &Agreement) -> Vec<Flat<'_>> {
    fn goals<'a>(out: &mut Vec<Flat<'a>>, parent: &'a str, place: &str, list: &'a [Goal]) {
        for g in list {
            let place = format!("{place} > goal '{}'", g.title);
            out.push(Flat {
                id: &g.id,
                kind: "goal",
                title: &g.title,
                description: g.description.as_deref(),
                parent: Some(parent),
                place: place.clone(),
                targets: &g.targets,
                indicators: &g.indicators,
            });
            goals(out, &g.id, &place, &g.goals);
        }
    }
    let mut out = Vec::new();
    for sl in &a.strategic_lines {
        let place = format!("strategic line '{}'", sl.title);
        out.push(Flat {
            id: &sl.id,
            kind: "strategic_line",
            title: &sl.title,
            description: sl.description.as_deref(),
            parent: None,
            place: place.clone(),
            targets: &sl.targets,
            indicators: &sl.indicators,
        });
        goals(&mut out, &sl.id, &place, &sl.goals);
    }
    out
}

/// Similarity of two titles: Dice coefficient of their word sets (lower case).
fn similarity(a: &str, b: &str) -> f64 {
    let words = |s: &str| -> HashSet<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let (wa, wb) = (words(a), words(b));
    if wa.is_empty() || wb.is_empty() {
        return 0.0;
    }
    2.0 * wa.intersection(&wb).count() as f64 / (wa.len() + wb.len()) as f64
}

/// Titles at least this similar are the same node reworded.
const SIMILAR: f64 = 0.5;

/// Every change from `old` to `new`. Agreements are paired by id (the same edition),
/// else by their parties (an agreement id names one edition: another period or signing
/// date is another id), else by position.
pub fn compare(old: &Document, new: &Document) -> Vec<Change> {
    let mut changes = Vec::new();
    for (i, na) in new.agreements.iter().enumerate() {
        let oa = old
            .agreements
            .iter()
            .find(|a| a.id == na.id)
            .or_else(|| old.agreements.iter().find(|a| same_parties(a, na)))
            .or_else(|| old.agreements.get(i));
        if let Some(oa) = oa {
            compare_agreement(oa, na, &mut changes);
        }
    }
    changes
}

/// Both agreements name the same ministry, agency and scope (as ids normalize them),
/// and at least one of them.
fn same_parties(a: &Agreement, b: &Agreement) -> bool {
    let parties = |x: &Agreement| {
        [&x.ministry, &x.agency, &x.scope].map(|p| p.as_deref().map(crate::normalize::key))
    };
    let pa = parties(a);
    pa.iter().any(Option::is_some) && pa == parties(b)
}

fn compare_agreement(oa: &Agreement, na: &Agreement, out: &mut Vec<Change>) {
    let (old, new) = (flatten(oa), flatten(na));
    let pair = pair_nodes(&old, &new);
    let old_of_new: HashMap<&str, &str> =
        pair.iter().map(|(&j, &i)| (new[j].id, old[i].id)).collect();
    let title_of = |nodes: &[Flat], id: Option<&str>| {
        id.and_then(|id| nodes.iter().find(|n| n.id == id))
            .map(|n| n.title.to_owned())
    };
    for (j, n) in new.iter().enumerate() {
        let Some(&i) = pair.get(&j) else {
            out.push(change(
                "added",
                n.kind,
                &n.place,
                None,
                Some(n.id),
                None,
                Some(n.title),
            ));
            continue;
        };
        let o = &old[i];
        if o.title != n.title {
            out.push(change(
                "reworded",
                n.kind,
                &n.place,
                Some(o.id),
                Some(n.id),
                Some(o.title),
                Some(n.title),
            ));
        }
        let parent_now = n.parent.and_then(|p| old_of_new.get(p).copied());
        if n.kind == "goal" && parent_now != o.parent {
            let from = title_of(&old, o.parent);
            let to = title_of(&new, n.parent);
            out.push(Change {
                change: "moved".into(),
                kind: n.kind.into(),
                place: n.place.clone(),
                old_id: Some(o.id.into()),
                new_id: Some(n.id.into()),
                old: from,
                new: to,
            });
        }
        if o.description != n.description {
            out.push(change(
                "description_changed",
                n.kind,
                &n.place,
                Some(o.id),
                Some(n.id),
                o.description,
                n.description,
            ));
        }
        compare_targets(o.targets, n.targets, &n.place, out);
        compare_indicators(o.indicators, n.indicators, &n.place, out);
    }
    for (i, o) in old.iter().enumerate() {
        if !pair.values().any(|&k| k == i) {
            out.push(change(
                "removed",
                o.kind,
                &o.place,
                Some(o.id),
                None,
                Some(o.title),
                None,
            ));
        }
    }
    compare_indicator_lists(oa, na, out);
}

/// Pairs of new and old nodes (index in `new` -> index in `old`): by id, then by title
/// similarity (best pairs first, same kind only).
fn pair_nodes(old: &[Flat], new: &[Flat]) -> HashMap<usize, usize> {
    let mut pair: HashMap<usize, usize> = HashMap::new();
    for (j, n) in new.iter().enumerate() {
        if let Some(i) = old.iter().position(|o| o.id == n.id) {
            pair.insert(j, i);
        }
    }
    let used: HashSet<usize> = pair.values().copied().collect();
    let mut candidates: Vec<(f64, usize, usize)> = Vec::new();
    for (j, n) in new
        .iter()
        .enumerate()
        .filter(|(j, _)| !pair.contains_key(j))
    {
        for (i, o) in old.iter().enumerate().filter(|(i, _)| !used.contains(i)) {
            let s = similarity(o.title, n.title);
            if o.kind == n.kind && s >= SIMILAR {
                candidates.push((s, j, i));
            }
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut taken_old = used;
    for (_, j, i) in candidates {
        if !pair.contains_key(&j) && !taken_old.contains(&i) {
            pair.insert(j, i);
            taken_old.insert(i);
        }
    }
    pair
}

/// The resource indicators, and the monitoring indicators group by group (by heading).
fn compare_indicator_lists(oa: &Agreement, na: &Agreement, out: &mut Vec<Change>) {
    compare_indicators(
        &oa.resource_indicators,
        &na.resource_indicators,
        "resource indicators",
        out,
    );
    let groups = |a: &Agreement| -> BTreeMap<String, Vec<Indicator>> {
        a.monitoring_indicators
            .iter()
            .map(|g| (g.group.clone().unwrap_or_default(), g.indicators.clone()))
            .collect()
    };
    let (og, ng) = (groups(oa), groups(na));
    for (name, list) in &ng {
        let empty = Vec::new();
        let place = format!("monitoring group '{name}'");
        compare_indicators(og.get(name).unwrap_or(&empty), list, &place, out);
    }
    for (name, list) in &og {
        if !ng.contains_key(name) {
            compare_indicators(list, &[], &format!("monitoring group '{name}'"), out);
        }
    }
}

fn change(
    what: &str,
    kind: &str,
    place: &str,
    old_id: Option<&str>,
    new_id: Option<&str>,
    old: Option<&str>,
    new: Option<&str>,
) -> Change {
    Change {
        change: what.into(),
        kind: kind.into(),
        place: place.into(),
        old_id: old_id.map(Into::into),
        new_id: new_id.map(Into::into),
        old: old.map(Into::into),
        new: new.map(Into::into),
    }
}

fn compare_targets(old: &[Target], new: &[Target], place: &str, out: &mut Vec<Change>) {
    let by_year = |list: &[Target]| -> BTreeMap<(i32, usize), Target> {
        let mut seen: HashMap<i32, usize> = HashMap::new();
        list.iter()
            .map(|t| {
                let n = seen.entry(t.year).or_default();
                *n += 1;
                ((t.year, *n), t.clone())
            })
            .collect()
    };
    let (o, n) = (by_year(old), by_year(new));
    for (key, nt) in &n {
        let p = format!("{place} > target {}", key.0);
        match o.get(key) {
            None => out.push(change(
                "target_added",
                "target",
                &p,
                None,
                Some(&nt.id),
                None,
                Some(&nt.text),
            )),
            Some(ot) if ot.text != nt.text => out.push(change(
                "target_changed",
                "target",
                &p,
                Some(&ot.id),
                Some(&nt.id),
                Some(&ot.text),
                Some(&nt.text),
            )),
            Some(_) => {}
        }
    }
    for (key, ot) in &o {
        if !n.contains_key(key) {
            let p = format!("{place} > target {}", key.0);
            out.push(change(
                "target_removed",
                "target",
                &p,
                Some(&ot.id),
                None,
                Some(&ot.text),
                None,
            ));
        }
    }
}

// Long: a list of field comparisons, each pushing one change; a list, not logic.
fn compare_indicators(old: &[Indicator], new: &[Indicator], place: &str, out: &mut Vec<Change>) {
    for ni in new {
        let p = format!("{place} > indicator '{}'", ni.name);
        let Some(oi) = old.iter().find(|o| o.name == ni.name) else {
            out.push(change(
                "indicator_added",
                "indicator",
                &p,
                None,
                Some(&ni.id),
                None,
                Some(&ni.name),
            ));
            continue;
        };
        if oi.unit != ni.unit {
            out.push(change(
                "unit_changed",
                "indicator",
                &p,
                Some(&oi.id),
                Some(&ni.id),
                oi.unit.as_deref(),
                ni.unit.as_deref(),
            ));
        }
        let key = |v: &crate::model::Value| (v.year, v.kind.map(|k| k as u8));
        for nv in &ni.values {
            let vp = format!("{p} > value {}", nv.year);
            match oi.values.iter().find(|ov| key(ov) == key(nv)) {
                None => out.push(change(
                    "value_added",
                    "value",
                    &vp,
                    None,
                    None,
                    None,
                    nv.raw.as_deref(),
                )),
                Some(ov) if ov.raw != nv.raw => out.push(change(
                    "value_changed",
                    "value",
                    &vp,
                    Some(&oi.id),
                    Some(&ni.id),
                    ov.raw.as_deref(),
                    nv.raw.as_deref(),
                )),
                Some(_) => {}
            }
        }
        for ov in &oi.values {
            if !ni.values.iter().any(|nv| key(nv) == key(ov)) {
                let vp = format!("{p} > value {}", ov.year);
                out.push(change(
                    "value_removed",
                    "value",
                    &vp,
                    None,
                    None,
                    ov.raw.as_deref(),
                    None,
                ));
            }
        }
    }
    for oi in old {
        if !new.iter().any(|n| n.name == oi.name) {
            let p = format!("{place} > indicator '{}'", oi.name);
            out.push(change(
                "indicator_removed",
                "indicator",
                &p,
                Some(&oi.id),
                None,
                Some(&oi.name),
                None,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similarity_of_titles() {
        assert!(
            similarity(
                "Asianhallinta toimii tehokkaasti",
                "Asianhallinta toimii tehokkaasti ja yhdenmukaisesti"
            ) >= SIMILAR
        );
        assert!(
            similarity(
                "Hankinnat ovat kustannustehokkaita",
                "Tekoälyn käyttö lisääntyy"
            ) < SIMILAR
        );
        assert_eq!(similarity("", "x"), 0.0);
    }
}
