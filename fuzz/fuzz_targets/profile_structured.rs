//! Structure-aware fuzzing of profiles: `arbitrary` fills every field of a profile (strings
//! with any character, dates of any shape, tiers, parameters, tailoring, budget amounts up to
//! u64::MAX) and the target writes it as YAML, so most inputs get past the parser into
//! validation, selection, the budget arithmetic and rendering.
#![no_main]

use std::fmt::Write;
use std::sync::OnceLock;

use chotatsu::annex;
use chotatsu::facts::Stage;
use chotatsu::lang::Lang;
use chotatsu::library::Library;
use chotatsu::profile::Profile;
use chotatsu::render::Templates;
use chotatsu::selection::select;
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

static LIBRARY: OnceLock<Library> = OnceLock::new();
static TEMPLATES: OnceLock<Templates> = OnceLock::new();

#[derive(Arbitrary, Debug)]
struct Input {
    id: Scalar,
    title: Scalar,
    buyer: Scalar,
    vendor: Option<Scalar>,
    issued: Date,
    contract_type: u8,
    delivery: Option<Date>,
    start: Date,
    end: Date,
    english: bool,
    description: Option<Scalar>,
    impact: [u8; 3],
    flags: [bool; 3],
    tier: Option<i64>,
    tier_reason: Option<Scalar>,
    parameters: Vec<(u8, Param)>,
    exclude: Vec<(u8, Scalar)>,
    budget: Vec<Year>,
}

#[derive(Arbitrary, Debug)]
enum Scalar {
    Plain(String),
    Quoted(String),
    Escaped(u32),
}

impl Scalar {
    fn yaml(&self) -> String {
        match self {
            Scalar::Plain(s) => s.replace(['\n', '\r'], " "),
            Scalar::Quoted(s) => serde_json_like(s),
            Scalar::Escaped(c) => format!("\"x\\u{:04X}y\"", c & 0xFFFF),
        }
    }
}

fn serde_json_like(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\x{:02X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[derive(Arbitrary, Debug)]
enum Date {
    Valid(u16, u8, u8),
    Text(Scalar),
}

impl Date {
    fn yaml(&self) -> String {
        match self {
            Date::Valid(y, m, d) => format!("{:04}-{:02}-{:02}", 1990 + y % 300, 1 + m % 12, 1 + d % 31),
            Date::Text(s) => s.yaml(),
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Param {
    Int(i64),
    Bool(bool),
    Text(Scalar),
    Raw(String),
}

#[derive(Arbitrary, Debug)]
struct Year {
    fiscal_year: i64,
    amounts: [Option<u64>; 6],
    unknown: Option<u8>,
}

const PARAMS: [&str; 8] = [
    "critical_fix_days",
    "log_retention_days",
    "incident_notice_hours",
    "hash_algorithm",
    "session_timeout_minutes",
    "sbom_update_days",
    "unknown_parameter",
    "risk_reserve_percent",
];
const CLAUSES: [&str; 6] = ["SBOM-01", "LIFE-04", "SPEC-01", "RISK-01", "NOPE-99", "CONF-01"];
const CATEGORIES: [&str; 6] = [
    "maintenance",
    "vulnerability_response",
    "sbom",
    "incident_response",
    "audit",
    "migration",
];
const CONTRACT_TYPES: [&str; 5] = ["development", "package", "saas", "operation", "lease"];
const LEVELS: [&str; 4] = ["low", "moderate", "high", "extreme"];

fn profile(i: &Input) -> String {
    let mut y = String::new();
    let _ = writeln!(y, "procurement:");
    let _ = writeln!(y, "  id: {}", i.id.yaml());
    let _ = writeln!(y, "  title: {}", i.title.yaml());
    let _ = writeln!(y, "  buyer: {}", i.buyer.yaml());
    if let Some(v) = &i.vendor {
        let _ = writeln!(y, "  vendor: {}", v.yaml());
    }
    let _ = writeln!(y, "  issued: {}", i.issued.yaml());
    let _ = writeln!(
        y,
        "  contract: {{ type: {}, start: {}, end: {} }}",
        CONTRACT_TYPES[usize::from(i.contract_type) % CONTRACT_TYPES.len()],
        i.start.yaml(),
        i.end.yaml()
    );
    if let Some(d) = &i.delivery {
        let _ = writeln!(y, "  delivery: {}", d.yaml());
    }
    let _ = writeln!(y, "  language: {}", if i.english { "en" } else { "ja" });
    let _ = writeln!(y, "system:");
    if let Some(d) = &i.description {
        let _ = writeln!(y, "  description: {}", d.yaml());
    }
    let level = |n: u8| LEVELS[usize::from(n) % LEVELS.len()];
    let _ = writeln!(
        y,
        "  impact: {{ confidentiality: {}, integrity: {}, availability: {} }}",
        level(i.impact[0]),
        level(i.impact[1]),
        level(i.impact[2])
    );
    let _ = writeln!(y, "  critical_infrastructure: {}", i.flags[0]);
    let _ = writeln!(y, "  internet_facing: {}", i.flags[1]);
    let _ = writeln!(y, "  personal_data: {}", i.flags[2]);
    if let Some(t) = i.tier {
        let _ = writeln!(y, "tier: {t}");
    }
    if let Some(r) = &i.tier_reason {
        let _ = writeln!(y, "tier_reason: {}", r.yaml());
    }
    if !i.parameters.is_empty() {
        let _ = writeln!(y, "parameters:");
        for (n, p) in i.parameters.iter().take(16) {
            let value = match p {
                Param::Int(v) => v.to_string(),
                Param::Bool(b) => b.to_string(),
                Param::Text(s) => s.yaml(),
                Param::Raw(s) => s.replace(['\n', '\r'], " "),
            };
            let _ = writeln!(y, "  {}: {value}", PARAMS[usize::from(*n) % PARAMS.len()]);
        }
    }
    if !i.exclude.is_empty() {
        let _ = writeln!(y, "tailoring:\n  exclude:");
        for (n, reason) in i.exclude.iter().take(16) {
            let _ = writeln!(
                y,
                "    - {{ clause: {}, reason: {} }}",
                CLAUSES[usize::from(*n) % CLAUSES.len()],
                reason.yaml()
            );
        }
    }
    if !i.budget.is_empty() {
        let _ = writeln!(y, "budget:");
        for year in i.budget.iter().take(8) {
            let _ = write!(y, "  - {{ fiscal_year: {}", year.fiscal_year);
            for (c, a) in CATEGORIES.iter().zip(year.amounts) {
                if let Some(a) = a {
                    let _ = write!(y, ", {c}: {a}");
                }
            }
            if let Some(u) = year.unknown {
                let _ = write!(y, ", cost_{u}: 1");
            }
            let _ = writeln!(y, " }}");
        }
    }
    y
}

fuzz_target!(|input: Input| {
    let text = profile(&input);
    let library = LIBRARY.get_or_init(|| Library::load(None).expect("bundled library"));
    let templates = TEMPLATES.get_or_init(|| Templates::bundled().expect("bundled templates"));
    let Ok(profile) = Profile::parse("fuzz.yaml", &text) else { return };
    // A profile that passed validation holds no character that lies to a reader.
    for s in [&profile.procurement.title, &profile.procurement.buyer.entity] {
        assert!(chotatsu::text_safety::first_unsafe(s).is_none(), "{s:?}");
    }
    let Ok(selection) = select(library, &profile) else { return };
    for lang in [Lang::Ja, Lang::En] {
        for stage in Stage::ALL {
            annex::render(&selection, stage, lang, templates, |_| true)
                .expect("a valid profile always renders");
        }
    }
});
