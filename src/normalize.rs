//! Stage 5: the agreement tree -> normalized model: stable ids.
//!
//! An id is a kind prefix and the first 12 hex digits of SHA-256 over the agreement's
//! identity and the node's normalized title path. The identity is ministry, agency and
//! scope from the cover (not the years, so next year's edition keeps its ids), or
//! `agreement-N` for the N-th agreement of a file without a cover. The title path is the
//! chain of titles from the strategic line down (targets add "Tavoite YYYY"); titles are
//! normalized (NFC, lower case, white space collapsed, closing punctuation dropped), so
//! adding siblings or fixing a full stop does not change an id. Two nodes with the same
//! path get `-2`, `-3`, ... in document order.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use crate::model::*;

/// Assigns every id of the document.
pub fn assign_ids(agreements: &mut [Agreement]) {
    let mut seen = HashMap::new();
    let mut ids = Ids { seen: &mut seen };
    for (n, a) in agreements.iter_mut().enumerate() {
        let identity = match (&a.ministry, &a.agency, &a.scope) {
            (None, None, None) => format!("agreement-{}", n + 1),
            (m, ag, s) => [m, ag, s]
                .iter()
                .map(|p| p.as_deref().map(key).unwrap_or_default())
                .collect::<Vec<_>>()
                .join("|"),
        };
        a.id = ids.make("a", &identity, &[]);
        let id = |ids: &mut Ids, prefix: &str, path: &[&str]| ids.make(prefix, &identity, path);
        let mut chapter_path: Vec<String> = Vec::new();
        for c in &mut a.chapters {
            chapter_path.truncate(c.level.saturating_sub(1) as usize);
            chapter_path.push(key(&c.title));
            let path: Vec<&str> = chapter_path.iter().map(String::as_str).collect();
            c.id = id(&mut ids, "c", &[&["chapter"], path.as_slice()].concat());
        }
        for g in &mut a.impact_goals {
            g.id = id(&mut ids, "ig", &["impact", &key(&g.text)]);
        }
        for sl in &mut a.strategic_lines {
            let path = vec![key(&sl.title)];
            sl.id = id(&mut ids, "sl", &[&path[0]]);
            for t in &mut sl.targets {
                t.id = target_id(&mut ids, &identity, &path, t.year);
            }
            for i in &mut sl.indicators {
                i.id = indicator_id(&mut ids, &identity, &path, &key(&i.name));
            }
            for g in &mut sl.goals {
                goal_ids(&mut ids, &identity, &path, g);
            }
        }
        for i in &mut a.resource_indicators {
            let group = key(i.group.as_deref().unwrap_or_default());
            i.id = id(&mut ids, "i", &["resources", &group, &key(&i.name)]);
        }
        for g in &mut a.monitoring_indicators {
            let group = key(g.group.as_deref().unwrap_or_default());
            for i in &mut g.indicators {
                i.id = id(&mut ids, "i", &["monitoring", &group, &key(&i.name)]);
            }
        }
    }
}

fn goal_ids(ids: &mut Ids, identity: &str, parent: &[String], g: &mut Goal) {
    let mut path = parent.to_vec();
    path.push(key(&g.title));
    let refs: Vec<&str> = path.iter().map(String::as_str).collect();
    g.id = ids.make("g", identity, &refs);
    for t in &mut g.targets {
        t.id = target_id(ids, identity, &path, t.year);
    }
    for i in &mut g.indicators {
        i.id = indicator_id(ids, identity, &path, &key(&i.name));
    }
    for c in &mut g.goals {
        goal_ids(ids, identity, &path, c);
    }
}

fn target_id(ids: &mut Ids, identity: &str, path: &[String], year: i32) -> String {
    let label = format!("tavoite {year}");
    let mut refs: Vec<&str> = path.iter().map(String::as_str).collect();
    refs.push(&label);
    ids.make("t", identity, &refs)
}

fn indicator_id(ids: &mut Ids, identity: &str, path: &[String], name: &str) -> String {
    let mut refs: Vec<&str> = vec!["indicator"];
    refs.extend(path.iter().map(String::as_str));
    refs.push(name);
    ids.make("i", identity, &refs)
}

struct Ids<'a> {
    /// Per base id, how many nodes have got it so far: the next duplicate's suffix is
    /// known at once (probing `-2`, `-3`, ... was quadratic in a title path repeated
    /// thousands of times). A suffixed id cannot equal another base, whose prefix has
    /// no `-`, so counting gives the same ids as probing.
    seen: &'a mut HashMap<String, u32>,
}

impl Ids<'_> {
    /// `path` holds keys (see [`key`]), computed once per node by the callers.
    fn make(&mut self, prefix: &str, identity: &str, path: &[&str]) -> String {
        let mut h = Sha256::new();
        h.update(prefix.as_bytes());
        h.update([0x1f]);
        h.update(identity.as_bytes());
        for p in path {
            h.update([0x1f]);
            h.update(p.as_bytes());
        }
        let digest = h.finalize();
        let mut base = String::with_capacity(prefix.len() + 13);
        base.push_str(prefix);
        base.push('-');
        push_hex(&mut base, &digest[..6]);
        let n = self.seen.entry(base.clone()).or_insert(0);
        *n += 1;
        match *n {
            1 => base,
            n => format!("{base}-{n}"),
        }
    }
}

/// The form of a title that ids are made from.
pub fn key(text: &str) -> String {
    let lower = text.to_lowercase();
    let collapsed = crate::grammar::collapse(&lower);
    collapsed
        .trim_end_matches(['.', ',', ':', ';', '!', '?'])
        .trim()
        .to_owned()
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
        let mut seen = HashMap::new();
        let mut ids = Ids { seen: &mut seen };
        let a = ids.make("g", "x", &[&key("Linja"), &key("Tavoite")]);
        let b = ids.make("g", "x", &[&key("linja"), &key("tavoite.")]);
        let c = ids.make("g", "y", &[&key("Linja"), &key("Tavoite")]);
        assert_eq!(a.len(), 14);
        assert_eq!(b, format!("{a}-2"));
        let third = ids.make("g", "x", &["linja", "tavoite"]);
        assert_eq!(third, format!("{a}-3"));
        assert_ne!(a, c);
        let mut seen2 = HashMap::new();
        let again = Ids { seen: &mut seen2 }.make("g", "x", &["linja", "tavoite"]);
        assert_eq!(a, again);
    }
}
