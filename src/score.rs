//! Scores a conversion against an expected tree, category by category, with precision,
//! recall and F1, naming what differs.
//!
//! `diff` answers "what changed" for a reviewed golden file; a score answers "how good
//! is it" for a hand-made expected tree that lacks ids, sources and warnings, and it
//! stays readable when much differs. Each category is a multiset of keys, one per
//! node or field the category counts; a key is the node's place in the tree (titles
//! joined with " › ") and its fields (joined with " | "), each with white space
//! collapsed and in NFC, case kept. Agreements are matched by order; their keys are
//! prefixed with "agreement N" when either document holds more than one.
//!
//! A goal's path is part of its `goals_by_path` key and its parent's title of its
//! `goals_by_parent` key, so a goal placed under the wrong parent counts against those
//! two, but not against `strategic_lines`. What a heading owns (description, targets,
//! indicators, values) is keyed by the heading's own title: attached to the right
//! heading is right, whatever that heading's level. A separate category of
//! heading levels would repeat `strategic_lines` and `goals_by_path`, so there is none.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use unicode_normalization::UnicodeNormalization;

use crate::model::{Agreement, Document, Goal, Indicator, StrategicLine, Target, ValueKind};

/// At most this many keys are listed as missing and as extra in a category (the
/// counts are always full): enough to see the pattern, not a copy of the document.
pub const LISTED: usize = 20;

/// Between the titles of a path.
const PATH_SEP: &str = " › ";
/// Between the fields of a key.
const FIELD_SEP: &str = " | ";
/// An absent (null) field, unlike an empty one.
const NONE: &str = "∅";

/// Precision, recall and F1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// How one category compares.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryScore {
    /// `strategic_lines`, `goals_by_parent`, ... (see [`CATEGORIES`]).
    pub name: String,
    /// Keys in the expected tree.
    pub expected: usize,
    /// Keys in the conversion.
    pub actual: usize,
    /// Size of the multiset intersection.
    pub matched: usize,
    /// `matched / actual`; 1 when both are empty, 0 when only the conversion is.
    pub precision: f64,
    /// `matched / expected`; 1 when both are empty, 0 when only the expected tree is.
    pub recall: f64,
    pub f1: f64,
    /// Expected keys not found: `expected - matched`.
    pub missing_count: usize,
    /// Found keys not expected: `actual - matched`.
    pub extra_count: usize,
    /// The first [`LISTED`] missing keys, in the expected tree's order.
    pub missing: Vec<String>,
    /// The first [`LISTED`] extra keys, in the conversion's order.
    pub extra: Vec<String>,
}

/// The score of a conversion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Score {
    /// Every category of [`CATEGORIES`], in that order.
    pub categories: Vec<CategoryScore>,
    /// Macro mean of precision, recall and F1 over the categories with a key on
    /// either side: a document without (say) a monitoring appendix is not rewarded
    /// for having none. 1 when every category is empty.
    pub overall: Prf,
}

impl Score {
    /// The category named `name`.
    pub fn category(&self, name: &str) -> Option<&CategoryScore> {
        self.categories.iter().find(|c| c.name == name)
    }
}

/// The categories, in the order of [`Score::categories`].
pub const CATEGORIES: [&str; 14] = [
    "strategic_lines",
    "goals_by_parent",
    "goals_by_path",
    "descriptions",
    "targets",
    "indicators",
    "values",
    "resource_indicators",
    "monitoring_indicators",
    "impact_goals",
    "signatories",
    "evaluation_scale",
    "chapters",
    "metadata",
];

/// Index into [`CATEGORIES`].
#[derive(Clone, Copy)]
enum Cat {
    StrategicLines,
    GoalsByParent,
    GoalsByPath,
    Descriptions,
    Targets,
    Indicators,
    Values,
    ResourceIndicators,
    MonitoringIndicators,
    ImpactGoals,
    Signatories,
    EvaluationScale,
    Chapters,
    Metadata,
}

/// Scores `actual` (a conversion) against `expected`.
pub fn score(expected: &Document, actual: &Document) -> Score {
    let prefixed = expected.agreements.len() > 1 || actual.agreements.len() > 1;
    let expected = Keys::of(expected, prefixed);
    let actual = Keys::of(actual, prefixed);
    let categories: Vec<CategoryScore> = CATEGORIES
        .iter()
        .zip(expected.0.iter().zip(&actual.0))
        .map(|(name, (e, a))| compare(name, e, a))
        .collect();
    let counted: Vec<&CategoryScore> = categories
        .iter()
        .filter(|c| c.expected + c.actual > 0)
        .collect();
    let overall = if counted.is_empty() {
        Prf {
            precision: 1.0,
            recall: 1.0,
            f1: 1.0,
        }
    } else {
        let mean = |f: fn(&CategoryScore) -> f64| {
            counted.iter().map(|c| f(c)).sum::<f64>() / counted.len() as f64
        };
        Prf {
            precision: mean(|c| c.precision),
            recall: mean(|c| c.recall),
            f1: mean(|c| c.f1),
        }
    };
    Score {
        categories,
        overall,
    }
}

/// Compares one category's keys as multisets.
fn compare(name: &str, expected: &[String], actual: &[String]) -> CategoryScore {
    let missing = unmatched(expected, actual);
    let extra = unmatched(actual, expected);
    let matched = expected.len() - missing.len();
    let ratio = |part: usize, whole: usize, other: usize| match (whole, other) {
        (0, 0) => 1.0,
        (0, _) => 0.0,
        _ => part as f64 / whole as f64,
    };
    let precision = ratio(matched, actual.len(), expected.len());
    let recall = ratio(matched, expected.len(), actual.len());
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    CategoryScore {
        name: name.to_owned(),
        expected: expected.len(),
        actual: actual.len(),
        matched,
        precision,
        recall,
        f1,
        missing_count: missing.len(),
        extra_count: extra.len(),
        missing: missing.into_iter().take(LISTED).cloned().collect(),
        extra: extra.into_iter().take(LISTED).cloned().collect(),
    }
}

/// The keys of `these` left over once each key of `those` has taken one equal key, in
/// the order of `these`.
fn unmatched<'a>(these: &'a [String], those: &[String]) -> Vec<&'a String> {
    let mut left: HashMap<&str, usize> = HashMap::new();
    for key in those {
        *left.entry(key).or_default() += 1;
    }
    these
        .iter()
        .filter(|key| match left.get_mut(key.as_str()) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .collect()
}

/// Collapsed white space and NFC: a score measures structure, not the extractor's
/// spacing or the PDF's choice of composed or decomposed letters.
fn norm(text: &str) -> String {
    let collapsed = crate::text::collapse(text);
    if unicode_normalization::is_nfc_quick(collapsed.chars())
        == unicode_normalization::IsNormalized::Yes
    {
        collapsed
    } else {
        collapsed.nfc().collect()
    }
}

fn opt(field: Option<&str>) -> &str {
    field.unwrap_or(NONE)
}

fn kind_name(kind: Option<ValueKind>) -> &'static str {
    match kind {
        Some(ValueKind::Target) => "target",
        Some(ValueKind::Actual) => "actual",
        Some(ValueKind::Estimate) => "estimate",
        None => NONE,
    }
}

/// Every category's keys of one document, indexed like [`CATEGORIES`].
#[derive(Default)]
struct Keys([Vec<String>; CATEGORIES.len()]);

impl Keys {
    fn of(doc: &Document, prefixed: bool) -> Keys {
        let mut keys = Keys::default();
        for (i, agreement) in doc.agreements.iter().enumerate() {
            let base = prefixed.then(|| format!("agreement {}", i + 1));
            let mut collector = Collector {
                keys: &mut keys,
                base: base.as_deref(),
            };
            collector.agreement(agreement);
        }
        keys
    }
}

/// Adds one agreement's keys.
struct Collector<'k, 'b> {
    keys: &'k mut Keys,
    /// "agreement N" when keys are prefixed.
    base: Option<&'b str>,
}

impl Collector<'_, '_> {
    /// Adds a key: the base and `path` joined with [`PATH_SEP`], then `fields`
    /// with [`FIELD_SEP`].
    fn add(&mut self, cat: Cat, path: &[&str], fields: &[&str]) {
        let mut key = String::new();
        let parts = self.base.iter().chain(path).map(|p| (PATH_SEP, p));
        for (i, (sep, part)) in parts
            .chain(fields.iter().map(|f| (FIELD_SEP, f)))
            .enumerate()
        {
            if i > 0 {
                key.push_str(sep);
            }
            key.push_str(&norm(part));
        }
        self.keys.0[cat as usize].push(key);
    }

    fn agreement(&mut self, a: &Agreement) {
        self.metadata(a);
        for s in &a.signatories {
            let fields = [
                opt(s.organization.as_deref()),
                &s.name,
                opt(s.title.as_deref()),
            ];
            self.add(Cat::Signatories, &[], &fields);
        }
        for c in &a.chapters {
            let level = c.level.to_string();
            let fields = [opt(c.number.as_deref()), &c.title, &level];
            self.add(Cat::Chapters, &[], &fields);
        }
        for g in &a.impact_goals {
            self.add(
                Cat::ImpactGoals,
                &[],
                &[&g.text, opt(g.ministry.as_deref())],
            );
        }
        for step in &a.evaluation_scale {
            let score = step.score.to_string();
            let fields = [score.as_str(), &step.label, &step.meaning];
            self.add(Cat::EvaluationScale, &[], &fields);
        }
        for line in &a.strategic_lines {
            self.strategic_line(line);
        }
        for i in &a.resource_indicators {
            let path: Vec<&str> = i.group.as_deref().into_iter().chain([&*i.name]).collect();
            self.add(Cat::ResourceIndicators, &path, &[opt(i.unit.as_deref())]);
            self.values(Cat::ResourceIndicators, &path, i);
        }
        for group in &a.monitoring_indicators {
            for i in &group.indicators {
                let path: Vec<&str> = group
                    .group
                    .as_deref()
                    .into_iter()
                    .chain([&*i.name])
                    .collect();
                self.add(Cat::MonitoringIndicators, &path, &[opt(i.unit.as_deref())]);
                self.values(Cat::MonitoringIndicators, &path, i);
            }
        }
    }

    /// One key per cover-page field the agreement states.
    fn metadata(&mut self, a: &Agreement) {
        let period = a.period.as_ref().map(|p| format!("{}–{}", p.start, p.end));
        let fields = [
            ("title", a.title.as_deref()),
            ("ministry", a.ministry.as_deref()),
            ("agency", a.agency.as_deref()),
            ("scope", a.scope.as_deref()),
            ("period", period.as_deref()),
            ("signed", a.signed.as_deref()),
        ];
        for (name, value) in fields {
            if let Some(value) = value {
                self.add(Cat::Metadata, &[&format!("{name}={value}")], &[]);
            }
        }
    }

    fn strategic_line(&mut self, line: &StrategicLine) {
        let mut path = vec![line.title.as_str()];
        self.add(Cat::StrategicLines, &path, &[]);
        self.node(
            &path,
            line.description.as_deref(),
            &line.targets,
            &line.indicators,
        );
        for goal in &line.goals {
            self.goal(&mut path, goal);
        }
    }

    /// A goal and, depth first, its sub-goals; `path` ends with its parent's title.
    fn goal<'d>(&mut self, path: &mut Vec<&'d str>, goal: &'d Goal) {
        let parent = path.last().copied().unwrap_or_default();
        self.add(Cat::GoalsByParent, &[parent, &goal.title], &[]);
        path.push(&goal.title);
        self.add(Cat::GoalsByPath, path, &[]);
        self.node(
            path,
            goal.description.as_deref(),
            &goal.targets,
            &goal.indicators,
        );
        for sub in &goal.goals {
            self.goal(path, sub);
        }
        path.pop();
    }

    /// What a heading node owns: its description, targets and indicators, keyed by
    /// the heading they are written under (the last title of `path`), not its full
    /// path: the heading's level is counted once, by `goals_by_path`, and a level
    /// error does not also take every target and value below it.
    fn node(
        &mut self,
        path: &[&str],
        description: Option<&str>,
        targets: &[Target],
        indicators: &[Indicator],
    ) {
        let owner = &path[path.len().saturating_sub(1)..];
        if let Some(description) = description {
            self.add(Cat::Descriptions, owner, &[description]);
        }
        for t in targets {
            self.add(Cat::Targets, owner, &[&t.year.to_string(), &t.text]);
        }
        for i in indicators {
            let mut owned = owner.to_vec();
            owned.push(&i.name);
            let fields = [opt(i.unit.as_deref()), opt(i.description.as_deref())];
            self.add(Cat::Indicators, &owned, &fields);
            self.values(Cat::Values, &owned, i);
        }
    }

    /// One key per year cell of the indicator at `path`.
    fn values(&mut self, cat: Cat, path: &[&str], indicator: &Indicator) {
        for v in &indicator.values {
            let year = v.year.to_string();
            self.add(
                cat,
                path,
                &[&year, kind_name(v.kind), opt(v.raw.as_deref())],
            );
        }
    }
}

/// Keys listed per category and side in the text form.
const SHOWN: usize = 5;
/// Longest title or field shown in the text form, in characters: each part of a key
/// is cut, not the key, so that its tail (a year, a value) stays in sight.
const SHOWN_CHARS: usize = 48;

fn shorten(key: &str) -> String {
    let mut out = String::with_capacity(key.len().min(512));
    let mut rest = key;
    loop {
        let next = [PATH_SEP, FIELD_SEP]
            .into_iter()
            .filter_map(|sep| rest.find(sep).map(|at| (at, sep)))
            .min();
        let part = next.map_or(rest, |(at, _)| &rest[..at]);
        match part.char_indices().nth(SHOWN_CHARS) {
            Some((at, _)) => {
                out.push_str(&part[..at]);
                out.push('…');
            }
            None => out.push_str(part),
        }
        let Some((at, sep)) = next else { break };
        out.push_str(sep);
        rest = &rest[at + sep.len()..];
    }
    out
}

/// A table of the categories, then the first missing (`-`) and extra (`+`) keys of
/// each category that differs.
impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<22} {:>8} {:>8} {:>8} {:>6} {:>6} {:>6}",
            "category", "expected", "found", "matched", "P", "R", "F1"
        )?;
        for c in &self.categories {
            writeln!(
                f,
                "{:<22} {:>8} {:>8} {:>8} {:>6.3} {:>6.3} {:>6.3}",
                c.name, c.expected, c.actual, c.matched, c.precision, c.recall, c.f1
            )?;
        }
        let o = &self.overall;
        writeln!(
            f,
            "{:<49} {:>6.3} {:>6.3} {:>6.3}",
            "overall (macro, non-empty categories)", o.precision, o.recall, o.f1
        )?;
        for c in self
            .categories
            .iter()
            .filter(|c| c.missing_count + c.extra_count > 0)
        {
            writeln!(
                f,
                "\n{}: {} missing, {} extra",
                c.name, c.missing_count, c.extra_count
            )?;
            for (sign, keys, count) in [
                ("-", &c.missing, c.missing_count),
                ("+", &c.extra, c.extra_count),
            ] {
                for key in keys.iter().take(SHOWN) {
                    writeln!(f, "  {sign} {}", shorten(key))?;
                }
                if count > SHOWN {
                    writeln!(f, "  {sign} … {} more", count - SHOWN)?;
                }
            }
        }
        Ok(())
    }
}

/// Reads a document tree that may leave out what a hand-made expected tree has no use
/// for (`source`, ids, `warnings`, `coverage`, `generator`, `level_evidence`, ...): every
/// missing field gets a neutral default (null, empty, zero, the first variant) from the
/// model's JSON Schema, so the model's own types read it and stay the one definition.
/// A full output of `convert` reads unchanged. Fields that are scored (a chapter's
/// level, say) should be given: their default would be compared.
pub fn load_tree(json: &str) -> Result<Document, serde_json::Error> {
    let json = json.strip_prefix('\u{feff}').unwrap_or(json);
    let mut tree: Json = serde_json::from_str(json)?;
    let schema = schema();
    fill(&mut tree, schema, schema);
    serde_json::from_value(tree)
}

fn schema() -> &'static Json {
    static SCHEMA: OnceLock<Json> = OnceLock::new();
    SCHEMA.get_or_init(crate::emit::schema)
}

/// `schema`, or the definition it refers to.
fn resolve<'s>(schema: &'s Json, root: &'s Json) -> &'s Json {
    match schema.get("$ref").and_then(Json::as_str) {
        Some(r) => r
            .strip_prefix("#/$defs/")
            .and_then(|name| root.get("$defs")?.get(name))
            .unwrap_or(schema),
        None => schema,
    }
}

/// The branches of an `anyOf` or `oneOf`.
fn branches(schema: &Json) -> &[Json] {
    schema
        .get("anyOf")
        .or_else(|| schema.get("oneOf"))
        .and_then(Json::as_array)
        .map_or(&[], Vec::as_slice)
}

fn is_null_type(schema: &Json) -> bool {
    match schema.get("type") {
        Some(Json::String(t)) => t == "null",
        Some(Json::Array(types)) => types.iter().any(|t| t == "null"),
        _ => false,
    }
}

/// Adds the missing properties of every object in `value`, as `schema` describes it.
fn fill(value: &mut Json, schema: &Json, root: &Json) {
    let mut schema = resolve(schema, root);
    // An optional object (`anyOf: [{$ref}, {type: null}]`) fills as its object branch.
    if let Some(branch) = branches(schema).iter().find(|b| !is_null_type(b)) {
        schema = resolve(branch, root);
    }
    match value {
        Json::Object(obj) => {
            let Some(Json::Object(props)) = schema.get("properties") else {
                return;
            };
            for (name, prop) in props {
                match obj.get_mut(name) {
                    Some(v) => fill(v, prop, root),
                    None => {
                        obj.insert(name.clone(), default(prop, root));
                    }
                }
            }
        }
        Json::Array(items) => {
            if let Some(item) = schema.get("items") {
                items.iter_mut().for_each(|v| fill(v, item, root));
            }
        }
        _ => {}
    }
}

/// The neutral value of a missing field: null where null is allowed, else empty, zero
/// or the first variant.
fn default(schema: &Json, root: &Json) -> Json {
    let schema = resolve(schema, root);
    let branches = branches(schema);
    if is_null_type(schema) || branches.iter().any(is_null_type) {
        return Json::Null;
    }
    if let Some(first) = schema.get("enum").and_then(|e| e.get(0)) {
        return first.clone();
    }
    if let Some(first) = branches.first() {
        return first
            .get("const")
            .cloned()
            .unwrap_or_else(|| default(first, root));
    }
    match schema.get("type").and_then(Json::as_str) {
        Some("object") => {
            let mut obj = Json::Object(serde_json::Map::new());
            fill(&mut obj, schema, root);
            obj
        }
        Some("array") => Json::Array(Vec::new()),
        Some("string") => Json::String(String::new()),
        Some("integer" | "number") => Json::from(0),
        Some("boolean") => Json::Bool(false),
        _ => Json::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A document from a partial tree (read as `score` reads expected trees).
    fn doc(agreements: Json) -> Document {
        load_tree(&json!({ "agreements": agreements }).to_string()).expect("tree")
    }

    fn goal(title: &str, values: &[(i32, &str)]) -> Json {
        let values: Vec<Json> = values
            .iter()
            .map(|(year, raw)| json!({"year": year, "kind": "target", "raw": raw}))
            .collect();
        json!({"title": title, "indicators": [{"name": "Mittari", "unit": "%", "values": values}]})
    }

    fn sample() -> Json {
        json!([{
            "title": "Sopimus 2026–2029",
            "ministry": "TEM",
            "period": {"start": 2026, "end": 2029},
            "signatories": [{"name": "A. B.", "title": "ylijohtaja"}],
            "chapters": [{"number": "1", "title": "Linjaukset", "level": 1}],
            "impact_goals": [{"text": "Hyvinvointi kasvaa", "ministry": "TEM"}],
            "evaluation_scale": [{"score": 3, "label": "VIHREÄ", "meaning": "toteutui"}],
            "strategic_lines": [
                {"title": "Linja A", "description": "Kuvaus", "goals": [
                    goal("Tavoite X", &[(2026, "90"), (2027, "95")]),
                    {"title": "Tavoite Y", "targets": [{"year": 2026, "text": "Teksti"}]},
                ]},
                {"title": "Linja B", "goals": [{"title": "Tavoite Z"}]},
            ],
            "resource_indicators": [{"name": "HTV", "group": "Henkilöstö", "values": [{"year": 2026, "raw": "120"}]}],
            "monitoring_indicators": [{"group": "Talous", "indicators": [{"name": "Kulut", "unit": "M€"}]}],
        }])
    }

    fn f1(score: &Score, name: &str) -> f64 {
        score.category(name).expect("category").f1
    }

    #[test]
    fn identical_documents_score_one_everywhere() {
        let d = doc(sample());
        let s = score(&d, &d);
        for c in &s.categories {
            assert_eq!((c.precision, c.recall, c.f1), (1.0, 1.0, 1.0), "{}", c.name);
            assert!(c.expected > 0, "{} has no keys in the sample", c.name);
            assert!(c.missing.is_empty() && c.extra.is_empty(), "{}", c.name);
        }
        assert_eq!(s.overall.f1, 1.0);
        assert_eq!(s.category("goals_by_path").map(|c| c.expected), Some(3));
        assert_eq!(s.category("values").map(|c| c.expected), Some(2));
        assert_eq!(s.category("metadata").map(|c| c.expected), Some(3));
        assert!(s.category("levels").is_none());
    }

    #[test]
    fn a_moved_goal_counts_against_its_parent_and_path_only() {
        let expected = doc(sample());
        let mut moved = sample();
        let y = moved[0]["strategic_lines"][0]["goals"]
            .as_array_mut()
            .unwrap()
            .remove(1);
        moved[0]["strategic_lines"][1]["goals"]
            .as_array_mut()
            .unwrap()
            .push(y);
        let s = score(&expected, &doc(moved));
        assert_eq!(f1(&s, "strategic_lines"), 1.0);
        for name in ["goals_by_parent", "goals_by_path"] {
            let c = s.category(name).unwrap();
            assert_eq!((c.expected, c.actual, c.matched), (3, 3, 2), "{name}");
            assert!((c.f1 - 2.0 / 3.0).abs() < 1e-12, "{name}: {}", c.f1);
        }
        let path = s.category("goals_by_path").unwrap();
        assert_eq!(path.missing, ["Linja A › Tavoite Y"]);
        assert_eq!(path.extra, ["Linja B › Tavoite Y"]);
        let parent = s.category("goals_by_parent").unwrap();
        assert_eq!(parent.missing, ["Linja A › Tavoite Y"]);
        assert_eq!(parent.extra, ["Linja B › Tavoite Y"]);
        // Its target moved with it and stays its own.
        assert_eq!(f1(&s, "targets"), 1.0);
        assert_eq!(f1(&s, "values"), 1.0);
    }

    #[test]
    fn a_wrong_value_counts_against_values_only() {
        let expected = doc(sample());
        let mut wrong = sample();
        wrong[0]["strategic_lines"][0]["goals"][0]["indicators"][0]["values"][1]["raw"] =
            json!("96");
        let s = score(&expected, &doc(wrong));
        let values = s.category("values").unwrap();
        assert_eq!(
            (values.matched, values.precision, values.recall),
            (1, 0.5, 0.5)
        );
        assert_eq!(values.missing, ["Tavoite X › Mittari | 2027 | target | 95"]);
        assert_eq!(values.extra, ["Tavoite X › Mittari | 2027 | target | 96"]);
        for c in s.categories.iter().filter(|c| c.name != "values") {
            assert_eq!(c.f1, 1.0, "{}", c.name);
        }
        let n = CATEGORIES.len() as f64;
        assert!(
            (s.overall.f1 - (n - 0.5) / n).abs() < 1e-12,
            "{}",
            s.overall.f1
        );
    }

    #[test]
    fn empty_categories_do_not_count_in_overall() {
        let expected = doc(json!([{"strategic_lines": [{"title": "A"}, {"title": "B"}]}]));
        let actual = doc(json!([{"strategic_lines": [{"title": "A"}]}]));
        let s = score(&expected, &actual);
        let lines = s.category("strategic_lines").unwrap();
        assert_eq!((lines.precision, lines.recall), (1.0, 0.5));
        assert_eq!(s.overall.precision, 1.0);
        assert_eq!(s.overall.recall, 0.5);
        assert!((s.overall.f1 - 2.0 / 3.0).abs() < 1e-12);
        // An empty category scores 1 but is not averaged in.
        assert_eq!(f1(&s, "chapters"), 1.0);
        let empty = doc(json!([]));
        assert_eq!(score(&empty, &empty).overall.f1, 1.0);
    }

    #[test]
    fn one_sided_categories_score_zero() {
        let full = doc(json!([{"strategic_lines": [{"title": "A"}]}]));
        let none = doc(json!([{}]));
        let found_nothing = score(&full, &none);
        let c = found_nothing.category("strategic_lines").unwrap();
        assert_eq!((c.precision, c.recall, c.f1), (0.0, 0.0, 0.0));
        assert_eq!(c.missing, ["A"]);
        let expected_nothing = score(&none, &full);
        assert_eq!(expected_nothing.overall.f1, 0.0);
    }

    #[test]
    fn keys_are_multisets() {
        let lines = |titles: &[&str]| {
            let lines: Vec<Json> = titles.iter().map(|t| json!({"title": t})).collect();
            doc(json!([{ "strategic_lines": lines }]))
        };
        let s = score(&lines(&["A", "A", "B"]), &lines(&["A", "B", "B"]));
        let c = s.category("strategic_lines").unwrap();
        assert_eq!((c.expected, c.actual, c.matched), (3, 3, 2));
        assert_eq!((c.missing_count, c.extra_count), (1, 1));
        assert_eq!(
            (c.missing.as_slice(), c.extra.as_slice()),
            (&["A".to_owned()][..], &["B".to_owned()][..])
        );
        assert!((c.precision - 2.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn keys_ignore_spacing_and_composition_but_not_case() {
        let one =
            doc(json!([{"strategic_lines": [{"title": "Hyvä  linja\n"}, {"title": "Toinen"}]}]));
        let two = doc(
            json!([{"strategic_lines": [{"title": " Hyva\u{308} linja"}, {"title": "toinen"}]}]),
        );
        let c = score(&one, &two)
            .category("strategic_lines")
            .unwrap()
            .clone();
        assert_eq!(c.matched, 1);
        assert_eq!(c.missing, ["Toinen"]);
    }

    #[test]
    fn several_agreements_are_told_apart() {
        let one = doc(json!([{"strategic_lines": [{"title": "A"}]}]));
        let two = doc(
            json!([{"strategic_lines": [{"title": "A"}]}, {"strategic_lines": [{"title": "A"}]}]),
        );
        let s = score(&one, &two);
        let c = s.category("strategic_lines").unwrap();
        assert_eq!(c.matched, 1);
        assert_eq!(c.extra, ["agreement 2 › A"]);
    }

    #[test]
    fn lists_are_capped_but_counts_are_not() {
        let lines: Vec<Json> = (0..30).map(|i| json!({"title": format!("L{i}")})).collect();
        let s = score(
            &doc(json!([{ "strategic_lines": lines }])),
            &doc(json!([{}])),
        );
        let c = s.category("strategic_lines").unwrap();
        assert_eq!((c.missing_count, c.missing.len()), (30, LISTED));
        assert_eq!(c.missing[0], "L0");
    }

    #[test]
    fn partial_trees_get_defaults() {
        let d = doc(json!([{"strategic_lines": [{"title": "A", "goals": [
            {"title": "G", "indicators": [{"name": "M", "values": [{"year": 2026}]}]}
        ]}]}]));
        let a = &d.agreements[0];
        assert_eq!(a.id, "");
        assert_eq!(a.title, None);
        let g = &a.strategic_lines[0].goals[0];
        assert_eq!(g.level_evidence, crate::model::LevelEvidence::Layout);
        assert_eq!(g.indicators[0].values[0].raw, None);
        assert_eq!(g.source.bbox, None);
        assert_eq!(d.coverage.lines, 0);
        assert!(load_tree("{\"agreements\": [{\"title\": 3}]}").is_err());
        assert!(load_tree("not json").is_err());
    }

    #[test]
    fn the_text_form_cuts_each_part_of_a_key() {
        let long = "x".repeat(100);
        let key = format!("{long} › lyhyt | {long} | 2026");
        let cut = format!("{}…", "x".repeat(SHOWN_CHARS));
        assert_eq!(shorten(&key), format!("{cut} › lyhyt | {cut} | 2026"));
        assert_eq!(shorten("ä › b"), "ä › b");
    }

    #[test]
    fn the_text_form_names_the_differences() {
        let expected = doc(json!([{"strategic_lines": [{"title": "A"}, {"title": "B"}]}]));
        let actual = doc(json!([{"strategic_lines": [{"title": "A"}, {"title": "C"}]}]));
        let text = score(&expected, &actual).to_string();
        assert!(
            text.contains("strategic_lines: 1 missing, 1 extra"),
            "{text}"
        );
        assert!(text.contains("  - B\n  + C\n"), "{text}");
        assert!(text.contains("0.500"), "{text}");
    }
}
