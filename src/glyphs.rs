//! PDF stage 1: a page's glyphs with their geometry and font.
//!
//! pdf-extract interprets the content stream and hands every glyph to an output device;
//! [`GlyphDevice`] keeps, per glyph, the origin, the effective size (robust to rotation),
//! the advance, the writing direction, the string it came from and its font: the
//! vendored pdf-extract names the font in force with every string shown
//! (`OutputDev::begin_word_in`, its patch 15), from which the device tells the weight and
//! slant. A leaf of the PDF modules: it knows pdf-extract, not how a document is read.

use pdf_extract::content::Content;
use pdf_extract::Transform;
use pdf_extract::{ColorSpace, Path, PathOp};
use pdf_extract::{FontInfo, MediaBox, Object, OutputDev, OutputError};

/// What the glyphs of a document decoded to, for telling "no text" and "garbled" apart.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GlyphCount {
    /// Characters shown (every glyph the extractor reported, mapped or not).
    pub glyphs: usize,
    /// Glyphs that decoded to nothing, or only to NUL, control or replacement characters.
    pub unmapped: usize,
}

impl GlyphCount {
    pub(crate) fn add(&mut self, other: GlyphCount) {
        self.glyphs += other.glyphs;
        self.unmapped += other.unmapped;
    }
}

/// Whether a glyph's decoded text carries no readable character.
pub fn is_unmapped(glyph: &str) -> bool {
    glyph.is_empty()
        || glyph
            .chars()
            .all(|c| c == '\u{FFFD}' || (c.is_control() && !matches!(c, '\n' | '\t')))
}

/// One glyph as placed on the page, in PDF points (origin bottom left).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Glyph {
    /// Origin of the glyph (left end of its baseline).
    pub x: f32,
    pub y: f32,
    /// Effective font size: the text size scaled by the text and page matrices.
    pub size: f32,
    /// Advance along the writing direction, in points.
    pub advance: f32,
    /// Writing direction in whole degrees, counter-clockwise; 0 is ordinary text.
    pub angle: i16,
    /// Index into [`Page::fonts`]; 0 is the unnamed font (of a page synthesized from a
    /// dump, or a font dictionary without a name).
    pub font: u16,
    /// Which string shown on the page (`Tj` or `TJ` element) the glyph came from.
    pub word: u32,
    /// The glyph's text: `Page::text[start..start + len]`.
    pub start: u32,
    pub len: u16,
}

/// An area painted with a colour other than white: a shaded table cell, a coloured band.
/// Thin fills (table rules drawn as rectangles) are left out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fill {
    /// Left, bottom, right, top in points.
    pub bbox: [f32; 4],
    /// Luminance, 0 (black) to 255 (white).
    pub shade: u8,
}

/// A font used on a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Font {
    /// BaseFont without the subset prefix ("ABCDEF+").
    pub name: String,
    pub bold: bool,
    /// An italic or oblique face.
    pub italic: bool,
}

/// The glyphs of one page.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// 1-based page number.
    pub number: u32,
    /// Media box: x0, y0, x1, y1.
    pub media: [f32; 4],
    pub glyphs: Vec<Glyph>,
    /// Text of all glyphs, one after another.
    pub text: String,
    /// Fonts by index, one per name; `fonts[0]` is the unnamed regular font.
    pub fonts: Vec<Font>,
    /// Glyphs reported, and those without a Unicode mapping (not in `glyphs`).
    pub count: GlyphCount,
    /// The glyphs carry the fonts they were shown in: true for a page read from a PDF,
    /// false for one synthesized from a text dump (every glyph in font 0).
    pub fonts_known: bool,
    /// Painted areas in drawing order (a later one lies on top).
    pub fills: Vec<Fill>,
}

impl Page {
    /// A page with no glyphs yet, one unnamed regular font and no fonts known.
    pub fn empty(number: u32, media: [f32; 4]) -> Page {
        Page {
            number,
            media,
            glyphs: Vec::new(),
            text: String::new(),
            fonts: vec![Font {
                name: String::new(),
                bold: false,
                italic: false,
            }],
            count: Default::default(),
            fonts_known: false,
            fills: Vec::new(),
        }
    }

    /// The text of a glyph.
    pub fn char(&self, g: &Glyph) -> &str {
        &self.text[g.start as usize..g.start as usize + g.len as usize]
    }

    /// The font of a glyph.
    pub fn font(&self, g: &Glyph) -> &Font {
        &self.fonts[g.font as usize]
    }
}

/// Collects a page's glyphs (see the module comment).
pub struct GlyphDevice {
    page: Page,
    word: u32,
    /// The font of the string being shown, an index into `page.fonts`.
    font: u16,
    /// What pdf-extract said of that font: nearly every string is in the font of the
    /// one before, which this recognizes without reading the name again.
    last: Option<FontInfo>,
}

impl GlyphDevice {
    /// A device for page `number`.
    pub fn new(number: u32) -> GlyphDevice {
        let mut page = Page::empty(number, [0.0, 0.0, 612.0, 792.0]);
        page.fonts_known = true;
        GlyphDevice {
            page,
            word: 0,
            font: 0,
            last: None,
        }
    }

    /// A device for page `number` whose `content` will be shown: room for its glyphs
    /// is made up front ([`shown_bytes`], at least one byte per glyph). Growing the
    /// vectors glyph by glyph copied them several times over and touched twice the
    /// memory, which a fresh process pays for in page faults.
    pub fn for_content(number: u32, content: Option<&Content>) -> GlyphDevice {
        let mut device = GlyphDevice::new(number);
        // Capped: past a million glyphs (32 MB) a page grows as it goes, so that a huge
        // string shown in a two-byte font does not reserve twice what it needs up front.
        let bytes = content.map_or(0, shown_bytes).min(1 << 20);
        device.page.glyphs.reserve(bytes);
        device.page.text.reserve(bytes + bytes / 4);
        device
    }

    /// The page read.
    pub fn finish(self) -> Page {
        self.page
    }

    /// The index of `info`'s face in the page's font table, added when new. Fonts are
    /// one per name (without the subset tag): two subsets of one face are one font, and
    /// the first one met gives its weight and slant.
    fn font_index(&mut self, info: &FontInfo) -> u16 {
        let named = |n: &[u8]| String::from_utf8_lossy(n).into_owned();
        let base = info
            .base_font
            .as_deref()
            .map_or_else(|| named(&info.resource_name), named);
        let name = match base.split_once('+') {
            Some((tag, rest)) if tag.len() == 6 => rest.to_owned(),
            _ => base,
        };
        let fonts = &mut self.page.fonts;
        if let Some(i) = fonts.iter().position(|f| f.name == name) {
            return i as u16;
        }
        let bold = info.weight.is_some_and(|w| w >= 600.0) || bold_name(&name);
        let slanted = info.italic_angle.unwrap_or(0.0).abs() >= 1.0
            || info.flags.unwrap_or(0) & (1 << 6) != 0;
        let italic = italic_name(&name) || slanted;
        fonts.push(Font { name, bold, italic });
        (fonts.len() - 1).min(u16::MAX as usize) as u16
    }
}

impl OutputDev for GlyphDevice {
    fn begin_page(
        &mut self,
        _page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.page.media = [
            media_box.llx as f32,
            media_box.lly as f32,
            media_box.urx as f32,
            media_box.ury as f32,
        ];
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        self.page.count.glyphs += 1;
        if is_unmapped(char) {
            self.page.count.unmapped += 1;
            return Ok(());
        }
        // The text rendering matrix without the font size: its determinant scales areas,
        // so the square root scales lengths whatever the rotation or mirroring.
        let det = trm.m11 * trm.m22 - trm.m12 * trm.m21;
        let size = (font_size.abs() * det.abs().sqrt()) as f32;
        // Upright text (nearly every glyph) without the trigonometry: there hypot is |m11|
        // and atan2 is ±0 degrees, exactly.
        let upright = trm.m12 == 0.0 && trm.m11 > 0.0;
        let along = if upright {
            trm.m11
        } else {
            trm.m11.hypot(trm.m12)
        };
        let advance = (width * font_size.abs() * along) as f32;
        let angle = if upright {
            0
        } else {
            let degrees = trm.m12.atan2(trm.m11).to_degrees();
            if degrees.is_finite() {
                (degrees.round() as i16).rem_euclid(360)
            } else {
                0
            }
        };
        let (x, y) = (trm.m31 as f32, trm.m32 as f32);
        if !(size.is_finite() && size > 0.0 && x.is_finite() && y.is_finite()) {
            // Placed nowhere (a degenerate matrix): the text is still kept, at the
            // previous glyph, so nothing is lost silently.
            let (x, y, size) = self
                .page
                .glyphs
                .last()
                .map_or((0.0, 0.0, 1.0), |g| (g.x + g.advance, g.y, g.size));
            return self.push(x, y, size, 0.0, 0, char);
        }
        let advance = if advance.is_finite() && advance >= 0.0 {
            advance
        } else {
            0.0
        };
        self.push(x, y, size, advance, angle, char)
    }
    fn begin_word(&mut self) -> Result<(), OutputError> {
        self.begin_word_in(None)
    }
    fn begin_word_in(&mut self, font: Option<&FontInfo>) -> Result<(), OutputError> {
        self.word += 1;
        // Without a font pdf-extract shows no characters; font 0 stands in regardless.
        self.font = match font {
            Some(f) if self.last.as_ref() == Some(f) => self.font,
            Some(f) => {
                self.last = Some(f.clone());
                self.font_index(f)
            }
            None => {
                self.last = None;
                0
            }
        };
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn fill(
        &mut self,
        ctm: &Transform,
        colorspace: &ColorSpace,
        color: &[f64],
        path: &Path,
    ) -> Result<(), OutputError> {
        if let (Some(bbox), Some(shade)) = (path_box(ctm, path), shade(colorspace, color)) {
            // Thinner than 2 pt is a rule, not a shaded area; near white is no shading.
            if bbox[2] - bbox[0] >= 2.0 && bbox[3] - bbox[1] >= 2.0 && shade < 250 {
                self.page.fills.push(Fill { bbox, shade });
            }
        }
        Ok(())
    }
}

/// The bounding box of a path's points in page space.
fn path_box(ctm: &Transform, path: &Path) -> Option<[f32; 4]> {
    let mut b = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    let mut add = |x: f64, y: f64| {
        // Row vectors, as pdf-extract's matrices: [x y 1] × ctm.
        let (px, py) = (
            ctm.m11 * x + ctm.m21 * y + ctm.m31,
            ctm.m12 * x + ctm.m22 * y + ctm.m32,
        );
        b = [b[0].min(px), b[1].min(py), b[2].max(px), b[3].max(py)];
    };
    for op in &path.ops {
        match *op {
            PathOp::MoveTo(x, y) | PathOp::LineTo(x, y) => add(x, y),
            PathOp::CurveTo(_, _, _, _, x, y) => add(x, y),
            PathOp::Rect(x, y, w, h) => {
                add(x, y);
                add(x + w, y + h);
            }
            PathOp::Close => {}
        }
    }
    let b = b.map(|v| v as f32);
    b.iter().all(|v| v.is_finite()).then_some(b)
}

/// A device colour's luminance (0-255); other colour spaces are not read.
fn shade(colorspace: &ColorSpace, color: &[f64]) -> Option<u8> {
    let c = |i: usize| color.get(i).copied().unwrap_or(0.0).clamp(0.0, 1.0);
    let y = match (colorspace, color.len()) {
        (ColorSpace::DeviceGray | ColorSpace::CalGray(_), 1) => c(0),
        (ColorSpace::DeviceRGB | ColorSpace::CalRGB(_), 3) => {
            0.299 * c(0) + 0.587 * c(1) + 0.114 * c(2)
        }
        (ColorSpace::DeviceCMYK, 4) => {
            let k = 1.0 - c(3);
            (0.299 * (1.0 - c(0)) + 0.587 * (1.0 - c(1)) + 0.114 * (1.0 - c(2))) * k
        }
        // ICC-based colours give their component count, not the space: read like the
        // device space with that many components.
        (ColorSpace::ICCBased(_), 1) => c(0),
        (ColorSpace::ICCBased(_), 3) => 0.299 * c(0) + 0.587 * c(1) + 0.114 * c(2),
        _ => return None,
    };
    Some((y * 255.0).round() as u8)
}

impl GlyphDevice {
    fn push(
        &mut self,
        x: f32,
        y: f32,
        size: f32,
        advance: f32,
        angle: i16,
        char: &str,
    ) -> Result<(), OutputError> {
        let text = &mut self.page.text;
        let start = text.len() as u32;
        let special = |c: char| c.is_control() || ('\u{FB00}'..='\u{FB06}').contains(&c);
        if char.chars().any(special) {
            // Control characters other than the mapped ones carry nothing to read.
            let kept: String = char.chars().filter(|c| !c.is_control()).collect();
            text.push_str(&expand_ligature(&kept));
        } else {
            // Nearly every glyph: its text as it is, without a string of its own.
            text.push_str(char);
        }
        self.page.glyphs.push(Glyph {
            x,
            y,
            size,
            advance,
            angle,
            font: self.font,
            word: self.word.max(1),
            start,
            len: (text.len() as u32 - start).min(u16::MAX as u32) as u16,
        });
        Ok(())
    }
}

/// The bytes of the strings that `content` shows (`Tj`, `TJ`, `'`, `"`): at least its
/// glyph count, since every glyph takes one byte or more (text in forms not counted).
pub fn shown_bytes(content: &Content) -> usize {
    let strings = |o: &Object| match o {
        Object::String(s, _) => s.len(),
        Object::Array(items) => items
            .iter()
            .map(|i| match i {
                Object::String(s, _) => s.len(),
                _ => 0,
            })
            .sum(),
        _ => 0,
    };
    content
        .operations
        .iter()
        .filter(|op| matches!(op.operator.as_str(), "Tj" | "TJ" | "'" | "\""))
        .map(|op| op.operands.iter().map(strings).sum::<usize>())
        .sum()
}

/// Typographic ligatures (U+FB00–FB06) become their letters; nothing else is touched,
/// so that NFKC does not rewrite the rest of the text.
fn expand_ligature(s: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::UnicodeNormalization;
    if s.chars().any(|c| ('\u{FB00}'..='\u{FB06}').contains(&c)) {
        s.chars()
            .flat_map(|c| {
                let mut out = String::new();
                if ('\u{FB00}'..='\u{FB06}').contains(&c) {
                    out.extend(std::iter::once(c).nfkc());
                } else {
                    out.push(c);
                }
                out.chars().collect::<Vec<_>>()
            })
            .collect::<String>()
            .into()
    } else {
        s.into()
    }
}

/// Whether a font name names a bold face ("Helvetica-Bold", "Arial,Bold", "Foo-Black").
pub fn bold_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    ["bold", "black", "heavy", "semibold", "demi"]
        .iter()
        .any(|w| n.contains(w))
}

/// Whether a font name names an italic or oblique face ("Times-Italic",
/// "DejaVuSans-BoldOblique", "Arial,Italic").
pub fn italic_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    ["italic", "oblique", "kursiv"]
        .iter()
        .any(|w| n.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_bytes_counts_the_strings_of_text_operators_only() {
        let content = Content::decode(
            b"BT /F1 12 Tf (abc) Tj [(de) -120 <0066>] TJ (g) ' 1 2 (hi) \" ET (xyz) BDC",
        )
        .expect("decodes");
        assert_eq!(shown_bytes(&content), 3 + 2 + 2 + 1 + 2);
        let device = GlyphDevice::for_content(1, Some(&content));
        assert!(device.page.glyphs.capacity() >= 10);
    }

    #[test]
    fn unmapped_glyphs() {
        for g in ["", "\0", "\u{1}", "\u{FFFD}", "\u{85}", "\0\0"] {
            assert!(is_unmapped(g), "{g:?}");
        }
        for g in ["a", "ä", "fi", " ", "–", "\u{FFFD}x"] {
            assert!(!is_unmapped(g), "{g:?}");
        }
    }

    #[test]
    fn bold_faces_by_name() {
        for n in [
            "Helvetica-Bold",
            "Arial,Bold",
            "Arial-BoldMT",
            "LiberationSerif-Bold",
            "Foo-Black",
            "SourceSans-Semibold",
        ] {
            assert!(bold_name(n), "{n}");
        }
        for n in ["Helvetica", "Times-Roman", "Arial-ItalicMT", "Calibri"] {
            assert!(!bold_name(n), "{n}");
        }
    }

    fn info(base_font: Option<&str>, resource_name: &str) -> FontInfo {
        FontInfo {
            base_font: base_font.map(|n| n.as_bytes().to_vec()),
            resource_name: resource_name.as_bytes().to_vec(),
            ..FontInfo::default()
        }
    }

    /// The font of each glyph shown in `words` (each a font, or `None`, and one glyph).
    fn shown(words: &[Option<FontInfo>]) -> Vec<Font> {
        let mut d = GlyphDevice::new(1);
        for font in words {
            d.begin_word_in(font.as_ref()).expect("ok");
            d.push(10.0, 10.0, 10.0, 5.0, 0, "a").expect("ok");
        }
        let page = d.finish();
        assert!(page.fonts_known);
        page.glyphs.iter().map(|g| page.font(g).clone()).collect()
    }

    #[test]
    fn each_glyph_has_the_font_its_string_was_shown_in() {
        let font = |name: &str, bold, italic| Font {
            name: name.into(),
            bold,
            italic,
        };
        let heavy = FontInfo {
            weight: Some(700.0),
            ..info(Some("ABCDEF+Carlito"), "F2")
        };
        let slanted = FontInfo {
            italic_angle: Some(-12.0),
            ..info(Some("Caladea"), "F3")
        };
        let flagged = FontInfo {
            flags: Some(64 | 32),
            ..info(Some("Foo"), "F4")
        };
        let fonts = shown(&[
            Some(info(Some("Helvetica-Bold"), "F1")),
            Some(heavy),
            // Another subset of the same face is the same font, as first met.
            Some(info(Some("GHIJKL+Carlito"), "F5")),
            Some(slanted),
            Some(flagged),
            // No /BaseFont: the resource name; a tag of other than six letters stays.
            Some(info(None, "F9")),
            Some(info(Some("AB+Times-Italic"), "F6")),
            None,
        ]);
        assert_eq!(
            fonts,
            [
                font("Helvetica-Bold", true, false),
                font("Carlito", true, false),
                font("Carlito", true, false),
                font("Caladea", false, true),
                font("Foo", false, true),
                font("F9", false, false),
                font("AB+Times-Italic", false, true),
                font("", false, false),
            ]
        );
        // The same font again after text shown without one.
        let helvetica = || Some(info(Some("Helvetica"), "F1"));
        let names: Vec<String> = shown(&[helvetica(), None, helvetica()])
            .into_iter()
            .map(|f| f.name)
            .collect();
        assert_eq!(names, ["Helvetica", "", "Helvetica"]);
        // A bold name is bold whatever the descriptor's weight says.
        let light = FontInfo {
            weight: Some(400.0),
            ..info(Some("Arial-BoldMT"), "F1")
        };
        assert!(shown(&[Some(light)])[0].bold);
    }

    #[test]
    fn ligatures_expand_and_nothing_else_changes() {
        assert_eq!(expand_ligature("\u{FB01}"), "fi");
        assert_eq!(expand_ligature("a\u{FB02}b"), "aflb");
        // NFKC would turn these into other characters; they stay.
        assert_eq!(expand_ligature("²"), "²");
        assert_eq!(expand_ligature("–"), "–");
    }
}

#[cfg(test)]
mod fill_tests {
    use super::*;

    #[test]
    fn device_colours_become_luminance() {
        assert_eq!(shade(&ColorSpace::DeviceGray, &[0.5]), Some(128));
        assert_eq!(shade(&ColorSpace::DeviceRGB, &[1.0, 1.0, 1.0]), Some(255));
        // A dark blue fill (white text on it in some house styles) is dark.
        assert_eq!(shade(&ColorSpace::DeviceRGB, &[0.1, 0.2, 0.5]), Some(52));
        assert_eq!(
            shade(&ColorSpace::DeviceCMYK, &[0.0, 0.0, 0.0, 1.0]),
            Some(0)
        );
        // A colour that does not fit its space is not guessed.
        assert_eq!(shade(&ColorSpace::DeviceRGB, &[0.5]), None);
        assert_eq!(shade(&ColorSpace::Pattern, &[]), None);
    }

    #[test]
    fn a_path_box_is_in_page_space() {
        let ctm = Transform::row_major(2.0, 0.0, 0.0, 2.0, 10.0, 20.0);
        let path = Path {
            ops: vec![PathOp::Rect(1.0, 1.0, 5.0, 3.0)],
        };
        assert_eq!(path_box(&ctm, &path), Some([12.0, 22.0, 22.0, 28.0]));
        assert_eq!(path_box(&ctm, &Path { ops: vec![] }), None);
    }
}
