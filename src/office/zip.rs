//! The zip container of a Word or Excel file, written directly: local headers, the parts, the
//! central directory (no Zip64, no extra fields, fixed timestamps), so that a part can be
//! deflated in pieces.
//!
//! A long part is cut at the starts of its repeating element (a Word paragraph, a sheet's
//! row, a shared string) chosen by what the element before says, and each piece is deflated
//! with the piece before it as its window, ending on a byte boundary (a sync flush); an empty
//! final block closes the stream. The same piece after the same piece therefore always
//! deflates to the same bytes wherever it stands, and a batch, which writes the same clauses
//! and questions into every package, deflates each once per thread. The file is about 4 %
//! larger than one stream would be.

use std::rc::Rc;

use flate2::{Compress, Compression, FlushCompress, Status};

/// A part shorter than this (bytes) is stored, not deflated: deflating it saves a few
/// hundred bytes at most. Seven of a Word file's nine parts are this short, and six of a
/// questionnaire workbook's ten.
const STORE_BELOW: usize = 2048;

/// An element's start is a cut when the hash of the element before it is a multiple of
/// this: pieces are about this many elements long (a few kilobytes).
const CUT_EVERY: u64 = 32;

/// One file in the zip: its name, its bytes, and the start tag of the element it repeats,
/// where it may be cut (`<w:p>` for a Word paragraph: `<w:pPr>` and `<w:pgSz>` do not
/// match).
pub struct Part<'a> {
    pub name: &'a str,
    pub data: &'a [u8],
    pub unit: &'static [u8],
}

/// The empty final block with fixed codes (BFINAL 1, BTYPE 01, end-of-block): it ends a
/// stream of pieces that each end with a sync flush.
const FINAL_BLOCK: [u8; 2] = [0x03, 0x00];

/// The most a piece looks back (deflate's window).
const WINDOW: usize = 32 * 1024;

/// Pieces whose deflated bytes are remembered per thread in each generation.
const PIECES_KEPT: usize = 256;

/// A piece's deflated bytes by its window and itself: the window's length, and the bytes.
type Pieces = crate::memo::Memo<Box<[u8]>, (usize, Rc<[u8]>)>;

thread_local! {
    static PIECES: std::cell::RefCell<Pieces> = const {
        std::cell::RefCell::new(crate::memo::Memo::new(PIECES_KEPT))
    };
}

/// The zip of `parts`, in the order given.
pub fn zip<'a>(parts: impl IntoIterator<Item = Part<'a>>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    let mut count: u16 = 0;
    for Part { name, data, unit } in parts {
        let deflated = (data.len() >= STORE_BELOW).then(|| deflate(data, unit));
        let entry = Entry {
            name,
            method: if deflated.is_some() { DEFLATED } else { STORED },
            crc: crc32fast::hash(data),
            size: u32_of(data.len()),
            packed: u32_of(deflated.as_ref().map_or(data.len(), Vec::len)),
            offset: u32_of(out.len()),
        };
        entry.local_header(&mut out);
        out.extend_from_slice(deflated.as_deref().unwrap_or(data));
        entry.central_header(&mut central);
        count += 1;
    }
    let directory_at = u32_of(out.len());
    let directory_size = u32_of(central.len());
    out.extend_from_slice(&central);
    // End of central directory: this disk, the disk the directory starts on, the entries
    // on this disk and in all, the directory's size and offset, no comment.
    put32(&mut out, 0x0605_4b50);
    put16(&mut out, 0);
    put16(&mut out, 0);
    put16(&mut out, count);
    put16(&mut out, count);
    put32(&mut out, directory_size);
    put32(&mut out, directory_at);
    put16(&mut out, 0);
    out
}

const STORED: u16 = 0;
const DEFLATED: u16 = 8;
/// 1980-01-01 00:00, the earliest time a zip can hold: the same bytes on every run.
const DOS_TIME: u16 = 0;
const DOS_DATE: u16 = (1 << 5) | 1;
/// Made by Unix (for the permissions), zip 2.0 (deflate).
const MADE_BY: u16 = (3 << 8) | 20;
const NEEDED: u16 = 20;
/// A regular file, `rw-r--r--`, in the high half of the external attributes.
const PERMISSIONS: u32 = 0o100_644 << 16;

struct Entry<'a> {
    name: &'a str,
    method: u16,
    crc: u32,
    size: u32,
    packed: u32,
    offset: u32,
}

impl Entry<'_> {
    /// The fields local and central headers share, from the version needed to the extra
    /// field's length.
    fn common(&self, out: &mut Vec<u8>) {
        put16(out, NEEDED);
        put16(out, 0);
        put16(out, self.method);
        put16(out, DOS_TIME);
        put16(out, DOS_DATE);
        put32(out, self.crc);
        put32(out, self.packed);
        put32(out, self.size);
        put16(out, u16_of(self.name.len()));
        put16(out, 0);
    }

    fn local_header(&self, out: &mut Vec<u8>) {
        put32(out, 0x0403_4b50);
        self.common(out);
        out.extend_from_slice(self.name.as_bytes());
    }

    fn central_header(&self, out: &mut Vec<u8>) {
        put32(out, 0x0201_4b50);
        put16(out, MADE_BY);
        self.common(out);
        // No comment, disk 0, no internal attributes.
        put16(out, 0);
        put16(out, 0);
        put16(out, 0);
        put32(out, PERMISSIONS);
        put32(out, self.offset);
        out.extend_from_slice(self.name.as_bytes());
    }
}

fn put16(out: &mut Vec<u8>, n: u16) {
    out.extend_from_slice(&n.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, n: u32) {
    out.extend_from_slice(&n.to_le_bytes());
}

/// An Office file's parts are far below the 4 GB a zip without Zip64 can hold.
fn u32_of(n: usize) -> u32 {
    u32::try_from(n).expect("an Office part under 4 GB")
}

fn u16_of(n: usize) -> u16 {
    u16::try_from(n).expect("a part name under 64 KB")
}

/// `data` as one raw deflate stream: its [`pieces`] (cut before `unit`) deflated one by one,
/// each with the piece before it as its window (remembered by the two together), then the
/// final block.
fn deflate(data: &[u8], unit: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() / 4);
    let mut at = 0;
    let mut window_from = 0;
    for piece in pieces(data, unit) {
        let (window, seen) = (&data[window_from..at], &data[window_from..at + piece.len()]);
        let found = PIECES
            .with_borrow_mut(|m| m.find(seen))
            .filter(|(window_len, _)| *window_len == window.len());
        let packed = match found {
            Some((_, packed)) => packed,
            None => {
                let packed: Rc<[u8]> = deflate_piece(window, piece).into();
                PIECES.with_borrow_mut(|m| m.keep(seen, || (window.len(), packed.clone())));
                packed
            }
        };
        out.extend_from_slice(&packed);
        window_from = at.max((at + piece.len()).saturating_sub(WINDOW));
        at += piece.len();
    }
    out.extend_from_slice(&FINAL_BLOCK);
    out
}

/// `data` cut before the starts of `unit` whose preceding element hashes to a multiple of
/// [`CUT_EVERY`]: where a cut falls depends on one element alone, so a text that differs in
/// one place is cut as before everywhere else.
fn pieces<'a>(data: &'a [u8], unit: &[u8]) -> impl Iterator<Item = &'a [u8]> {
    let mut starts = memchr::memmem::find_iter(data, unit);
    let mut piece_from = 0;
    let mut element_from = 0;
    std::iter::from_fn(move || {
        if piece_from >= data.len() {
            return None;
        }
        for at in starts.by_ref() {
            let cut = at > piece_from
                && crate::memo::fast_hash(&data[element_from..at]).is_multiple_of(CUT_EVERY);
            element_from = at;
            if cut {
                let piece = &data[piece_from..at];
                piece_from = at;
                return Some(piece);
            }
        }
        let piece = &data[piece_from..];
        piece_from = data.len();
        Some(piece)
    })
}

/// One piece deflated after `window` (the bytes just before it, which the reader has
/// already inflated), ending with a sync flush (on a byte boundary, not final).
///
/// Each piece gets a new compressor: one reset after other work was seen to deflate the same
/// window and piece into other bytes (as valid, but not the same), and the same input must
/// give the same file whatever a batch built before it. The cause, as zlib-rs 0.6 reads: the
/// window is hashed four bytes at a time up to one byte past its end, which in a reset
/// compressor is whatever its earlier work left there, and in a new one nothing (so that last
/// position is not hashed at all).
fn deflate_piece(window: &[u8], piece: &[u8]) -> Vec<u8> {
    let mut compressor =
        Compress::new(Compression::new(u32::from(crate::office::ZIP_LEVEL)), false);
    if !window.is_empty() {
        compressor
            .set_dictionary(window)
            .expect("a window for the deflate in memory");
    }
    let mut out = Vec::with_capacity(piece.len() / 2 + 64);
    let mut read = 0;
    loop {
        let before = compressor.total_in();
        let status = compressor
            .compress_vec(&piece[read..], &mut out, FlushCompress::Sync)
            .expect("deflate in memory");
        read += usize::try_from(compressor.total_in() - before).unwrap_or(0);
        // Done when all is read and the flush fitted (room was left over).
        if read == piece.len() && out.len() < out.capacity() {
            break;
        }
        if status == Status::BufError || out.len() == out.capacity() {
            out.reserve(out.capacity().max(64));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    const PARAGRAPH: &[u8] = b"<w:p>";

    fn paragraphs(n: usize, tag: &str) -> String {
        (0..n)
            .map(|i| format!("<w:p><w:r><w:t>{tag} 第{i}項 受注者は、本件業務を誠実に行う。</w:t></w:r></w:p>"))
            .collect()
    }

    #[test]
    fn pieces_cover_the_part_and_cut_only_at_paragraphs() {
        let text = paragraphs(400, "甲");
        let cut: Vec<&[u8]> = pieces(text.as_bytes(), PARAGRAPH).collect();
        assert!(cut.len() > 4, "{} pieces", cut.len());
        assert_eq!(cut.concat(), text.as_bytes());
        assert!(cut.iter().all(|p| p.starts_with(PARAGRAPH)));
        assert_eq!(pieces(b"", PARAGRAPH).count(), 0);
        assert_eq!(
            pieces(b"<w:body/>", PARAGRAPH).collect::<Vec<_>>(),
            [b"<w:body/>"]
        );
    }

    #[test]
    fn a_change_in_one_place_leaves_the_other_cuts_where_they_were() {
        let (head, tail) = (paragraphs(200, "甲"), paragraphs(200, "乙"));
        let one = format!("{head}{tail}");
        let other = format!("{}{tail}", paragraphs(200, "丙"));
        let cuts = |s: &str| -> Vec<usize> {
            let mut at = 0;
            pieces(s.as_bytes(), PARAGRAPH)
                .map(|p| {
                    at += p.len();
                    at
                })
                .filter(|&at| at > head.len())
                .collect()
        };
        assert_eq!(cuts(&one), cuts(&other));
    }

    #[test]
    fn the_zip_reads_back_with_every_part_whole() {
        let document = paragraphs(300, "甲");
        let parts = [
            ("[Content_Types].xml", b"<Types/>".as_slice()),
            ("word/document.xml", document.as_bytes()),
        ];
        // Three times: the second keeps the pieces, the third takes them from the thread's
        // memory; all three are the same bytes.
        let each = || {
            parts.map(|(name, data)| Part {
                name,
                data,
                unit: PARAGRAPH,
            })
        };
        let first = zip(each());
        for _ in 0..3 {
            let bytes = zip(each());
            assert!(bytes == first);
            let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            assert_eq!(archive.len(), 2);
            for (name, data) in parts {
                let mut file = archive.by_name(name).unwrap();
                let method = format!("{:?}", file.compression());
                assert_eq!(
                    method,
                    if data.len() < STORE_BELOW {
                        "Stored"
                    } else {
                        "Deflated"
                    }
                );
                assert_eq!(file.unix_mode(), Some(0o100_644));
                let mut read = Vec::new();
                // The reader checks each part's CRC-32 at its end.
                file.read_to_end(&mut read).unwrap();
                assert_eq!(read, data, "{name}");
            }
        }
    }
}
