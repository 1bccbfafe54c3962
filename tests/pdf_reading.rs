//! PDFs that other readers read and tulossopimus refused before issue 17, one small file
//! per cause, each written here byte by byte (the `Pdf` builder below), and each read:
//! its text comes out. The causes were found by `tools/corpus/compare.py` over other
//! projects' test suites (`docs/pdf-corpora.md`); the fixes are in `src/pdf.rs` and the
//! vendored pdf-extract (`vendor/pdf-extract/PATCHES.md`, patches 11 to 15).

use tulossopimus::stages::pdf;

/// A classic PDF written object by object: object 1 is the catalog, 2 the page tree.
struct Pdf {
    objects: Vec<Vec<u8>>,
}

impl Pdf {
    fn new() -> Pdf {
        Pdf {
            objects: Vec::new(),
        }
    }

    /// Adds an object, returning its number.
    fn add(&mut self, body: impl AsRef<[u8]>) -> usize {
        self.objects.push(body.as_ref().to_vec());
        self.objects.len()
    }

    /// A stream object with `dict` entries (without `/Length`).
    fn stream(&mut self, dict: &str, data: &[u8]) -> usize {
        let mut body = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
        body.extend_from_slice(data);
        body.extend_from_slice(b"\nendstream");
        self.add(body)
    }

    /// The file: header, objects, cross-reference table, trailer.
    fn bytes(&self) -> Vec<u8> {
        let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
        let mut offsets = Vec::new();
        for (i, body) in self.objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        out.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f \n", self.objects.len() + 1).as_bytes(),
        );
        for o in offsets {
            out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                self.objects.len() + 1
            )
            .as_bytes(),
        );
        out
    }
}

/// A one-page document: `resources` and `content` for the page (objects 3 and 4 are
/// the page and its content; `more` adds objects from 5 on).
fn one_page(resources: &str, content: &[u8], more: impl FnOnce(&mut Pdf)) -> Vec<u8> {
    pages(&[(resources, content)], "/MediaBox [0 0 595 842]", more)
}

/// Pages (resources, content) under a tree with `tree` entries (inherited ones).
fn pages(list: &[(&str, &[u8])], tree: &str, more: impl FnOnce(&mut Pdf)) -> Vec<u8> {
    let mut pdf = Pdf::new();
    pdf.add("<< /Type /Catalog /Pages 2 0 R >>");
    let kids: Vec<String> = (0..list.len())
        .map(|i| format!("{} 0 R", 3 + 2 * i))
        .collect();
    pdf.add(format!(
        "<< /Type /Pages /Kids [{}] /Count {} {tree} >>",
        kids.join(" "),
        list.len()
    ));
    for (i, (resources, content)) in list.iter().enumerate() {
        pdf.add(format!(
            "<< /Type /Page /Parent 2 0 R /Resources << {resources} >> /Contents {} 0 R >>",
            4 + 2 * i
        ));
        pdf.stream("", content);
    }
    more(&mut pdf);
    pdf.bytes()
}

const HELVETICA: &str = "/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >> >>";

/// The text read from the PDF's pages (`pdf::read`), pages joined with a newline.
fn text(bytes: &[u8]) -> String {
    let read = pdf::read("t.pdf", bytes, None).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        read.unreadable_pages.is_empty(),
        "{:?}",
        read.unreadable_pages
    );
    read.pages
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

fn assert_reads(bytes: &[u8], words: &[&str]) {
    let got = text(bytes);
    for w in words {
        assert!(got.contains(w), "{w:?} not in {got:?}");
    }
}

#[test]
fn standard_and_unknown_encoding_names() {
    // StandardEncoding: 0x27 is quoteright (’), 0x60 quoteleft (‘).
    let font = "/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /StandardEncoding >> >>";
    assert_reads(
        &one_page(
            font,
            b"BT /F1 12 Tf 72 700 Td (Tavoite `2026' saavutettu) Tj ET",
            |_| {},
        ),
        &["Tavoite", "\u{2018}2026\u{2019}"],
    );
    // A name that is no encoding reads as StandardEncoding, as in poppler.
    let font = "/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /KeksittyEncoding >> >>";
    assert_reads(
        &one_page(font, b"BT /F1 12 Tf 72 700 Td (Tavoite 2027) Tj ET", |_| {}),
        &["Tavoite 2027"],
    );
}

#[test]
fn a_type1_font_without_encoding_has_standard_encoding() {
    let font = "/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Arvoton /FirstChar 32 /LastChar 126 >> >>";
    assert_reads(
        &one_page(font, b"BT /F1 12 Tf 72 700 Td (Sopimus's) Tj ET", |_| {}),
        &["Sopimus\u{2019}s"],
    );
}

#[test]
fn predefined_unicode_and_legacy_cmaps() {
    // UniJIS-UTF16-H: the codes are UTF-16.
    let font = |enc: &str| {
        format!(
            "/Font << /F1 << /Type /Font /Subtype /Type0 /BaseFont /MS-Mincho /Encoding /{enc} /DescendantFonts [5 0 R] >> >>"
        )
    };
    let cid = |pdf: &mut Pdf| {
        pdf.add("<< /Type /Font /Subtype /CIDFontType0 /BaseFont /MS-Mincho /CIDSystemInfo << /Registry (Adobe) /Ordering (Japan1) /Supplement 2 >> /DW 1000 >>");
    };
    assert_reads(
        &one_page(
            &font("UniJIS-UTF16-H"),
            b"BT /F1 12 Tf 72 700 Td <65e5672c8a9e0020004100420043> Tj ET",
            cid,
        ),
        &["日本語 ABC"],
    );
    // 90ms-RKSJ-H: Shift JIS bytes, one-byte ASCII among them.
    assert_reads(
        &one_page(
            &font("90ms-RKSJ-H"),
            b"BT /F1 12 Tf 72 700 Td <93fa967b8cea2041> Tj ET",
            cid,
        ),
        &["日本語 A"],
    );
}

#[test]
fn broken_font_dictionaries_read_by_their_tounicode() {
    let to_unicode = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n1 begincodespacerange <0000> <ffff> endcodespacerange\n1 beginbfrange <0001> <0003> <0041> endbfrange\nendcmap end end";
    // A Type0 font whose descendant is null, and one without /Encoding.
    for font in [
        "<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /DescendantFonts [null] /ToUnicode 5 0 R >>",
        "<< /Type /Font /Subtype /Type0 /BaseFont /X /DescendantFonts [6 0 R] /ToUnicode 5 0 R >>",
    ] {
        let bytes = one_page(
            &format!("/Font << /F1 {font} >>"),
            b"BT /F1 12 Tf 72 700 Td <000100020003> Tj ET",
            |pdf| {
                pdf.stream("", to_unicode);
                pdf.add("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /X >>");
            },
        );
        assert_reads(&bytes, &["ABC"]);
    }
    // A font name given as a string; a Type 3 font without /Encoding, /Widths or
    // /FirstChar, with a ToUnicode map.
    let font = "/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont (Helvetica) /Encoding /WinAnsiEncoding >> /F2 << /Type /Font /Subtype /Type3 /FontMatrix [0.001 0 0 0.001 0 0] /CharProcs << >> /ToUnicode 5 0 R >> >>";
    let simple_map =
        b"1 begincodespacerange <00> <ff> endcodespacerange\n1 beginbfchar <01> <0058> endbfchar";
    assert_reads(
        &one_page(
            font,
            b"BT /F1 12 Tf 72 700 Td (Mittari) Tj /F2 12 Tf (\\001) Tj ET",
            |pdf| {
                pdf.stream("", simple_map);
            },
        ),
        &["Mittari", "X"],
    );
}

#[test]
fn tounicode_maps_with_wrong_counts_and_glued_tokens() {
    // "1 beginbfchar" before three entries, words glued to numbers, a name with spaces.
    let map = b"/CMapName /Nimi jossa on valeja def 1 begincodespacerange<00><ff>endcodespacerange1 beginbfchar<01><0054><02><0061><03><0076>endbfchar";
    let font =
        "/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 5 0 R >> >>";
    assert_reads(
        &one_page(
            font,
            b"BT /F1 12 Tf 72 700 Td (\\001\\002\\003) Tj ET",
            |pdf| {
                pdf.stream("", map);
            },
        ),
        &["Tav"],
    );
}

#[test]
fn glyph_names_beyond_the_glyph_list() {
    // uniXXXX, uXXXX and suffixed names in /Differences, no ToUnicode.
    let font = "/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Differences [1 /uni00C4 /u00D6 /a.sc /T.alt] >> >> >>";
    assert_reads(
        &one_page(
            font,
            b"BT /F1 12 Tf 72 700 Td (\\004\\003\\001\\002) Tj ET",
            |_| {},
        ),
        &["TaÄÖ"],
    );
}

/// A CFF (Type 1C) program of two glyphs, A and B, whose built-in encoding gives them
/// codes 1 and 2: header, Name, Top DICT, String and Global Subr INDEXes, CharStrings
/// (`endchar` each), charset and encoding (format 0).
fn cff_ab() -> Vec<u8> {
    let int = |n: u32| [&[29u8][..], &n.to_be_bytes()].concat();
    let mut top = Vec::new();
    top.extend(int(47));
    top.push(15); // charset
    top.extend(int(52));
    top.push(16); // Encoding
    top.extend(int(37));
    top.push(17); // CharStrings
    let mut cff = vec![1, 0, 4, 1];
    cff.extend([0, 1, 1, 1, 2, b'F']);
    cff.extend([0, 1, 1, 1, 1 + top.len() as u8]);
    cff.extend(&top);
    cff.extend([0, 0, 0, 0]); // String and Global Subr INDEXes, empty
    assert_eq!(cff.len(), 37);
    cff.extend([0, 3, 1, 1, 2, 3, 4, 14, 14, 14]);
    cff.extend([0, 0, 34, 0, 35]); // charset: glyph 1 is SID 34 (A), 2 is 35 (B)
    cff.extend([0, 2, 1, 2]); // encoding: code 1 glyph 1, code 2 glyph 2
    cff
}

#[test]
fn differences_override_an_embedded_cff_programs_own_encoding() {
    let font = "/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /ABCDEF+Kaksi /FirstChar 1 /LastChar 2 /Widths [600 600] /Encoding << /Differences [1 /B /A] >> /FontDescriptor 5 0 R >> >>";
    let bytes = one_page(
        font,
        b"BT /F1 12 Tf 72 700 Td (\\001\\002\\001) Tj ET",
        |pdf| {
            pdf.add("<< /Type /FontDescriptor /FontName /ABCDEF+Kaksi /Flags 32 /FontBBox [0 0 600 700] /ItalicAngle 0 /Ascent 700 /Descent 0 /CapHeight 700 /StemV 80 /FontFile3 6 0 R >>");
            pdf.stream("/Subtype /Type1C", &cff_ab());
        },
    );
    // The program's own encoding would read "ABA".
    assert_reads(&bytes, &["BAB"]);
}

/// A TrueType program with only what its `cmap` needs: a table directory of one table,
/// and a format 4 subtable mapping 'A'..='Z' to glyphs 1..=26.
fn truetype_with_cmap() -> Vec<u8> {
    let mut sub = Vec::new();
    let seg = [
        (0x41u16, 0x5au16, 1i16.wrapping_sub(0x41)),
        (0xffff, 0xffff, 1),
    ];
    sub.extend_from_slice(&4u16.to_be_bytes());
    sub.extend_from_slice(&(16 + 8 * seg.len() as u16).to_be_bytes());
    sub.extend_from_slice(&0u16.to_be_bytes());
    sub.extend_from_slice(&(2 * seg.len() as u16).to_be_bytes());
    sub.extend_from_slice(&[0, 4, 0, 1, 0, 0]);
    for s in &seg {
        sub.extend_from_slice(&s.1.to_be_bytes());
    }
    sub.extend_from_slice(&0u16.to_be_bytes());
    for s in &seg {
        sub.extend_from_slice(&s.0.to_be_bytes());
    }
    for s in &seg {
        sub.extend_from_slice(&s.2.to_be_bytes());
    }
    for _ in &seg {
        sub.extend_from_slice(&0u16.to_be_bytes());
    }
    let mut cmap = vec![0, 0, 0, 1, 0, 3, 0, 1, 0, 0, 0, 12];
    cmap.extend_from_slice(&sub);
    let mut font = vec![0, 1, 0, 0, 0, 1, 0, 16, 0, 0, 0, 0];
    font.extend_from_slice(b"cmap");
    font.extend_from_slice(&0u32.to_be_bytes());
    font.extend_from_slice(&28u32.to_be_bytes());
    font.extend_from_slice(&(cmap.len() as u32).to_be_bytes());
    font.extend_from_slice(&cmap);
    font
}

#[test]
fn truetype_cid_font_without_tounicode_reads_by_its_cmap_table() {
    let font = "/Font << /F1 << /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+Fontti /Encoding /Identity-H /DescendantFonts [5 0 R] >> >>";
    let bytes = one_page(
        font,
        b"BT /F1 12 Tf 72 700 Td <0014000100160001> Tj ET",
        |pdf| {
            pdf.add("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+Fontti /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 6 0 R /DW 600 >>");
            pdf.add("<< /Type /FontDescriptor /FontName /ABCDEF+Fontti /Flags 32 /FontBBox [0 0 600 700] /ItalicAngle 0 /Ascent 700 /Descent 0 /CapHeight 700 /StemV 80 /FontFile2 7 0 R >>");
            pdf.stream("", &truetype_with_cmap());
        },
    );
    assert_reads(&bytes, &["TAVA"]);
}

#[test]
fn quote_operators_comments_and_missing_operands() {
    // `'` and `"` move to the next line and show; a comment after an operand and an
    // indented line after a comment; a Tj without its operand; a missing ExtGState.
    let content = b"BT /F1 12 Tf 14 TL 72 700 Td (Eka) Tj\n(Toka) '\n2 0 (Kolmas) \"\nTj\n/GS9 gs\n0 -14 % siirto\n   Td (Nelj\\344s) Tj ET";
    assert_reads(
        &one_page(HELVETICA, content, |_| {}),
        &["Eka", "Toka", "Kolmas", "Neljäs"],
    );
}

#[test]
fn a_font_set_by_a_graphics_state() {
    let resources = "/ExtGState << /G1 << /Type /ExtGState /Font [5 0 R 12] >> >>";
    assert_reads(
        &one_page(
            resources,
            b"BT /G1 gs 72 700 Td (Tulossopimus) Tj ET",
            |pdf| {
                pdf.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
            },
        ),
        &["Tulossopimus"],
    );
}

#[test]
fn abbreviated_indirect_and_empty_filters() {
    let text = b"BT /F1 12 Tf 72 700 Td (Suodatettu) Tj ET";
    let hex: String = text.iter().map(|b| format!("{b:02x}")).collect::<String>() + ">";
    let flate = {
        use std::io::Write;
        let mut z = flate2_like::Deflate::default();
        z.write_all(text).unwrap();
        z.finish()
    };
    for (dict, data) in [
        ("/Filter /AHx", hex.clone().into_bytes()),
        ("/Filter [/AHx]", hex.clone().into_bytes()),
        ("/Filter 9 0 R", hex.into_bytes()),
        ("/Filter /Fl", flate.clone()),
        ("/Filter []", text.to_vec()),
    ] {
        let mut pdf = Pdf::new();
        pdf.add("<< /Type /Catalog /Pages 2 0 R >>");
        pdf.add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
        pdf.add(format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << {HELVETICA} >> /Contents 4 0 R >>"));
        pdf.stream(dict, &data);
        for _ in 5..9 {
            pdf.add("null");
        }
        pdf.add("/ASCIIHexDecode");
        assert_reads(&pdf.bytes(), &["Suodatettu"]);
    }
}

/// A zlib stream of stored (uncompressed) deflate blocks: what `/FlateDecode` reads,
/// without a compression crate.
mod flate2_like {
    #[derive(Default)]
    pub struct Deflate(Vec<u8>);
    impl std::io::Write for Deflate {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    impl Deflate {
        pub fn finish(self) -> Vec<u8> {
            let data = self.0;
            let mut out = vec![0x78, 0x01];
            let len = data.len() as u16;
            out.push(1);
            out.extend_from_slice(&len.to_le_bytes());
            out.extend_from_slice(&(!len).to_le_bytes());
            out.extend_from_slice(&data);
            let (mut a, mut b) = (1u32, 0u32);
            for &x in &data {
                a = (a + u32::from(x)) % 65521;
                b = (b + a) % 65521;
            }
            out.extend_from_slice(&((b << 16) | a).to_be_bytes());
            out
        }
    }
}

#[test]
fn text_in_forms_and_annotation_appearances() {
    let form = b"BT /F1 12 Tf 0 0 Td (Lomakkeessa) Tj ET";
    let resources = format!("{HELVETICA} /XObject << /X1 5 0 R /Im1 6 0 R >>");
    let bytes = pages(
        &[(&resources, b"q 1 0 0 1 72 700 cm /X1 Do Q /Im1 Do")],
        "/MediaBox [0 0 595 842]",
        |pdf| {
            pdf.stream(
                &format!(
                    "/Type /XObject /Subtype /Form /BBox [0 0 200 20] /Resources << {HELVETICA} >>"
                ),
                form,
            );
            // An image XObject is not read as content.
            pdf.stream(
                "/Type /XObject /Subtype /Image /Width 1 /Height 1 /BitsPerComponent 8 /ColorSpace /DeviceGray",
                b"(Kuva) Tj",
            );
        },
    );
    let got = text(&bytes);
    assert!(
        got.contains("Lomakkeessa") && !got.contains("Kuva"),
        "{got}"
    );

    // A free-text annotation's appearance, and a hidden one that is not shown.
    let mut pdf = Pdf::new();
    pdf.add("<< /Type /Catalog /Pages 2 0 R >>");
    pdf.add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    pdf.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> /Contents 4 0 R /Annots [5 0 R 6 0 R] >>");
    pdf.stream("", b"");
    pdf.add("<< /Type /Annot /Subtype /FreeText /Rect [72 600 272 620] /AP << /N 7 0 R >> >>");
    pdf.add("<< /Type /Annot /Subtype /FreeText /F 2 /Rect [72 500 272 520] /AP << /N 8 0 R >> >>");
    pdf.stream(
        &format!("/Type /XObject /Subtype /Form /BBox [0 0 200 20] /Resources << {HELVETICA} >>"),
        b"BT /F1 12 Tf 2 5 Td (Huomautus) Tj ET",
    );
    pdf.stream(
        &format!("/Type /XObject /Subtype /Form /BBox [0 0 200 20] /Resources << {HELVETICA} >>"),
        b"BT /F1 12 Tf 2 5 Td (Piilotettu) Tj ET",
    );
    let got = text(&pdf.bytes());
    assert!(
        got.contains("Huomautus") && !got.contains("Piilotettu"),
        "{got}"
    );
}

#[test]
fn a_page_without_media_box_is_letter() {
    let bytes = pages(
        &[(HELVETICA, b"BT /F1 12 Tf 72 700 Td (Ilman) Tj ET")],
        "",
        |_| {},
    );
    assert_reads(&bytes, &["Ilman"]);
    let read = pdf::read("t.pdf", &bytes, None).expect("reads");
    assert_eq!(read.pages[0].media, [0.0, 0.0, 612.0, 792.0]);
}

#[test]
fn broken_cross_reference_tables_are_rebuilt_with_a_warning() {
    let good = one_page(
        HELVETICA,
        b"BT /F1 12 Tf 72 700 Td (Korjattu) Tj ET",
        |_| {},
    );
    let at = |b: &[u8], s: &[u8]| b.windows(s.len()).rposition(|w| w == s).expect("found");
    // A wrong startxref; junk before the header; white space before `xref` (every
    // offset off by some bytes); no xref table at all.
    let mut wrong_start = good.clone();
    let s = at(&wrong_start, b"startxref\n") + 10;
    wrong_start.splice(s..s + 1, b"9".iter().copied());
    let junk = [b"Roskaa ennen otsaketta\n".to_vec(), good.clone()].concat();
    let mut shifted = good.clone();
    let x = at(&shifted, b"1 0 obj");
    shifted.splice(x..x, b"\n\n\n\n".iter().copied());
    let mut no_table = good.clone();
    let x = at(&no_table, b"xref\n0 ");
    no_table.splice(x..x + 4, b"XXXX".iter().copied());
    // A stream whose /Length is wrong (as well as the table).
    let mut long = good.clone();
    let l = at(&long, b"/Length ") + 8;
    long.splice(l..l + 2, b"90".iter().copied());
    let x = at(&long, b"1 0 obj");
    long.splice(x..x, b" ".iter().copied());
    for (name, bytes) in [
        ("wrong startxref", wrong_start),
        ("junk", junk),
        ("shifted", shifted),
        ("no table", no_table),
        ("wrong length", long),
    ] {
        let read = pdf::read("t.pdf", &bytes, None).unwrap_or_else(|e| panic!("{name}: {e}"));
        let text: String = read.pages.iter().map(|p| p.text.as_str()).collect();
        assert!(text.contains("Korjattu"), "{name}: {text:?}");
        if name != "junk" {
            let how = read
                .repaired
                .unwrap_or_else(|| panic!("{name}: no warning"));
            assert!(how.contains("rebuilt"), "{how}");
        }
    }
    // A truncated file is still refused, named as such.
    let cut = &good[..good.len() * 2 / 3];
    let e = pdf::read("t.pdf", cut, None).unwrap_err();
    assert_eq!(e.code(), "pdf_damaged", "{e}");
    assert!(e.to_string().contains("truncated"), "{e}");
}

#[test]
fn only_attachments_encrypted_reads_without_a_password() {
    let good = one_page(
        HELVETICA,
        b"BT /F1 12 Tf 72 700 Td (Liitteet) Tj ET",
        |pdf| {
            pdf.add("<< /Filter /Standard /V 5 /R 6 /Length 256 /CF << /StdCF << /AuthEvent /EFOpen /CFM /AESV3 /Length 32 >> >> /EFF /StdCF /StmF /Identity /StrF /Identity /O <00> /U <00> /OE <00> /UE <00> /P -4 /Perms <00> >>");
        },
    );
    let s = good
        .windows(7)
        .rposition(|w| w == b"/Root 1")
        .expect("trailer");
    let bytes = [&good[..s], b"/Encrypt 5 0 R /ID [<00><00>] ", &good[s..]].concat();
    // The offsets of the table are those of `good`: the trailer comes after them.
    assert_reads(&bytes, &["Liitteet"]);
}

#[test]
fn aes_256_with_an_empty_user_password_opens_without_one() {
    use pdf_extract::encryption::crypt_filters::{Aes256CryptFilter, CryptFilter};
    use pdf_extract::encryption::{EncryptionState, EncryptionVersion, Permissions};
    use std::collections::BTreeMap;
    use std::sync::Arc;
    let plain = one_page(HELVETICA, b"BT /F1 12 Tf 72 700 Td (Salattu) Tj ET", |_| {});
    let mut doc = pdf_extract::Document::load_mem(&plain).expect("loads");
    let filter: Arc<dyn CryptFilter> = Arc::new(Aes256CryptFilter);
    let key = [7u8; 32];
    let version = EncryptionVersion::V5 {
        encrypt_metadata: true,
        crypt_filters: BTreeMap::from([(b"StdCF".to_vec(), filter)]),
        file_encryption_key: &key,
        stream_filter: b"StdCF".to_vec(),
        string_filter: b"StdCF".to_vec(),
        owner_password: "omistaja",
        user_password: "",
        permissions: Permissions::all(),
    };
    let state = EncryptionState::try_from(version).expect("state");
    doc.encrypt(&state).expect("encrypts");
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).expect("saves");
    let has = |s: &[u8]| bytes.windows(s.len()).any(|w| w == s);
    assert!(has(b"/Encrypt") && !has(b"Salattu"), "not encrypted");
    assert_reads(&bytes, &["Salattu"]);
}

/// A Type 1C font whose program is not CFF: pdf-extract cannot build it (a cause left
/// for this test: the page is unreadable, the others are read).
fn broken_cff(pdf: &mut Pdf) -> usize {
    let program = pdf.stream("/Subtype /Type1C", b"ei ole CFF-ohjelma");
    pdf.add(format!(
        "<< /Type /FontDescriptor /FontName /Rikki /Flags 32 /FontBBox [0 0 1 1] /ItalicAngle 0 /Ascent 1 /Descent 0 /CapHeight 1 /StemV 1 /FontFile3 {program} 0 R >>"
    ))
}

#[test]
fn an_unreadable_page_is_left_out_with_its_cause() {
    let bad =
        "/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Rikki /FontDescriptor 8 0 R >> >>";
    let bytes = pages(
        &[
            (HELVETICA, b"BT /F1 12 Tf 72 700 Td (Sivu yksi) Tj ET"),
            (bad, b"BT /F1 12 Tf 72 700 Td (Sivu kaksi) Tj ET"),
        ],
        "/MediaBox [0 0 595 842]",
        |pdf| {
            assert_eq!(broken_cff(pdf), 8);
        },
    );
    let read = pdf::read("t.pdf", &bytes, None).expect("one page reads");
    assert_eq!(read.pages.len(), 2);
    assert!(read.pages[0].text.contains("Sivu yksi"));
    assert!(read.pages[1].glyphs.is_empty());
    assert_eq!(read.unreadable_pages.len(), 1);
    assert_eq!(read.unreadable_pages[0].0, 2);
    assert!(
        read.unreadable_pages[0].1.contains("internal error"),
        "{:?}",
        read.unreadable_pages
    );

    // Every page unreadable: the document is refused, naming the first.
    let bad =
        "/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Rikki /FontDescriptor 6 0 R >> >>";
    let bytes = pages(
        &[(bad, b"BT /F1 12 Tf 72 700 Td (Sivu) Tj ET")],
        "/MediaBox [0 0 595 842]",
        |pdf| {
            assert_eq!(broken_cff(pdf), 6);
        },
    );
    let e = pdf::read("t.pdf", &bytes, None).unwrap_err();
    assert_eq!(e.code(), "pdf_damaged", "{e}");
    assert!(e.to_string().contains("page 1 of 1 cannot be read"), "{e}");
}

/// Lines shown in `/F1` (WinAnsi: Latin-1 but for the en dash), 30 points apart.
fn show(lines: &[&str]) -> Vec<u8> {
    let mut c = b"BT /F1 14 Tf 72 760 Td 30 TL ".to_vec();
    for l in lines {
        let bytes: Vec<u8> = l
            .chars()
            .map(|ch| if ch == '–' { 0x96 } else { ch as u32 as u8 })
            .collect();
        c.extend_from_slice(b"(");
        c.extend_from_slice(&bytes);
        c.extend_from_slice(b") Tj T* ");
    }
    c.extend_from_slice(b"ET");
    c
}

/// An agreement's cover and its first chapter, a page each.
fn cover_and_chapter() -> [Vec<u8>; 2] {
    [
        show(&[
            "Liikenne- ja viestintäministeriö ja Väylätietokeskus",
            "Ministeriön ja viraston välinen tulossopimus 2026–2029",
        ]),
        show(&[
            "1 Strategiset linjaukset",
            "Väylätietokeskus ylläpitää liikenneväylien tietovarantoja.",
        ]),
    ]
}

/// Converts a three-page agreement (the pages of [`cover_and_chapter`] first) and
/// returns the message of its one `page_unreadable` warning, which must name page 3.
fn page_3_left_out(bytes: &[u8]) -> String {
    let doc = tulossopimus::convert_bytes("t.pdf", bytes, &tulossopimus::Options::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        doc.agreements[0].title.as_deref(),
        Some("Ministeriön ja viraston välinen tulossopimus 2026–2029")
    );
    assert!(
        !doc.warnings.iter().any(|w| w.code == "unmapped_glyphs"),
        "{:#?}",
        doc.warnings
    );
    let w: Vec<_> = doc
        .warnings
        .iter()
        .filter(|w| w.code == "page_unreadable")
        .collect();
    assert_eq!(w.len(), 1, "{:#?}", doc.warnings);
    assert_eq!(w[0].page, Some(3));
    w[0].message.clone()
}

/// Through the whole conversion: an agreement whose third page cannot be read converts,
/// with a `page_unreadable` warning naming the page and its cause.
#[test]
fn an_agreement_with_an_unreadable_page_converts_with_a_warning() {
    let [cover, chapter] = cover_and_chapter();
    let bad =
        "/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Rikki /FontDescriptor 10 0 R >> >>";
    let bytes = pages(
        &[
            (HELVETICA, &cover),
            (HELVETICA, &chapter),
            (bad, b"BT /F1 12 Tf 72 700 Td (Sivu kolme) Tj ET"),
        ],
        "/MediaBox [0 0 595 842]",
        |pdf| {
            assert_eq!(broken_cff(pdf), 10);
        },
    );
    let message = page_3_left_out(&bytes);
    assert!(
        message.starts_with("page 3 of 3 cannot be read"),
        "{message}"
    );
}

/// A Type0 font over a TrueType CID font with no program, no ToUnicode and no
/// `/CIDToGIDMap`: its glyphs have no Unicode mapping (`/F2` in the resources this returns;
/// `descendant` is the number the CID font's object gets).
fn font_without_unicode(descendant: usize) -> String {
    format!(
        "/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >> \
         /F2 << /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+Tuntematon /Encoding /Identity-H \
         /DescendantFonts [{descendant} 0 R] >> >>"
    )
}

fn add_cid_font(pdf: &mut Pdf) -> usize {
    pdf.add(
        "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+Tuntematon \
         /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 600 >>",
    )
}

/// `n` two-byte codes in the font of [`font_without_unicode`], shown in one string.
fn unmapped_glyphs(n: usize) -> Vec<u8> {
    let mut c = b"BT /F2 12 Tf 72 650 Td <".to_vec();
    for i in 0..n {
        c.extend_from_slice(format!("{:04X}", 3 + i % 90).as_bytes());
    }
    c.extend_from_slice(b"> Tj ET");
    c
}

/// A page most of whose glyphs have no Unicode mapping is left out with its cause, like
/// a page that cannot be read at all; its glyphs do not count in the document's. Here
/// the garbled page holds most of the document's glyphs, which refused the whole file
/// before (`pdfjs/TAMReview.pdf`: 21 of its 23 pages in fonts without ToUnicode).
#[test]
fn a_garbled_page_is_left_out_with_its_cause() {
    let mut garbled = b"BT /F1 12 Tf 72 700 Td (Otsikko) Tj ET ".to_vec();
    garbled.extend_from_slice(&unmapped_glyphs(60));
    let resources = font_without_unicode(7);
    let bytes = pages(
        &[
            (HELVETICA, b"BT /F1 12 Tf 72 700 Td (Sivu yksi) Tj ET"),
            (&resources, &garbled),
        ],
        "/MediaBox [0 0 595 842]",
        |pdf| {
            assert_eq!(add_cid_font(pdf), 7);
        },
    );
    let read = pdf::read("t.pdf", &bytes, None).unwrap_or_else(|e| panic!("{e}"));
    assert!(read.pages[0].text.contains("Sivu yksi"));
    assert!(read.pages[1].glyphs.is_empty());
    assert_eq!(
        read.unreadable_pages,
        vec![(
            2,
            "its text is garbled: 60 of 67 glyphs have no Unicode mapping (fonts without ToUnicode)"
                .to_string()
        )]
    );
    assert_eq!(read.glyphs.unmapped, 0);
    assert!(read.unmapped_pages.is_empty());

    // A garbled page beside a blank one: no page shows text, the document is refused as
    // garbled with the figures of all its glyphs.
    let bytes = pages(
        &[(HELVETICA, b""), (&resources, &garbled)],
        "/MediaBox [0 0 595 842]",
        |pdf| {
            assert_eq!(add_cid_font(pdf), 7);
        },
    );
    let e = pdf::read("t.pdf", &bytes, None).unwrap_err();
    assert_eq!(e.code(), "pdf_garbled", "{e}");
    assert!(e.to_string().contains("60 of 67 characters"), "{e}");

    // A page less than half unmapped is read, its unmapped glyphs counted.
    let mut mixed = b"BT /F1 12 Tf 72 700 Td (Sivu kaksi on luettavissa) Tj ET ".to_vec();
    mixed.extend_from_slice(&unmapped_glyphs(5));
    let bytes = pages(&[(&resources, &mixed)], "/MediaBox [0 0 595 842]", |pdf| {
        assert_eq!(add_cid_font(pdf), 5);
    });
    let read = pdf::read("t.pdf", &bytes, None).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        read.unreadable_pages.is_empty(),
        "{:?}",
        read.unreadable_pages
    );
    assert_eq!(read.glyphs.unmapped, 5);
    assert_eq!(read.unmapped_pages, vec![1]);
}

/// Through the whole conversion: an agreement whose last page is garbled converts with
/// a `page_unreadable` warning naming the page; a file whose readable pages hold no
/// agreement is refused, naming the pages it could not read.
#[test]
fn garbled_pages_are_warned_and_named_in_a_refusal() {
    let [cover, chapter] = cover_and_chapter();
    let resources = font_without_unicode(9);
    let garbled = unmapped_glyphs(400);
    let bytes = pages(
        &[
            (&resources, &cover),
            (&resources, &chapter),
            (&resources, &garbled),
        ],
        "/MediaBox [0 0 595 842]",
        |pdf| {
            assert_eq!(add_cid_font(pdf), 9);
        },
    );
    assert_eq!(
        page_3_left_out(&bytes),
        "page 3 of 3 cannot be read and is left out: its text is garbled: 400 of 400 glyphs \
         have no Unicode mapping (fonts without ToUnicode)"
    );

    let bytes = pages(
        &[
            (&resources, &chapter),
            (&resources, &garbled),
            (&resources, &garbled),
        ],
        "/MediaBox [0 0 595 842]",
        |pdf| {
            assert_eq!(add_cid_font(pdf), 9);
        },
    );
    let e = tulossopimus::convert_bytes("t.pdf", &bytes, &tulossopimus::Options::default())
        .unwrap_err();
    assert_eq!(e.code(), "not_an_agreement", "{e}");
    assert!(
        e.to_string()
            .contains("page(s) 2–3 could not be read and were left out"),
        "{e}"
    );
}
