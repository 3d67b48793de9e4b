//! Any bytes as a returned questionnaire (.csv): reading must give responses or an error
//! naming the problem, never panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = chotatsu::responses::read_bytes(
        "fuzz.csv",
        "csv",
        data.to_vec(),
        &chotatsu::responses::WorkbookBudget { questions: 83 },
    );
});
