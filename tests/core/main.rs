//! Integration tests of the core pipeline, driving the `chotatsu` binary: profile → tier →
//! clause selection → annex, and `check` on the library and overlays.

mod annex;
mod bad_inputs;
mod batch;
mod check;
#[path = "../common/clause_sets.rs"]
mod clause_sets;
mod common;
mod docx;
#[path = "../common/office.rs"]
mod office;
mod package;
mod print;
mod profile_errors;
mod readme;
mod references;
mod regression;
mod tier;
mod writes;
