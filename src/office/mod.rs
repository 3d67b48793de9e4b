//! Readers of Office documents given to chotatsu as input (the writers live in `src/docx/`
//! and `src/questionnaire/xlsx.rs`).

pub mod docx_read;
