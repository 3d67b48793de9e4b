//! Structure-aware fuzzing of overlay clause files: `arbitrary` assembles clauses whose bodies
//! mix allowed template pieces (variables, filters, conditionals, article references) with
//! refused ones (loops, range, macros, includes, set, growing filters) and free text; loading
//! and checking the library must report problems, never panic, hang or build a huge body.
#![no_main]

use std::fmt::Write;

use chotatsu::library::Library;
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Overlay {
    clauses: Vec<Clause>,
}

#[derive(Arbitrary, Debug)]
struct Clause {
    id: u8,
    requirement: u8,
    min_tier: u8,
    title: String,
    ja: Vec<Piece>,
    en: Vec<Piece>,
}

#[derive(Arbitrary, Debug)]
enum Piece {
    Text(String),
    Variable(u8),
    Filtered(u8, u8),
    If(u8, Vec<Piece>, Vec<Piece>),
    Article(u8),
    For(u32, Vec<Piece>),
    Range(u32),
    Macro,
    Include,
    Set(String),
    Replace(u8),
    Concat(u8),
    Raw(String),
}

const IDS: [&str; 6] = ["ORG-01", "ORG-02", "SPEC-01", "LIFE-04", "org-3", "ORG-01"];
const REQUIREMENTS: [&str; 4] = ["(6)-2.1", "(6)-2.2", "(9)-9", "(6)-2.4"];
const VARIABLES: [&str; 5] = ["tier", "critical_fix_days", "hash_algorithm", "nope", "log_retention_days"];
const FILTERS: [&str; 8] = ["upper", "pluralize", "default(value=\"x\")", "replace(from=\"a\", to=\"aa\")", "safe", "trim", "length", "indent(width=9999)"];

fn render(pieces: &[Piece], depth: usize, out: &mut String) {
    for p in pieces.iter().take(24) {
        match p {
            Piece::Text(s) => out.push_str(&s.replace(['\n', '\r'], " ")),
            Piece::Variable(v) => {
                let _ = write!(out, "{{{{ {} }}}}", VARIABLES[usize::from(*v) % VARIABLES.len()]);
            }
            Piece::Filtered(v, f) => {
                let _ = write!(
                    out,
                    "{{{{ {} | {} }}}}",
                    VARIABLES[usize::from(*v) % VARIABLES.len()],
                    FILTERS[usize::from(*f) % FILTERS.len()]
                );
            }
            Piece::If(t, yes, no) if depth < 4 => {
                let _ = write!(out, "{{% if tier >= {} %}}", t % 4);
                render(yes, depth + 1, out);
                out.push_str("{% else %}");
                render(no, depth + 1, out);
                out.push_str("{% endif %}");
            }
            Piece::If(..) => {}
            Piece::Article(i) => {
                let _ = write!(out, "{{{{ article(id=\"{}\") }}}}", IDS[usize::from(*i) % IDS.len()]);
            }
            Piece::For(n, body) if depth < 4 => {
                let _ = write!(out, "{{% for i in range(end={n}) %}}");
                render(body, depth + 1, out);
                out.push_str("{% endfor %}");
            }
            Piece::For(..) => {}
            Piece::Range(n) => {
                let _ = write!(out, "{{{{ range(end={n}) }}}}");
            }
            Piece::Macro => out.push_str("{% macro m() %}x{% endmacro m %}"),
            Piece::Include => out.push_str("{% include \"annex.md\" %}"),
            Piece::Set(s) => {
                let _ = write!(out, "{{% set x = \"{}\" %}}", s.replace(['"', '\\', '\n'], ""));
            }
            Piece::Replace(n) => {
                out.push_str("{{ \"aaaa\"");
                for _ in 0..(n % 12) {
                    out.push_str(" | replace(from=\"a\", to=\"aaaa\")");
                }
                out.push_str(" }}");
            }
            Piece::Concat(n) => {
                out.push_str("{{ tier");
                for _ in 0..(n % 32) {
                    out.push_str(" ~ tier");
                }
                out.push_str(" }}");
            }
            Piece::Raw(s) => out.push_str(&s.replace(['\n', '\r'], " ")),
        }
    }
}

fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fuzz_target!(|overlay: Overlay| {
    let mut yaml = String::from("clauses:\n");
    for c in overlay.clauses.iter().take(6) {
        let (mut ja, mut en) = (String::new(), String::new());
        render(&c.ja, 0, &mut ja);
        render(&c.en, 0, &mut en);
        let _ = write!(
            yaml,
            "  - id: {}\n    requirements: [{}]\n    min_tier: {}\n    contract_types: [development, package, saas, operation]\n    title: {{ ja: {}, en: {} }}\n    body:\n      ja: {}\n      en: {}\n    references: [ssdf-po.1.2]\n",
            IDS[usize::from(c.id) % IDS.len()],
            REQUIREMENTS[usize::from(c.requirement) % REQUIREMENTS.len()],
            c.min_tier % 5,
            quoted(&c.title),
            quoted(&c.title),
            quoted(&ja),
            quoted(&en),
        );
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let clauses = dir.path().join("clauses");
    std::fs::create_dir(&clauses).expect("clauses dir");
    std::fs::write(clauses.join("fuzz.yaml"), yaml).expect("write");
    let _ = Library::load(Some(dir.path()));
});
