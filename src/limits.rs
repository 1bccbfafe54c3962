//! Input limits: the sizes past which an input is refused with a clear error instead of
//! being converted at any cost.
//!
//! The defaults are far beyond any real agreement (under 100 pages, lines under 1,000
//! characters, a results table at most 6 levels deep, files of a few megabytes) and stop
//! inputs made to exhaust time, memory or the stack. They are enforced by
//! [`crate::convert_bytes`] itself, so the library, the CLI and the worker processes all
//! apply them.

use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::{Error, ErrorKind};

/// Default [`Limits::max_input_bytes`]: 128 MiB.
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 128 << 20;
/// Default [`Limits::max_pages`].
pub const DEFAULT_MAX_PAGES: u32 = 1_000;
/// Default [`Limits::max_line_chars`].
pub const DEFAULT_MAX_LINE_CHARS: u64 = 100_000;
/// Default [`Limits::max_depth`].
pub const DEFAULT_MAX_DEPTH: u32 = 32;
/// The deepest tree ever built, whatever [`Limits::max_depth`] says: the tree is walked
/// recursively (ids, JSON), and 256 levels fit any thread's stack.
pub const DEPTH_CEILING: u32 = 256;

/// The limits one conversion runs under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Largest input in bytes (`too_large`). Checked before a file is read.
    pub max_input_bytes: u64,
    /// Most pages: a PDF's page tree, checked before any page is read, or a text dump's
    /// pages (`too_many_pages`).
    pub max_pages: u32,
    /// Longest line of text in characters (`line_too_long`).
    pub max_line_chars: u64,
    /// Deepest nesting of a results table, a strategic line being level 1 (`too_deep`);
    /// values above [`DEPTH_CEILING`] act as the ceiling.
    pub max_depth: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: DEFAULT_MAX_INPUT_BYTES,
            max_pages: DEFAULT_MAX_PAGES,
            max_line_chars: DEFAULT_MAX_LINE_CHARS,
            max_depth: DEFAULT_MAX_DEPTH,
        }
    }
}

impl Limits {
    /// The depth limit actually applied.
    pub fn depth(&self) -> u32 {
        self.max_depth.clamp(1, DEPTH_CEILING)
    }

    /// `too_large` when `bytes` is over the limit.
    pub fn check_size(&self, path: &str, bytes: u64) -> Result<(), Error> {
        if bytes > self.max_input_bytes {
            return Err(Error::new(
                path,
                ErrorKind::TooLarge {
                    bytes,
                    limit: self.max_input_bytes,
                },
            ));
        }
        Ok(())
    }

    /// `too_many_pages` when `pages` is over the limit.
    pub fn check_pages(&self, path: &str, pages: u64) -> Result<(), Error> {
        if pages > u64::from(self.max_pages) {
            return Err(Error::new(
                path,
                ErrorKind::TooManyPages {
                    pages,
                    limit: self.max_pages,
                },
            ));
        }
        Ok(())
    }

    /// `line_too_long` for the first line (split at `\n`, as the `lines` stage does)
    /// longer than the limit. Linear in the text; a line's characters are counted only
    /// when its bytes could exceed the limit.
    pub fn check_lines(&self, path: &str, text: &str) -> Result<(), Error> {
        // No line is longer than the text: the common case needs no scan.
        if text.len() as u64 <= self.max_line_chars {
            return Ok(());
        }
        for (i, line) in text.split('\n').enumerate() {
            if line.len() as u64 > self.max_line_chars {
                let chars = line.chars().count() as u64;
                if chars > self.max_line_chars {
                    return Err(Error::new(
                        path,
                        ErrorKind::LineTooLong {
                            line: u32::try_from(i + 1).unwrap_or(u32::MAX),
                            chars,
                            limit: self.max_line_chars,
                        },
                    ));
                }
            }
        }
        Ok(())
    }

    /// `line_too_long` when one assembled line (`number`, 1-based) is over the limit.
    pub fn check_line(&self, path: &str, number: u32, text: &str) -> Result<(), Error> {
        if text.len() as u64 > self.max_line_chars {
            let chars = text.chars().count() as u64;
            if chars > self.max_line_chars {
                return Err(Error::new(
                    path,
                    ErrorKind::LineTooLong {
                        line: number,
                        chars,
                        limit: self.max_line_chars,
                    },
                ));
            }
        }
        Ok(())
    }

    /// Reads a file, refusing it from its size before reading (and again while reading,
    /// should it grow) when it is over the limit; `name` names it in errors.
    pub fn read_file(&self, name: &str, path: &Path) -> Result<Vec<u8>, Error> {
        let io = |source| Error::new(name, ErrorKind::Io { source });
        let file = std::fs::File::open(path).map_err(io)?;
        if let Ok(meta) = file.metadata() {
            self.check_size(name, meta.len())?;
        }
        self.read(name, file)
    }

    /// Reads everything from `reader` (standard input), refusing more than the limit.
    pub fn read(&self, name: &str, reader: impl Read) -> Result<Vec<u8>, Error> {
        let mut bytes = Vec::new();
        reader
            .take(self.max_input_bytes.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|source| Error::new(name, ErrorKind::Io { source }))?;
        self.check_size(name, bytes.len() as u64)?;
        Ok(bytes)
    }
}

/// Parses a size for the command line: bytes, or a number with a unit: `K`/`KiB`,
/// `M`/`MiB`, `G`/`GiB` (powers of 1024), `KB`, `MB`, `GB` (powers of 1000).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a size (e.g. 1073741824, 512MiB, 1GiB)"))?;
    let factor: u64 = match unit.trim() {
        "" | "B" => 1,
        "K" | "k" | "KiB" => 1 << 10,
        "M" | "MiB" => 1 << 20,
        "G" | "GiB" => 1 << 30,
        "KB" | "kB" => 1_000,
        "MB" => 1_000_000,
        "GB" => 1_000_000_000,
        other => {
            return Err(format!(
                "unknown size unit {other:?} (use K, M, G, KiB, MiB, GiB, KB, MB or GB)"
            ))
        }
    };
    let bytes = number * factor as f64;
    if !bytes.is_finite() || bytes < 1.0 || bytes > u64::MAX as f64 {
        return Err(format!("{text:?} is not a usable size"));
    }
    Ok(bytes as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_with_units() {
        assert_eq!(parse_size("1024"), Ok(1024));
        assert_eq!(parse_size("1GiB"), Ok(1 << 30));
        assert_eq!(parse_size("512M"), Ok(512 << 20));
        assert_eq!(parse_size("1.5 KiB"), Ok(1536));
        assert_eq!(parse_size("2MB"), Ok(2_000_000));
        assert!(parse_size("").is_err());
        assert!(parse_size("0").is_err());
        assert!(parse_size("12 parsecs").is_err());
        assert!(parse_size("-5").is_err());
    }

    #[test]
    fn each_limit_refuses_just_past_it() {
        let l = Limits {
            max_input_bytes: 10,
            max_pages: 3,
            max_line_chars: 4,
            max_depth: 2,
        };
        assert!(l.check_size("a", 10).is_ok());
        assert_eq!(l.check_size("a", 11).unwrap_err().code(), "too_large");
        assert!(l.check_pages("a", 3).is_ok());
        assert_eq!(l.check_pages("a", 4).unwrap_err().code(), "too_many_pages");
        // Four characters in eight bytes pass; five do not, and the line is named.
        assert!(l.check_lines("a", "ääää\nabcd").is_ok());
        let e = l.check_lines("a", "ok\nabcd\nabcde").unwrap_err();
        assert_eq!(e.code(), "line_too_long");
        assert!(e.to_string().contains("line 3 is 5 characters"), "{e}");
        assert_eq!(
            l.read("a", &b"0123456789"[..]).map(|b| b.len()).ok(),
            Some(10)
        );
        assert_eq!(
            l.read("a", &b"0123456789X"[..]).unwrap_err().code(),
            "too_large"
        );
        assert_eq!(Limits { max_depth: 0, ..l }.depth(), 1);
        assert_eq!(
            Limits {
                max_depth: 9999,
                ..l
            }
            .depth(),
            DEPTH_CEILING
        );
    }
}
