//! Command-line definitions (clap derive). Only shapes live here; the work is in `cmd/`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::facts::{ContractType, Stage};
use crate::lang::Lang;

/// chotatsu (調達): writes the security paperwork of a software procurement.
///
/// From a short procurement profile (YAML) it selects clauses from a clause library by risk
/// tier and renders the security-requirement annex of an RFP or contract; it also compares
/// contract versions clause by clause.
#[derive(Debug, Parser)]
#[command(name = "chotatsu", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write the whole procurement package: the RFP, the contract annex and the questionnaire
    /// in every format and the tier report, in each language, with a manifest.json of every
    /// file's SHA-256.
    ///
    /// Given many profiles, builds them all (one failing does not stop the others) and writes
    /// the portfolio index DIR/index.{csv,html,xlsx}. Exit status: 0 when every package was
    /// written, 2 when any profile failed (the others are written).
    Build(BuildArgs),
    /// Which issued packages a change of the clause library would change, clause by clause.
    ///
    /// Exit status: 0 when nothing would change, 1 when something would, 2 on error.
    Impact(ImpactArgs),
    /// Check a package written by `build` against its manifest.json.
    ///
    /// Exit status: 0 when every file is as written, 1 when any is modified, missing or
    /// unexpected, 2 when the manifest cannot be read.
    Verify(VerifyArgs),
    /// Show the risk tier of a procurement profile and every reason that produced it.
    Tier(TierArgs),
    /// Render the security requirements of a profile for one stage: the contract annex
    /// (別紙 セキュリティ要件, the default) or the RFP (調達仕様書 別紙, with the evaluation
    /// criteria and the tier).
    Annex(AnnexArgs),
    /// Write the vendor disclosure questionnaire (開示質問票) for a profile.
    Questionnaire(QuestionnaireArgs),
    /// Evaluate a vendor's returned questionnaire (xlsx, csv or yaml) against a profile.
    Evaluate(EvaluateArgs),
    /// Start the local web app: the same work in a browser, nothing sent anywhere.
    ///
    /// Listens on 127.0.0.1 (this computer only) unless --bind says otherwise; Ctrl-C stops it.
    #[cfg(feature = "serve")]
    Serve(ServeArgs),
    /// Compare two versions of a contract or annex clause by clause.
    ///
    /// Exit status as diff(1): 0 identical, 1 different, 2 error.
    Diff(DiffArgs),
    /// Validate the clause library (bundled, plus an overlay given with --library).
    Check(CheckArgs),
    /// List the library's clauses: ID, requirements, contract types, minimum tier, title.
    List(ListArgs),
    /// Show one clause as it reads at a tier, with its parameters and references.
    Show(ShowArgs),
    /// Coverage: which clauses apply to each requirement for each contract type at each tier.
    Matrix(MatrixArgs),
}

/// Where the clause library comes from.
#[derive(Debug, Args, Clone, Default)]
pub struct LibraryArgs {
    /// An organisation's overlay library: its clauses replace bundled clauses with the same
    /// ID, add new ones, and its `retired.yaml` can retire bundled clauses.
    #[arg(long, value_name = "DIR")]
    pub library: Option<PathBuf>,
}

#[cfg(feature = "serve")]
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The TCP port to listen on.
    #[arg(long, default_value_t = 8750)]
    pub port: u16,
    /// The address to listen on. Anything but a loopback address lets other computers reach
    /// the app, which has no login: a warning says so.
    #[arg(long, value_name = "ADDRESS", default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    #[command(flatten)]
    pub library: LibraryArgs,
}

#[derive(Debug, Args)]
pub struct TierArgs {
    /// The procurement profile (YAML).
    pub profile: PathBuf,
    #[arg(long, value_enum, default_value_t = TierFormat::Text)]
    pub format: TierFormat,
    #[command(flatten)]
    pub library: LibraryArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TierFormat {
    /// The tier and its reasons, in words.
    Text,
    /// The same as JSON: {"tier", "derived_tier", "reasons": [..]}.
    Json,
}

#[derive(Debug, Args)]
pub struct AnnexArgs {
    /// The procurement profile (YAML).
    pub profile: PathBuf,
    /// Language of the annex; overrides `procurement.language` in the profile.
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// The stage: `contract` writes annex.<lang>.*, `rfp` writes rfp.<lang>.*.
    #[arg(long, value_enum, default_value_t = Stage::Contract)]
    pub stage: Stage,
    /// Output format; all are written when omitted.
    #[arg(long, value_enum)]
    pub format: Option<crate::annex::Format>,
    /// Output directory; files go to DIR/<procurement.id>/.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    #[command(flatten)]
    pub library: LibraryArgs,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The procurement profiles (YAML): files, or folders whose `*.yaml` / `*.yml` files are
    /// each a profile. With more than one, the packages are built in parallel and
    /// DIR/index.{csv,html,xlsx} lists them.
    #[arg(required = true, value_name = "PROFILE_OR_DIR")]
    pub profiles: Vec<PathBuf>,
    /// How many packages to build at once (default: one per core).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Languages of the documents.
    #[arg(long, value_enum, default_value_t = LangChoice::Both)]
    pub lang: LangChoice,
    /// Output directory; the package goes to DIR/<procurement.id>/, replacing any package
    /// there whole.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    #[command(flatten)]
    pub library: LibraryArgs,
}

#[derive(Debug, Args)]
pub struct ImpactArgs {
    /// Package folders written by `build` (each holding manifest.json).
    #[arg(required = true, value_name = "PACKAGE_DIR")]
    pub packages: Vec<PathBuf>,
    #[command(flatten)]
    pub library: LibraryArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangChoice {
    Ja,
    En,
    Both,
}

impl LangChoice {
    pub fn langs(self) -> Vec<Lang> {
        match self {
            LangChoice::Ja => vec![Lang::Ja],
            LangChoice::En => vec![Lang::En],
            LangChoice::Both => vec![Lang::Ja, Lang::En],
        }
    }
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The package folder (the one holding manifest.json).
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub library: LibraryArgs,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only clauses that apply at this tier.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=3))]
    pub tier: Option<u8>,
    /// Only clauses that apply to this contract type.
    #[arg(long = "type", value_enum, value_name = "TYPE")]
    pub contract_type: Option<ContractType>,
    /// Only clauses citing this requirement, e.g. `(6)-2.1`.
    #[arg(long, value_name = "ID")]
    pub requirement: Option<String>,
    /// Language of the titles.
    #[arg(long, value_enum, default_value_t = Lang::Ja)]
    pub lang: Lang,
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
    #[command(flatten)]
    pub library: LibraryArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// One clause a line: ID, requirements, minimum tier, title.
    Text,
    /// An array of {"id","requirements":[..],"min_tier","title"}.
    Json,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The clause ID, e.g. `SBOM-01`.
    pub clause: String,
    /// Render at this tier (default: the clause's minimum tier).
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=3))]
    pub tier: Option<u8>,
    /// Render for this contract type (default: the first the clause applies to).
    #[arg(long = "type", value_enum, value_name = "TYPE")]
    pub contract_type: Option<ContractType>,
    /// Render as the document of this stage words it (default: contract, or rfp for a
    /// clause only in the RFP).
    #[arg(long, value_enum)]
    pub stage: Option<Stage>,
    #[arg(long, value_enum, default_value_t = Lang::Ja)]
    pub lang: Lang,
    #[command(flatten)]
    pub library: LibraryArgs,
}

#[derive(Debug, Args)]
pub struct MatrixArgs {
    #[arg(long, value_enum, default_value_t = MatrixFormat::Md)]
    pub format: MatrixFormat,
    #[command(flatten)]
    pub library: LibraryArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MatrixFormat {
    /// A Markdown table: requirement × tier → clause IDs.
    Md,
    /// The same as CSV (ASCII, CRLF, one column per tier, IDs separated by spaces).
    Csv,
    /// The same as JSON.
    Json,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old version (UTF-8 Markdown or plain text, an HTML page, or a Word .docx).
    pub old: PathBuf,
    /// The new version (UTF-8 Markdown or plain text, an HTML page, or a Word .docx).
    pub new: PathBuf,
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Write the result to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The date of the comparison (YYYY-MM-DD), shown under the 新旧対照表's title; without
    /// it the table has a blank date to fill in.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub date: Option<chrono::NaiveDate>,
    /// Colour in the text format: on a terminal unless NO_COLOR is set (auto), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Tracked changes in a Word input: read them accepted, rejected, or refuse the file.
    #[arg(long, value_enum, default_value_t = TrackedChoice::Accept)]
    pub tracked: TrackedChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TrackedChoice {
    Accept,
    Reject,
    Refuse,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// The formats of `diff --format`, defined with the reports that write them.
pub use crate::diff::render::Format as DiffFormat;

#[derive(Debug, Args)]
pub struct QuestionnaireArgs {
    /// The procurement profile (YAML).
    pub profile: PathBuf,
    /// Language of the questionnaire; overrides `procurement.language` in the profile.
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// Output format; all are written when omitted.
    #[arg(long, value_enum)]
    pub format: Option<crate::questionnaire::Format>,
    /// Output directory; files go to DIR/<procurement.id>/.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    #[command(flatten)]
    pub library: LibraryArgs,
}

#[derive(Debug, Args)]
pub struct EvaluateArgs {
    /// The procurement profile (YAML) the questionnaire was written for.
    pub profile: PathBuf,
    /// The vendor's returned questionnaire: .xlsx, .csv or .yaml/.yml.
    pub responses: PathBuf,
    /// Language of the evaluation; overrides `procurement.language` in the profile.
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// Output format; all are written when omitted.
    #[arg(long, value_enum)]
    pub format: Option<EvaluationFormat>,
    /// Output directory; files go to DIR/<procurement.id>/.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    #[command(flatten)]
    pub library: LibraryArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvaluationFormat {
    /// The report as Markdown: summary, answers by requirement, findings.
    Md,
    /// The same as a print-ready A4 HTML page.
    Html,
    /// {"summary": {..}, "items": [{"id","requirement","status","answer"}]}.
    Json,
    /// The same as an Excel workbook.
    Xlsx,
}

/// A `--date` value: YYYY-MM-DD.
fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date: expected YYYY-MM-DD"))
}
