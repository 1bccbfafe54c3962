//! Stage 5: the agreement tree -> normalized model: stable ids.
//!
//! An id is a kind prefix and the first 12 hex digits of SHA-256. A node's (chapter,
//! impact goal, strategic line, goal, target, indicator) is over the agreement's lineage
//! and the node's normalized title path; an agreement's over its lineage and edition.
//!
//! - Lineage: ministry, agency and scope from the cover (nothing without a cover), so
//!   next year's edition keeps its node ids and `diff` matches them.
//! - Edition: the period and the signing date; when neither is printed, a digest of the
//!   agreement's node ids (see `edition`), never its place in the file. Two editions of
//!   one agreement thus have two agreement ids and the same node ids: a node is unique
//!   by (agreement id, node id).
//! - Title path: the chain of titles from the strategic line down (targets add
//!   "Tavoite YYYY"); titles are normalized (NFC, lower case, white space collapsed,
//!   closing punctuation dropped), so adding siblings or fixing a full stop does not
//!   change an id. Two nodes with the same path get `-2`, `-3`, ... in document order.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use crate::model::*;

/// Assigns every id of the document.
///
/// Hashing follows the tree: the hash state over a node's kind, identity and title
/// path is kept and extended for its children (SHA-256 is a running hash), so no title
/// is hashed again for each descendant, and no path strings are built.
///
/// Agreements get their ids in parallel, each counting its own repeats; should two
/// agreements make the same id (the same identity and path), the document is done
/// again in order with one count, so that such ids still get `-2`, `-3`, ...
pub fn assign_ids(agreements: &mut [Agreement]) {
    use rayon::prelude::*;
    if agreements.len() > 1 {
        let seen: Vec<Ids> = agreements
            .par_iter_mut()
            .map(|a| {
                let mut ids = Ids::default();
                assign(&mut ids, a);
                ids
            })
            .collect();
        let mut all: std::collections::HashSet<&Key, DigestHash> =
            std::collections::HashSet::with_capacity_and_hasher(
                seen.iter().map(|ids| ids.seen.len()).sum(),
                DigestHash,
            );
        let shared = seen
            .iter()
            .flat_map(|ids| ids.seen.keys())
            .any(|k| !all.insert(k));
        if !shared {
            return;
        }
    }
    assign_in_order(agreements);
}

/// All ids with one count of repeats, agreement after agreement.
fn assign_in_order(agreements: &mut [Agreement]) {
    let mut ids = Ids::default();
    for a in agreements.iter_mut() {
        assign(&mut ids, a);
    }
}

/// Assigns the ids of one agreement.
fn assign(ids: &mut Ids, a: &mut Agreement) {
    let identity = lineage(a);
    let mut chapter_path: Vec<String> = Vec::new();
    for c in &mut a.chapters {
        chapter_path.truncate(c.level.saturating_sub(1) as usize);
        chapter_path.push(key(&c.title));
        let mut h = start("c", &identity);
        part(&mut h, "chapter");
        for p in &chapter_path {
            part(&mut h, p);
        }
        c.id = ids.finish("c", h);
    }
    for g in &mut a.impact_goals {
        g.id = ids.make("ig", &identity, &["impact", &key(&g.text)]);
    }
    for sl in &mut a.strategic_lines {
        let k = key(&sl.title);
        sl.id = ids.make("sl", &identity, &[&k]);
        let targets = !sl.targets.is_empty() || sl.goals.iter().any(has_targets);
        let indicators = !sl.indicators.is_empty() || sl.goals.iter().any(has_indicators);
        let chains = Chains {
            goal: extended(start("g", &identity), &k),
            target: targets.then(|| extended(start("t", &identity), &k)),
            indicator: indicators.then(|| {
                let mut h = start("i", &identity);
                part(&mut h, "indicator");
                extended(h, &k)
            }),
        };
        leaf_ids(ids, &chains, &mut sl.targets, &mut sl.indicators);
        for g in &mut sl.goals {
            goal_ids(ids, &chains, g);
        }
    }
    for i in &mut a.resource_indicators {
        let group = key(i.group.as_deref().unwrap_or_default());
        i.id = ids.make("i", &identity, &["resources", &group, &key(&i.name)]);
    }
    for g in &mut a.monitoring_indicators {
        let group = key(g.group.as_deref().unwrap_or_default());
        for i in &mut g.indicators {
            i.id = ids.make("i", &identity, &["monitoring", &group, &key(&i.name)]);
        }
    }
    // Last: an undated agreement's edition is a digest of its node ids.
    a.id = ids.make("a", &identity, &["edition", &edition(a)]);
}

/// Who agrees on what, the same in every edition: the parties from the cover
/// (`ministry|agency|scope`, normalized as titles), or nothing for an agreement without
/// a cover. Not its place in the file (that made the first cover-less agreement of every
/// file one agreement), and not a digest of its text: a misread word anywhere would
/// change every node id, where now it changes the ids of the nodes it is in. Nodes of
/// two cover-less agreements may share ids; their agreement ids tell them apart.
fn lineage(a: &Agreement) -> String {
    if a.ministry.is_none() && a.agency.is_none() && a.scope.is_none() {
        return String::new();
    }
    [&a.ministry, &a.agency, &a.scope]
        .iter()
        .map(|p| p.as_deref().map(key).unwrap_or_default())
        .collect::<Vec<_>>()
        .join("|")
}

/// Which edition: `PERIOD_START-PERIOD_END|SIGNED` (either part empty when not printed).
/// When neither is printed, `content:` and a digest of the agreement's node ids (its
/// chapters, impact goals, strategic lines, goals, targets by year and indicators, by
/// their titles), so that two agreements differ as soon as their trees do, and the
/// same tree read from a PDF or any of its dumps, or with a misread word in a target's
/// text, keeps its id.
fn edition(a: &Agreement) -> String {
    if a.period.is_some() || a.signed.is_some() {
        let period = a
            .period
            .as_ref()
            .map(|p| format!("{}-{}", p.start, p.end))
            .unwrap_or_default();
        return format!("{period}|{}", a.signed.as_deref().unwrap_or_default());
    }
    fn leaves(h: &mut Sha256, targets: &[Target], indicators: &[Indicator]) {
        targets.iter().for_each(|t| part(h, &t.id));
        indicators.iter().for_each(|i| part(h, &i.id));
    }
    fn goals(h: &mut Sha256, list: &[Goal]) {
        for g in list {
            part(h, &g.id);
            leaves(h, &g.targets, &g.indicators);
            goals(h, &g.goals);
        }
    }
    let mut h = Sha256::new();
    a.chapters.iter().for_each(|c| part(&mut h, &c.id));
    a.impact_goals.iter().for_each(|g| part(&mut h, &g.id));
    for sl in &a.strategic_lines {
        part(&mut h, &sl.id);
        leaves(&mut h, &sl.targets, &sl.indicators);
        goals(&mut h, &sl.goals);
    }
    leaves(&mut h, &[], &a.resource_indicators);
    for g in &a.monitoring_indicators {
        leaves(&mut h, &[], &g.indicators);
    }
    let mut out = String::from("content:");
    push_hex(&mut out, &h.finalize()[..8]);
    out
}

/// Hash states over kind + identity + the title path of one node, one per kind of id
/// made below it; `target` and `indicator` only where the subtree has such leaves.
struct Chains {
    /// "g", identity, path: goals below extend it with their title.
    goal: Sha256,
    /// "t", identity, path: targets add "tavoite YYYY".
    target: Option<Sha256>,
    /// "i", identity, "indicator", path: indicators add their name.
    indicator: Option<Sha256>,
}

fn has_targets(g: &Goal) -> bool {
    !g.targets.is_empty() || g.goals.iter().any(has_targets)
}

fn has_indicators(g: &Goal) -> bool {
    !g.indicators.is_empty() || g.goals.iter().any(has_indicators)
}

fn goal_ids(ids: &mut Ids, parent: &Chains, g: &mut Goal) {
    let k = key(&g.title);
    let chains = Chains {
        goal: extended(parent.goal.clone(), &k),
        target: parent
            .target
            .as_ref()
            .filter(|_| has_targets(g))
            .map(|h| extended(h.clone(), &k)),
        indicator: parent
            .indicator
            .as_ref()
            .filter(|_| has_indicators(g))
            .map(|h| extended(h.clone(), &k)),
    };
    g.id = ids.finish("g", chains.goal.clone());
    leaf_ids(ids, &chains, &mut g.targets, &mut g.indicators);
    for c in &mut g.goals {
        goal_ids(ids, &chains, c);
    }
}

fn leaf_ids(ids: &mut Ids, chains: &Chains, targets: &mut [Target], indicators: &mut [Indicator]) {
    for t in targets {
        let mut h = chains
            .target
            .clone()
            .expect("a target chain where targets are");
        // "tavoite YYYY" without building a String.
        let mut label = [0u8; 24];
        let len = {
            use std::io::Write;
            let mut cur = &mut label[..];
            write!(cur, "tavoite {}", t.year).expect("fits");
            24 - cur.len()
        };
        h.update([0x1f]);
        h.update(&label[..len]);
        t.id = ids.finish("t", h);
    }
    for i in indicators {
        let h = chains
            .indicator
            .clone()
            .expect("an indicator chain where indicators are");
        i.id = ids.finish("i", extended(h, &key(&i.name)));
    }
}

fn start(prefix: &str, identity: &str) -> Sha256 {
    let mut h = Sha256::new();
    h.update(prefix.as_bytes());
    h.update([0x1f]);
    h.update(identity.as_bytes());
    h
}

fn part(h: &mut Sha256, p: &str) {
    h.update([0x1f]);
    h.update(p.as_bytes());
}

fn extended(mut h: Sha256, p: &str) -> Sha256 {
    part(&mut h, p);
    h
}

/// An id's kind (its prefix) and the first six bytes of its digest.
type Key = (&'static str, [u8; 6]);

/// Ids given so far: how often each kind + digest came up (the n-th gets `-n`).
#[derive(Default)]
struct Ids {
    seen: HashMap<Key, u32, DigestHash>,
}

/// Hashes an id's [`Key`] cheaply: its digest bytes are SHA-256 output, already as
/// evenly spread as a hash can make them (and not chosen by the input's author without
/// grinding SHA-256), so the standard library's keyed SipHash buys nothing here; it
/// cost 3% of a seed conversion. Multiply-rotate per byte, as FxHash.
#[derive(Default, Clone, Copy)]
struct DigestHash;

impl std::hash::BuildHasher for DigestHash {
    type Hasher = DigestHasher;
    fn build_hasher(&self) -> DigestHasher {
        DigestHasher(0)
    }
}

struct DigestHasher(u64);

impl std::hash::Hasher for DigestHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl Ids {
    /// `path` holds keys (see [`key`]), computed once per node by the callers.
    fn make(&mut self, prefix: &'static str, identity: &str, path: &[&str]) -> String {
        let mut h = start(prefix, identity);
        for p in path {
            part(&mut h, p);
        }
        self.finish(prefix, h)
    }

    /// The id from a hash over prefix, identity and path: `prefix-<12 hex digits>`,
    /// with `-n` for the n-th node of the same kind and path.
    fn finish(&mut self, prefix: &'static str, h: Sha256) -> String {
        let digest = h.finalize();
        let mut short = [0u8; 6];
        short.copy_from_slice(&digest[..6]);
        let n = self.seen.entry((prefix, short)).or_insert(0);
        *n += 1;
        let mut id = String::with_capacity(prefix.len() + 16);
        id.push_str(prefix);
        id.push('-');
        push_hex(&mut id, &short);
        if *n > 1 {
            use std::fmt::Write;
            let _ = write!(id, "-{n}");
        }
        id
    }
}

/// The form of a title that ids are made from.
pub fn key(text: &str) -> String {
    // Collapsed first (white space has no case, so the order does not matter), then
    // lower-cased in place when only ASCII letters change: one string, not two.
    let mut key = crate::grammar::collapse(text);
    if ascii_case_only(&key) {
        key.make_ascii_lowercase();
    } else {
        key = lowercase(&key);
    }
    // Collapsed text has no white space at its start.
    let end = key
        .trim_end_matches(['.', ',', ':', ';', '!', '?'])
        .trim_end()
        .len();
    key.truncate(end);
    key
}

/// Whether lower-casing `text` changes no character but ASCII capitals.
fn ascii_case_only(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            // ASCII, continuation bytes and U+0080-U+00BF (as in `lowercase`).
            0..=0xc2 => i += 1,
            // U+00C0-U+00FF: the capitals are U+00C0-U+00DE but U+00D7.
            0xc3 => {
                if matches!(bytes.get(i + 1), Some(&c) if (0x80..=0x9e).contains(&c) && c != 0x97) {
                    return false;
                }
                i += 2;
            }
            _ => {
                let c = text[i..].chars().next().expect("a character starts here");
                let mut lower = c.to_lowercase();
                if !(lower.len() == 1 && lower.next() == Some(c)) {
                    return false;
                }
                i += c.len_utf8();
            }
        }
    }
    true
}

/// [`str::to_lowercase`], copying unchanged text in runs and lower-casing ASCII and
/// Latin-1 capitals (Ä, Ö, Å) by arithmetic: the general path looks every non-ASCII
/// character up in a table, and every title of the tree is lower-cased for its id.
fn lowercase(text: &str) -> String {
    // Only a capital sigma lower-cases by its context; leave it to the standard library.
    if text.contains('Σ') {
        return text.to_lowercase();
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    // Text between changed characters is copied in runs.
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (len, lower) = match b {
            b'A'..=b'Z' => (1, Some(char::from(b + 0x20))),
            0..=0x7f => (1, None),
            // U+00C0-U+00DE but U+00D7 (×): the capital's code point + 0x20.
            0xc3 => match bytes[i + 1] {
                c @ 0x80..=0x9e if c != 0x97 => (2, char::from_u32(0xe0 + u32::from(c - 0x80))),
                _ => (2, None),
            },
            // Continuation bytes and U+0080-U+00BF, which lower-case to themselves.
            0x80..=0xc2 => (1, None),
            _ => {
                let c = text[i..].chars().next().expect("a character starts here");
                let mut lower = c.to_lowercase();
                let same = lower.len() == 1 && lower.clone().next() == Some(c);
                if !same {
                    out.push_str(&text[run..i]);
                    out.extend(&mut lower);
                    run = i + c.len_utf8();
                }
                i += c.len_utf8();
                continue;
            }
        };
        if let Some(lower) = lower {
            out.push_str(&text[run..i]);
            out.push(lower);
            run = i + len;
        }
        i += len;
    }
    out.push_str(&text[run..]);
    out
}

/// SHA-256 of `bytes`, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(64);
    push_hex(&mut s, &Sha256::digest(bytes));
    s
}

fn push_hex(out: &mut String, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for &b in bytes {
        out.push(HEX[usize::from(b >> 4)] as char);
        out.push(HEX[usize::from(b & 15)] as char);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_hex_is_the_standard_digest() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    fn seed_agreements() -> Vec<Agreement> {
        let seed = include_bytes!("../fixtures/keha-tulossopimus-2026-2029.txt");
        let doc = crate::convert_bytes("seed", seed, &Default::default()).expect("converts");
        doc.agreements
    }

    fn all_ids(agreements: &[Agreement]) -> Vec<String> {
        let json = serde_json::to_value(agreements).expect("serializes");
        let mut out = Vec::new();
        fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
            match v {
                serde_json::Value::Object(o) => {
                    if let Some(serde_json::Value::String(id)) = o.get("id") {
                        out.push(id.clone());
                    }
                    o.values().for_each(|v| walk(v, out));
                }
                serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
                _ => {}
            }
        }
        walk(&json, &mut out);
        out
    }

    #[test]
    fn parallel_ids_are_the_ids_made_in_order() {
        let mut parallel = seed_agreements();
        assert!(parallel.len() > 1);
        let mut in_order = parallel.clone();
        assign_ids(&mut parallel);
        assign_in_order(&mut in_order);
        assert_eq!(all_ids(&parallel), all_ids(&in_order));
    }

    #[test]
    fn an_agreement_twice_gets_numbered_ids_the_second_time() {
        // One whose identity comes from its cover, not from its place in the file.
        let first = seed_agreements()
            .into_iter()
            .find(|a| a.ministry.is_some() || a.agency.is_some())
            .expect("an agreement with a cover");
        let mut twice = vec![first.clone(), first];
        assign_ids(&mut twice);
        let (a, b) = (all_ids(&twice[..1]), all_ids(&twice[1..]));
        assert!(!a.is_empty());
        assert_eq!(a.len(), b.len());
        for (a, b) in a.iter().zip(&b) {
            assert!(b.starts_with(a.as_str()) && b != a, "{a} then {b}");
        }
        let unique: std::collections::HashSet<&String> = a.iter().chain(&b).collect();
        assert_eq!(unique.len(), a.len() * 2);
    }

    #[test]
    fn lowercase_is_the_standard_library_s() {
        // Without the sigma, which takes the standard library's path.
        let all: String = (0..0x3000u32)
            .filter_map(char::from_u32)
            .filter(|&c| c != 'Σ')
            .collect();
        for text in [
            all.as_str(),
            "ÄÖÅ äöå ÆØ ÞÐ ×÷ ß",
            "ΟΔΟΣ ΣΑΣ",
            "İstanbul ǅ ẞ",
        ] {
            assert_eq!(lowercase(text), text.to_lowercase(), "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn key_is_the_collapsed_lower_case_title(
            text in "([A-Za-zÄÖÅäöå×ÞßΣσİǅẞ .,:\t\u{a0}]|\\PC){0,24}"
        ) {
            let mut want = crate::grammar::collapse(&text.to_lowercase());
            let end = want
                .trim_end_matches(['.', ',', ':', ';', '!', '?'])
                .trim_end()
                .len();
            want.truncate(end);
            proptest::prop_assert_eq!(key(&text), want);
        }
    }

    #[test]
    fn key_ignores_case_space_and_final_stop() {
        assert_eq!(
            key("  Siviilipalvelus  kehittyy. "),
            "siviilipalvelus kehittyy"
        );
        assert_eq!(
            key("Siviilipalvelus kehittyy"),
            key("SIVIILIPALVELUS kehittyy.")
        );
    }

    #[test]
    fn ids_are_deterministic_and_collisions_get_suffixes() {
        let mut ids = Ids::default();
        let a = ids.make("g", "x", &[&key("Linja"), &key("Tavoite")]);
        let b = ids.make("g", "x", &[&key("linja"), &key("tavoite.")]);
        let c = ids.make("g", "y", &[&key("Linja"), &key("Tavoite")]);
        assert_eq!(a.len(), 14);
        assert_eq!(b, format!("{a}-2"));
        let third = ids.make("g", "x", &["linja", "tavoite"]);
        assert_eq!(third, format!("{a}-3"));
        assert_ne!(a, c);
        let again = Ids::default().make("g", "x", &["linja", "tavoite"]);
        assert_eq!(a, again);
    }
}
