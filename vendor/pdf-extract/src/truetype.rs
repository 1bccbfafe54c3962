//! Patched (not upstream): the Unicode values of a TrueType font program's glyphs, read
//! from its `cmap` table, for fonts that come without a ToUnicode map (pdf-extract
//! patch 13). Only what that needs: the table directory and the Unicode subtables of
//! formats 4, 6, 12 and 0. Malformed data ends a subtable early; nothing panics.

use std::collections::HashMap;
use std::convert::TryFrom;

fn u16_at(d: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*d.get(at)?, *d.get(at + 1)?]))
}

fn u32_at(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes([*d.get(at)?, *d.get(at + 1)?, *d.get(at + 2)?, *d.get(at + 3)?]))
}

/// The font's `cmap` table, if it has one (a TrueType collection's first font).
fn cmap_table(font: &[u8]) -> Option<&[u8]> {
    let base = if font.get(..4)? == b"ttcf" { u32_at(font, 12)? as usize } else { 0 };
    let tables = u16_at(font, base + 4)? as usize;
    for i in 0..tables.min(256) {
        let rec = base + 12 + 16 * i;
        if font.get(rec..rec + 4)? == b"cmap" {
            let (off, len) = (u32_at(font, rec + 8)? as usize, u32_at(font, rec + 12)? as usize);
            return font.get(off..off.checked_add(len)?.min(font.len()));
        }
    }
    None
}

/// Glyph id → Unicode scalar, from the best Unicode subtable: Windows UCS-4 (3,10),
/// Windows BMP (3,1), any Unicode platform (0,*); for each glyph the lowest code that
/// maps to it. Empty when the font has none.
pub fn glyph_unicodes(font: &[u8]) -> HashMap<u16, u32> {
    let mut out = HashMap::new();
    let Some(cmap) = cmap_table(font) else { return out };
    let Some(count) = u16_at(cmap, 2) else { return out };
    let mut best: Option<(u8, usize)> = None;
    for i in 0..count as usize {
        let rec = 4 + 8 * i;
        let (Some(platform), Some(encoding), Some(offset)) = (u16_at(cmap, rec), u16_at(cmap, rec + 2), u32_at(cmap, rec + 4)) else { break };
        let rank = match (platform, encoding) {
            (3, 10) => 4,
            (3, 1) => 3,
            (0, _) => 2,
            _ => 0,
        };
        if rank > 0 && best.map_or(true, |(r, _)| rank > r) {
            best = Some((rank, offset as usize));
        }
    }
    let Some((_, at)) = best else { return out };
    let mut add = |code: u32, gid: u16| {
        if gid != 0 && code != 0xffff {
            let e = out.entry(gid).or_insert(code);
            if code < *e {
                *e = code;
            }
        }
    };
    match u16_at(cmap, at) {
        Some(0) => {
            for code in 0..256u32 {
                let Some(&g) = cmap.get(at + 6 + code as usize) else { break };
                add(code, g as u16);
            }
        }
        Some(4) => {
            let Some(segs) = u16_at(cmap, at + 6).map(|n| n as usize / 2) else { return out };
            let ends = at + 14;
            let starts = ends + 2 * segs + 2;
            let deltas = starts + 2 * segs;
            let ranges = deltas + 2 * segs;
            for s in 0..segs {
                let (Some(end), Some(start), Some(delta), Some(range)) = (u16_at(cmap, ends + 2 * s), u16_at(cmap, starts + 2 * s), u16_at(cmap, deltas + 2 * s), u16_at(cmap, ranges + 2 * s)) else { break };
                if start > end {
                    continue;
                }
                for code in start..=end {
                    let gid = if range == 0 {
                        code.wrapping_add(delta)
                    } else {
                        let at = ranges + 2 * s + range as usize + 2 * (code - start) as usize;
                        match u16_at(cmap, at) {
                            Some(0) | None => continue,
                            Some(g) => g.wrapping_add(delta),
                        }
                    };
                    add(code as u32, gid);
                }
            }
        }
        Some(6) => {
            let (Some(first), Some(n)) = (u16_at(cmap, at + 6), u16_at(cmap, at + 8)) else { return out };
            for i in 0..n as usize {
                let Some(g) = u16_at(cmap, at + 10 + 2 * i) else { break };
                add(first as u32 + i as u32, g);
            }
        }
        Some(12) => {
            let Some(groups) = u32_at(cmap, at + 12) else { return out };
            let mut total = 0u32;
            for i in 0..groups as usize {
                let g = at + 16 + 12 * i;
                let (Some(first), Some(last), Some(gid)) = (u32_at(cmap, g), u32_at(cmap, g + 4), u32_at(cmap, g + 8)) else { break };
                if last < first || last > 0x10ffff {
                    continue;
                }
                for code in first..=last {
                    total += 1;
                    if total > 0x110000 {
                        return out;
                    }
                    if let Some(Ok(gid)) = gid.checked_add(code - first).map(u16::try_from) {
                        add(code, gid);
                    }
                }
            }
        }
        _ => {}
    }
    out
}
