//! Office files: Word documents given to chotatsu as input (`docx_read`), the workbooks it
//! writes (`xlsx`; its Word documents are written in `src/docx/`), the zip both writers put
//! their parts in, the XML text both write, and the zip's deflate level.

pub mod docx_read;
pub mod xlsx;
pub mod xml;
pub mod zip;

/// The deflate level of the zip of every Word and Excel file written: the fastest. The
/// files are a little larger and as reproducible as before (the same bytes for the same
/// input); the default level 6 took about a tenth of a batch's time.
pub const ZIP_LEVEL: u8 = 1;
