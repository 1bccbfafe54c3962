//! PDFs that would make pdf-extract recurse without end (a stack overflow aborts the
//! whole process, tests included) are refused as `pdf_damaged` before extraction, and
//! ordinary nested forms still read.

use pdf_extract::{dictionary, Document, Object, ObjectId, Stream};
use tulossopimus::stages::pdf;
use tulossopimus::ErrorKind;

/// A one-page PDF built with lopdf: forms first ([`Pdf::form`]), then the page
/// ([`Pdf::bytes`]), whose resources offer Helvetica as `/F1` and the given XObjects.
struct Pdf {
    doc: Document,
    font: ObjectId,
    pages: ObjectId,
    page: ObjectId,
}

impl Pdf {
    fn new() -> Pdf {
        let mut doc = Document::with_version("1.5");
        let font = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        });
        let pages = doc.new_object_id();
        let page = doc.new_object_id();
        Pdf {
            doc,
            font,
            pages,
            page,
        }
    }

    /// A form whose content is `content`; its own resources name `xobjects` (and the
    /// font) when `own_resources`, else it draws with whoever's resources draw it.
    fn form(&mut self, id: ObjectId, content: &str, xobjects: &[(&str, ObjectId)], own: bool) {
        let mut dict = dictionary! {
            "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 600.into(), 800.into()],
        };
        if own {
            dict.set("Resources", self.resources(xobjects));
        }
        self.doc.objects.insert(
            id,
            Object::Stream(Stream::new(dict, content.as_bytes().to_vec())),
        );
    }

    fn resources(&self, xobjects: &[(&str, ObjectId)]) -> pdf_extract::Dictionary {
        let mut x = pdf_extract::Dictionary::new();
        for (name, id) in xobjects {
            x.set(*name, *id);
        }
        dictionary! { "Font" => dictionary! { "F1" => self.font }, "XObject" => x }
    }

    /// The finished file; the page's `/Parent` is `parent` (normally the page tree).
    fn bytes(
        mut self,
        content: &str,
        xobjects: &[(&str, ObjectId)],
        parent: ObjectId,
        media_box: bool,
    ) -> Vec<u8> {
        let contents = self
            .doc
            .add_object(Stream::new(dictionary! {}, content.as_bytes().to_vec()));
        let mut page = dictionary! {
            "Type" => "Page", "Parent" => parent, "Contents" => contents,
            "Resources" => self.resources(xobjects),
        };
        if media_box {
            page.set("MediaBox", vec![0.into(), 0.into(), 600.into(), 800.into()]);
        }
        self.doc.objects.insert(self.page, page.into());
        self.doc.objects.insert(
            self.pages,
            dictionary! { "Type" => "Pages", "Kids" => vec![self.page.into()], "Count" => 1 }
                .into(),
        );
        let catalog = self
            .doc
            .add_object(dictionary! { "Type" => "Catalog", "Pages" => self.pages });
        self.doc.trailer.set("Root", catalog);
        let mut out = Vec::new();
        self.doc.save_to(&mut out).expect("writes");
        out
    }
}

const TEXT: &str = "BT /F1 12 Tf 72 700 Td (Tavoite 2026 luettavissa) Tj ET";

fn damaged(bytes: &[u8]) -> String {
    match pdf::extract("x.pdf", bytes, None) {
        Err(e) if matches!(e.kind(), ErrorKind::PdfDamaged { .. }) => e.to_string(),
        other => panic!("expected pdf_damaged, got {other:?}"),
    }
}

#[test]
fn a_form_that_draws_itself_is_refused() {
    let mut p = Pdf::new();
    let fm = p.doc.new_object_id();
    p.form(fm, &format!("{TEXT} /Fm0 Do"), &[("Fm0", fm)], true);
    let pages = p.pages;
    let bytes = p.bytes("/Fm0 Do", &[("Fm0", fm)], pages, true);
    let e = damaged(&bytes);
    assert!(e.contains("draws itself"), "{e}");
}

/// Two forms without resources of their own draw each other through the page's
/// resources: the cycle exists only in pdf-extract's inheritance of resources.
#[test]
fn forms_drawing_each_other_through_inherited_resources_are_refused() {
    let mut p = Pdf::new();
    let (a, b) = (p.doc.new_object_id(), p.doc.new_object_id());
    p.form(a, "/B Do", &[], false);
    p.form(b, &format!("{TEXT} /A Do"), &[], false);
    let pages = p.pages;
    let bytes = p.bytes("/A Do", &[("A", a), ("B", b)], pages, true);
    let e = damaged(&bytes);
    assert!(e.contains("draws itself"), "{e}");
}

/// A chain of 1,000 distinct forms: no cycle, but pdf-extract overflows a 2 MiB thread
/// stack on it (a debug build overflows between 200 and 1,000 levels).
#[test]
fn forms_nested_too_deep_are_refused() {
    let mut p = Pdf::new();
    let ids: Vec<ObjectId> = (0..1000).map(|_| p.doc.new_object_id()).collect();
    for (i, &id) in ids.iter().enumerate() {
        match ids.get(i + 1) {
            Some(&next) => p.form(id, "/N Do", &[("N", next)], true),
            None => p.form(id, TEXT, &[], true),
        }
    }
    let pages = p.pages;
    let bytes = p.bytes("/N Do", &[("N", ids[0])], pages, true);
    let e = damaged(&bytes);
    assert!(e.contains("nested more than 32"), "{e}");
}

/// The common case the guard must let through: forms without resources of their own,
/// offered by the page's resources together with themselves, nested a few levels.
#[test]
fn ordinary_nested_forms_still_read() {
    let mut p = Pdf::new();
    let (outer, inner) = (p.doc.new_object_id(), p.doc.new_object_id());
    p.form(outer, "q /Inner Do Q", &[], false);
    p.form(inner, TEXT, &[], false);
    let pages = p.pages;
    let bytes = p.bytes(
        "/Outer Do /Inner Do",
        &[("Outer", outer), ("Inner", inner)],
        pages,
        true,
    );
    let out = pdf::extract("x.pdf", &bytes, None).expect("reads");
    assert_eq!(out.pages.len(), 1);
    assert_eq!(
        out.pages[0].matches("Tavoite 2026 luettavissa").count(),
        2,
        "{:?}",
        out.pages
    );
}

/// pdf-extract looks up a missing MediaBox along the /Parent links, recursively.
#[test]
fn a_page_that_is_its_own_parent_is_refused() {
    let p = Pdf::new();
    let page = p.page;
    let bytes = p.bytes(TEXT, &[], page, false);
    let e = damaged(&bytes);
    assert!(e.contains("/Parent links form a cycle"), "{e}");
}
