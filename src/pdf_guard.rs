//! Refuses, before extraction, the PDF structures that make pdf-extract recurse without
//! bound. Its recursion overflows the stack, and a stack overflow aborts the process:
//! no `catch_unwind` ([`crate::contain::contained`]) survives it. Two such structures:
//!
//! - Form XObjects that draw each other in a cycle (a form whose content says `/Fm0 Do`
//!   with `/Fm0` resolving to itself, directly or through other forms), or nested deeper
//!   than [`MAX_FORM_DEPTH`]: pdf-extract's `Do` calls `process_stream` recursively.
//! - A page whose `/Parent` links form a cycle or a chain longer than
//!   [`MAX_PARENT_DEPTH`]: pdf-extract looks up inherited `Resources` and `MediaBox`
//!   recursively along them.
//!
//! The walk follows pdf-extract's own resolution: a form draws with its own `/Resources`
//! or, without them, with those of whoever drew it, so a state is a (form, resources)
//! pair, and a state met again on the way down is exactly the endless recursion. Form
//! content is decoded with lopdf (as pdf-extract does) to see which names it draws; a
//! page's content is not: every form its resources offer is checked, drawn or not,
//! which costs nothing for the usual handful of forms and refuses only files whose
//! resources hold such a cycle. Running PDF extraction in a child process (issue 5,
//! worker isolation) stays the last line of defence for what this walk does not know.

use std::collections::{HashMap, HashSet};

use pdf_extract::{Dictionary, Document, Object, ObjectId, Stream};

use crate::contain::contained;

/// Deepest nesting of Form XObjects accepted (drawing, from a page, a form that draws a
/// form ...). Real documents nest a few levels; each level is one pdf-extract stack
/// frame of several kilobytes.
pub const MAX_FORM_DEPTH: usize = 32;

/// Longest `/Parent` chain from a page accepted; lopdf itself stops walking the page
/// tree down at 256 levels.
pub const MAX_PARENT_DEPTH: usize = 256;

/// `Err` with what is wrong (for a `pdf_damaged` error) when extraction would recurse
/// without bound.
pub fn check(doc: &Document) -> Result<(), String> {
    let pages =
        contained(|| doc.get_pages()).map_err(|why| format!("cannot list the pages: {why}"))?;
    let mut forms = Forms {
        doc,
        done: HashMap::new(),
        path: HashSet::new(),
    };
    for (&number, &page) in &pages {
        let Some(resources) =
            page_resources(doc, page).map_err(|why| format!("page {number}: {why}"))?
        else {
            continue;
        };
        forms
            .offered(resources, 1)
            .map_err(|why| format!("page {number}: {why}"))?;
    }
    Ok(())
}

/// The page's resources as pdf-extract finds them: the first `/Resources` dictionary on
/// the way up the `/Parent` links (checked for cycles and length on the way).
fn page_resources(doc: &Document, page: ObjectId) -> Result<Option<&Dictionary>, String> {
    let mut seen = HashSet::new();
    let mut found = None;
    let mut id = page;
    loop {
        if !seen.insert(id) {
            return Err(format!(
                "the page tree's /Parent links form a cycle (object {} {})",
                id.0, id.1
            ));
        }
        if seen.len() > MAX_PARENT_DEPTH {
            return Err(format!(
                "the page tree is more than {MAX_PARENT_DEPTH} levels deep"
            ));
        }
        let Ok(dict) = doc.get_dictionary(id) else {
            return Ok(found);
        };
        if found.is_none() {
            found = dict
                .get(b"Resources")
                .ok()
                .and_then(|o| deref(doc, o).as_dict().ok());
        }
        // The whole chain is walked even once the resources are found: pdf-extract
        // looks up `MediaBox` along it too.
        match dict.get(b"Parent").and_then(Object::as_reference) {
            Ok(parent) => id = parent,
            Err(_) => return Ok(found),
        }
    }
}

/// One reference followed, as pdf-extract's `maybe_deref` does (lopdf's `get_object`
/// itself follows chains of references, up to its own limit).
fn deref<'a>(doc: &'a Document, object: &'a Object) -> &'a Object {
    match object {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(object),
        _ => object,
    }
}

/// Identity of a form drawn with some resources: the addresses of both inside the
/// document (stable while it is borrowed; a direct stream has no object id).
type State = (*const Stream, *const Dictionary);

struct Forms<'a> {
    doc: &'a Document,
    /// States fully walked, with the depth of nesting below them.
    done: HashMap<State, usize>,
    /// States on the way down to the current one.
    path: HashSet<State>,
}

impl<'a> Forms<'a> {
    /// Every XObject that `resources` offer, drawn at nesting `depth`; the deepest
    /// nesting below them.
    fn offered(&mut self, resources: &'a Dictionary, depth: usize) -> Result<usize, String> {
        let Some(xobjects) = self.xobjects(resources) else {
            return Ok(0);
        };
        let mut deepest = 0;
        for (_, object) in xobjects.iter() {
            deepest = deepest.max(self.form(object, resources, depth)?);
        }
        Ok(deepest)
    }

    fn xobjects(&self, resources: &'a Dictionary) -> Option<&'a Dictionary> {
        let o = resources.get(b"XObject").ok()?;
        deref(self.doc, o).as_dict().ok()
    }

    /// The XObject `object` drawn with `inherited` resources at nesting `depth`; the
    /// nesting at and below it.
    fn form(
        &mut self,
        object: &'a Object,
        inherited: &'a Dictionary,
        depth: usize,
    ) -> Result<usize, String> {
        let Ok(stream) = deref(self.doc, object).as_stream() else {
            return Ok(0);
        };
        let name = match object {
            Object::Reference(id) => format!("object {} {}", id.0, id.1),
            _ => "a direct stream".into(),
        };
        let resources = stream
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|o| deref(self.doc, o).as_dict().ok())
            .unwrap_or(inherited);
        let state: State = (stream as *const Stream, resources as *const Dictionary);
        if self.path.contains(&state) {
            return Err(format!(
                "a Form XObject draws itself ({name}): extraction would never end"
            ));
        }
        if let Some(&below) = self.done.get(&state) {
            return self.within(depth + below, &name).map(|_| below + 1);
        }
        self.within(depth, &name)?;
        self.path.insert(state);
        let mut below = 0;
        if let Some(xobjects) = self.xobjects(resources) {
            for drawn in drawn_names(stream) {
                if let Ok(child) = xobjects.get(&drawn) {
                    below = below.max(self.form(child, resources, depth + 1)?);
                }
            }
        }
        self.path.remove(&state);
        self.done.insert(state, below);
        Ok(below + 1)
    }

    fn within(&self, depth: usize, name: &str) -> Result<(), String> {
        if depth > MAX_FORM_DEPTH {
            return Err(format!(
                "Form XObjects nested more than {MAX_FORM_DEPTH} deep ({name})"
            ));
        }
        Ok(())
    }
}

/// The names a form's content draws with `Do`, decoded as pdf-extract decodes it (a
/// content that does not decode makes pdf-extract fail, not recurse: no names).
fn drawn_names(stream: &Stream) -> Vec<Vec<u8>> {
    let decoded = contained(|| {
        let bytes = if stream.filters().is_ok() {
            stream
                .decompressed_content()
                .unwrap_or_else(|_| stream.content.clone())
        } else {
            stream.content.clone()
        };
        crate::content::decode(&bytes)
    });
    let Ok(Some(content)) = decoded else {
        return Vec::new();
    };
    let mut names: Vec<Vec<u8>> = content
        .operations
        .iter()
        .filter(|op| op.operator == "Do")
        .filter_map(|op| op.operands.first()?.as_name().ok().map(<[u8]>::to_vec))
        .collect();
    names.sort();
    names.dedup();
    names
}
