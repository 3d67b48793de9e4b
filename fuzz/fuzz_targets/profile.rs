//! Any bytes as a procurement profile: parse, validate, select and render must return a
//! value or an error, never panic or hang.
#![no_main]

use std::sync::OnceLock;

use chotatsu::lang::Lang;
use chotatsu::library::Library;
use chotatsu::profile::Profile;
use chotatsu::annex;
use chotatsu::facts::Stage;
use chotatsu::render::Templates;
use chotatsu::selection::select;
use libfuzzer_sys::fuzz_target;

static LIBRARY: OnceLock<Library> = OnceLock::new();
static TEMPLATES: OnceLock<Templates> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let library = LIBRARY.get_or_init(|| Library::load(None).expect("bundled library"));
    let templates = TEMPLATES.get_or_init(|| Templates::bundled().expect("bundled templates"));
    let Ok(profile) = Profile::parse("fuzz.yaml", text) else { return };
    let Ok(selection) = select(library, &profile) else { return };
    for lang in [Lang::Ja, Lang::En] {
        for stage in Stage::ALL {
            annex::render(&selection, stage, lang, templates, |_| true)
                .expect("a valid profile always renders");
        }
    }
});
