//! Readers of Office documents given to chotatsu as input (the writers live in `src/docx/`
//! and `src/questionnaire/xlsx.rs`), and the zip level both writers use.

pub mod docx_read;

/// The deflate level of the zip of every Word and Excel file written: the fastest. The
/// files are a little larger and as reproducible as before (the same bytes for the same
/// input); the default level 6 took about a tenth of a batch's time.
pub const ZIP_LEVEL: u8 = 1;
