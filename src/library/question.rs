//! Disclosure questions: the shape of `questions/*.yaml`, the answer values a question takes,
//! and what answer is expected at each tier. The questionnaire asks them; the evaluation
//! compares a vendor's answers with the expectation.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::lang::{Lang, Text};

/// `questions/*.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionsFile {
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Stable ID, e.g. `Q-SBOM-01`; responses are matched on it.
    pub id: String,
    /// The guideline requirement(s) it verifies; the first one groups it in documents.
    pub requirements: Vec<String>,
    /// The clause(s) whose practice it verifies. A question whose clauses were all tailored
    /// out of the procurement is not asked.
    #[serde(default)]
    pub clauses: Vec<String>,
    pub min_tier: u8,
    pub text: Text,
    #[serde(rename = "type")]
    pub kind: AnswerType,
    /// The values of a `choice` question.
    #[serde(default)]
    pub choices: Vec<Choice>,
    /// Unit of a `number` answer (days, hours, …).
    #[serde(default)]
    pub unit: Option<Text>,
    /// Whether "not applicable" is an acceptable answer; otherwise it needs review.
    #[serde(default)]
    pub allow_na: bool,
    /// The evidence asked for with the answer.
    #[serde(default)]
    pub evidence: Option<Text>,
    /// The answer expected at each tier the question applies to (not for `text`).
    #[serde(default)]
    pub expected: Option<PerTier<Expectation>>,
    #[serde(default = "default_weight")]
    pub weight: u32,
    /// Asked only when another question has one of the given answers.
    #[serde(default)]
    pub depends_on: Option<Dependency>,
    /// The file that defined it, for messages.
    #[serde(skip)]
    pub file: String,
}

fn default_weight() -> u32 {
    1
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerType {
    /// Yes / No / Partial (and N/A, which every type accepts).
    YesNo,
    Choice,
    Text,
    Date,
    Number,
}

impl AnswerType {
    pub fn name(self) -> &'static str {
        match self {
            AnswerType::YesNo => "yes_no",
            AnswerType::Choice => "choice",
            AnswerType::Text => "text",
            AnswerType::Date => "date",
            AnswerType::Number => "number",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// The stable value, used in `expected` and accepted as an answer.
    pub value: String,
    pub label: Text,
}

/// One value for every tier, or one for each tier (`{1: …, 2: …, 3: …}`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum PerTier<T> {
    #[serde(deserialize_with = "super::model::by_tier")]
    ByTier(BTreeMap<u8, T>),
    Same(T),
}

impl<T> PerTier<T> {
    pub fn for_tier(&self, tier: u8) -> Option<&T> {
        match self {
            PerTier::Same(v) => Some(v),
            PerTier::ByTier(m) => m.get(&tier),
        }
    }

    pub fn all(&self) -> Vec<(Option<u8>, &T)> {
        match self {
            PerTier::Same(v) => vec![(None, v)],
            PerTier::ByTier(m) => m.iter().map(|(t, v)| (Some(*t), v)).collect(),
        }
    }
}

/// What a good answer looks like at one tier.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    /// `yes_no` and `choice`: the acceptable answers (`yes`, `partial`, a choice value), or
    /// the set parameter that holds them for this procurement.
    #[serde(default)]
    pub any_of: Accepted,
    /// `number`: the lowest acceptable value.
    #[serde(default)]
    pub min: Option<Bound>,
    /// `number`: the highest acceptable value.
    #[serde(default)]
    pub max: Option<Bound>,
    /// `date`: the earliest acceptable date.
    #[serde(default)]
    pub not_before: Option<DateBound>,
}

/// The acceptable answers of a `yes_no` or `choice` question: listed, or the values of a
/// set parameter (`{ parameter: accepted_cloud_lists }`), so the clause and the question
/// cannot disagree.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Accepted {
    Values(Vec<String>),
    Parameter { parameter: String },
}

impl Default for Accepted {
    fn default() -> Self {
        Accepted::Values(Vec::new())
    }
}

impl Accepted {
    /// Whether nothing was written (no `any_of`, or an empty list).
    pub fn is_empty(&self) -> bool {
        matches!(self, Accepted::Values(v) if v.is_empty())
    }
}

impl<'de> Deserialize<'de> for Accepted {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Values(Vec<Word>),
            Parameter { parameter: String },
        }
        Ok(match Raw::deserialize(d)? {
            Raw::Parameter { parameter } => Accepted::Parameter { parameter },
            Raw::Values(words) => {
                Accepted::Values(words.into_iter().map(Word::canonical).collect())
            }
        })
    }
}

/// A number, or the value of a parameter for this procurement.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Bound {
    Number(f64),
    Parameter { parameter: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateBound {
    ContractStart,
    ContractEnd,
    /// The last day of the support period the support clause sets (`support_years_min`
    /// after delivery, at least the contract end).
    SupportEnd,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Dependency {
    pub question: String,
    /// The answers of that question (canonical values) that make this one asked.
    #[serde(deserialize_with = "answer_values")]
    pub answers: Vec<String>,
}

/// A list of canonical answer values. YAML 1.1 readers take a bare `yes` or `no` for a
/// boolean, so booleans are read back as the words.
fn answer_values<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let words = Vec::<Word>::deserialize(d)?;
    Ok(words.into_iter().map(Word::canonical).collect())
}

/// An answer value as YAML reads it.
#[derive(Deserialize)]
#[serde(untagged)]
enum Word {
    Bool(bool),
    Text(String),
}

impl Word {
    fn canonical(self) -> String {
        match self {
            Word::Bool(true) => YES.to_string(),
            Word::Bool(false) => NO.to_string(),
            Word::Text(s) => s,
        }
    }
}

/// The canonical values of a `yes_no` answer.
pub const YES: &str = "yes";
pub const NO: &str = "no";
pub const PARTIAL: &str = "partial";
/// Not applicable: accepted for every type.
pub const NA: &str = "na";

/// The values of a `yes_no` answer and N/A, in dropdown order.
pub const ANSWER_VALUES: [&str; 4] = [YES, NO, PARTIAL, NA];

/// The longest word (UTF-16 units) the templates may give an answer value: the library's
/// check reserves this much of a dropdown for N/A without reading the templates.
pub const ANSWER_WORD_MAX: usize = 16;

/// Yes / No / Partial / N/A in both languages, as the templates word them (はい／いいえ／
/// 一部／該当なし): what a dropdown offers and what a vendor may write back. The library
/// owns the values; the words come from the caller, so the library reads no templates.
#[derive(Debug, Clone, Copy)]
pub struct AnswerWords<'a> {
    /// `(value, ja, en)` for each of [`ANSWER_VALUES`], in that order.
    pub words: [(&'static str, &'a str, &'a str); 4],
}

impl<'a> AnswerWords<'a> {
    /// The word for `value` (one of [`ANSWER_VALUES`]) in `lang`.
    pub fn get(&self, value: &str, lang: Lang) -> Option<&'a str> {
        self.words
            .iter()
            .find(|(v, _, _)| *v == value)
            .map(|(_, ja, en)| match lang {
                Lang::Ja => *ja,
                Lang::En => *en,
            })
    }

    /// N/A in `lang`.
    pub fn na(&self, lang: Lang) -> &'a str {
        self.get(NA, lang).unwrap_or(NA)
    }
}

impl Question {
    /// The canonical values the question offers: N/A only where the question allows it (a
    /// question that must apply does not offer it).
    pub fn values(&self) -> Vec<&str> {
        let mut v: Vec<&str> = match self.kind {
            AnswerType::YesNo => vec![YES, NO, PARTIAL],
            AnswerType::Choice => self.choices.iter().map(|c| c.value.as_str()).collect(),
            _ => Vec::new(),
        };
        if self.allow_na {
            v.push(NA);
        }
        v
    }

    /// The label of canonical value `value` in `lang`: yes/no and N/A in `words`, a choice
    /// by its label.
    pub fn label(&self, value: &str, lang: Lang, words: &AnswerWords<'_>) -> Option<String> {
        if let Some(word) = words.get(value, lang) {
            let na_or_yes_no = self.kind == AnswerType::YesNo || value == NA;
            if na_or_yes_no {
                return Some(word.to_string());
            }
        }
        self.choices
            .iter()
            .find(|c| c.value == value)
            .map(|c| c.label.get(lang).to_string())
    }

    /// The labels a dropdown offers, in `lang`.
    pub fn labels(&self, lang: Lang, words: &AnswerWords<'_>) -> Vec<String> {
        self.values()
            .into_iter()
            .filter_map(|v| self.label(v, lang, words))
            .collect()
    }

    /// The labels of the question's own choices in `lang` (none for `yes_no`).
    pub fn choice_labels(&self, lang: Lang) -> Vec<&str> {
        self.choices.iter().map(|c| c.label.get(lang)).collect()
    }

    /// The canonical value of an answer written as a value or a label in either language
    /// (compared after Unicode NFKC and case folding), if the question accepts it.
    pub fn parse_value(&self, answer: &str, words: &AnswerWords<'_>) -> Option<&str> {
        let wanted = fold(answer);
        // N/A is read in any question, offered or not, so that evaluation can send it to
        // review with its reason instead of refusing the whole file.
        if is_na(&wanted, words) {
            return Some(NA);
        }
        self.values().into_iter().find(|v| {
            fold(v) == wanted
                || Lang::ALL
                    .iter()
                    .any(|&l| self.label(v, l, words).is_some_and(|x| fold(&x) == wanted))
        })
    }
}

/// Whether a folded answer means "not applicable" (N/A, 該当なし), in either language.
pub fn is_na(folded: &str, words: &AnswerWords<'_>) -> bool {
    matches!(folded, "n/a" | "na" | "n.a.")
        || Lang::ALL.iter().any(|&l| folded == fold(words.na(l)))
}

/// NFKC, trimmed, lower-case: `Ｙｅｓ` and ` yes ` both become `yes`.
pub fn fold(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfkc().collect::<String>().trim().to_lowercase()
}
