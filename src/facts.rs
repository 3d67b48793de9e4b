//! The basic facts every other module agrees on, kept at the bottom of the library so that
//! nothing above has to import a neighbour to learn them: the risk tier bounds, the contract
//! types and procurement stages, and the grammar of clause IDs.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// The lowest and the highest risk tier.
pub const MIN_TIER: u8 = 1;
pub const MAX_TIER: u8 = 3;

/// What kind of contract a procurement is; clauses declare the types they apply to.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum ContractType {
    /// 受託開発: software built to order and delivered.
    Development,
    /// パッケージ・ライセンス: a licensed product, delivered and installed.
    Package,
    /// クラウドサービス利用: a subscription to a service the vendor runs.
    Saas,
    /// 運用保守: operation and maintenance of a system already in place.
    Operation,
}

impl ContractType {
    pub const ALL: [ContractType; 4] = [
        ContractType::Development,
        ContractType::Package,
        ContractType::Saas,
        ContractType::Operation,
    ];

    /// The value a profile and a clause write.
    pub fn key(self) -> &'static str {
        match self {
            ContractType::Development => "development",
            ContractType::Package => "package",
            ContractType::Saas => "saas",
            ContractType::Operation => "operation",
        }
    }

    /// The four values, for messages: `development, package, saas, operation`.
    pub fn listing() -> String {
        ContractType::ALL
            .iter()
            .map(|t| t.key())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for ContractType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// The stage of a procurement a document belongs to: the request for proposals bidders
/// answer, or the contract the winner signs.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// 調達仕様書（提案依頼）: what bidders submit and how it is evaluated.
    Rfp,
    /// 契約書別紙: the obligations of the parties.
    #[default]
    Contract,
}

impl Stage {
    pub const ALL: [Stage; 2] = [Stage::Rfp, Stage::Contract];

    pub fn key(self) -> &'static str {
        match self {
            Stage::Rfp => "rfp",
            Stage::Contract => "contract",
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ParamType {
    Integer,
    String,
    Boolean,
    /// Some of the values a parameter declares under `choices` (the cloud service lists a
    /// procurement accepts, say): a list in YAML, an array in a clause body.
    Set,
}

impl fmt::Display for ParamType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ParamType::Integer => "integer",
            ParamType::String => "string",
            ParamType::Boolean => "boolean",
            ParamType::Set => "set",
        })
    }
}

/// A parameter's value, as written in YAML: read by its shape (see the `Deserialize` below),
/// written as the value alone.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(untagged)]
pub enum ParamValue {
    Boolean(bool),
    Integer(i64),
    String(String),
    Set(Vec<String>),
}

/// What reading a value that is none of a [`ParamValue`]'s shapes says: the words serde gives
/// an untagged enum, which `yaml::friendlier` turns into a message for the reader.
pub const NOT_A_PARAM_VALUE: &str = "data did not match any variant of untagged enum ParamValue";

/// A [`ParamValue`] read by the shape the reader found: as serde's untagged enum reads it
/// (a boolean, a whole number within `i64`, a text, a list of texts, or the error
/// [`NOT_A_PARAM_VALUE`]), without trying each variant in turn. Trying them made an error
/// for every variant that did not match, and the bundled library's values made some 400 of
/// them each time a command started.
impl<'de> Deserialize<'de> for ParamValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ParamValueVisitor)
    }
}

struct ParamValueVisitor;

impl<'de> serde::de::Visitor<'de> for ParamValueVisitor {
    type Value = ParamValue;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a whole number, true or false, a text, or a list of texts")
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<ParamValue, E> {
        Ok(ParamValue::Boolean(v))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<ParamValue, E> {
        Ok(ParamValue::Integer(v))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<ParamValue, E> {
        i64::try_from(v)
            .map(ParamValue::Integer)
            .map_err(|_| E::custom(NOT_A_PARAM_VALUE))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ParamValue, E> {
        Ok(ParamValue::String(v.to_string()))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<ParamValue, E> {
        Ok(ParamValue::String(v))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<ParamValue, A::Error> {
        let mut values = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        // An element that is not a text makes the whole value none of the shapes; an error
        // of the reader itself (a file too deep, say) is passed on as it is.
        while let Some(SetElement(value)) = seq.next_element()? {
            values.push(value.ok_or_else(|| serde::de::Error::custom(NOT_A_PARAM_VALUE))?);
        }
        Ok(ParamValue::Set(values))
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<ParamValue, E> {
        Err(E::custom(NOT_A_PARAM_VALUE))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<ParamValue, E> {
        Err(E::custom(NOT_A_PARAM_VALUE))
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<ParamValue, E> {
        Err(E::custom(NOT_A_PARAM_VALUE))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, _: A) -> Result<ParamValue, A::Error> {
        Err(serde::de::Error::custom(NOT_A_PARAM_VALUE))
    }
}

/// One value of a set: its text, or `None` for anything else (read through and dropped).
struct SetElement(Option<String>);

impl<'de> Deserialize<'de> for SetElement {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::IgnoredAny;
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = SetElement;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a text")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<SetElement, E> {
                Ok(SetElement(Some(v.to_string())))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<SetElement, E> {
                Ok(SetElement(Some(v)))
            }
            fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<SetElement, E> {
                Ok(SetElement(None))
            }
            fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<SetElement, E> {
                Ok(SetElement(None))
            }
            fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<SetElement, E> {
                Ok(SetElement(None))
            }
            fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<SetElement, E> {
                Ok(SetElement(None))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<SetElement, E> {
                Ok(SetElement(None))
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<SetElement, E> {
                Ok(SetElement(None))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<SetElement, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(SetElement(None))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<SetElement, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(SetElement(None))
            }
        }
        d.deserialize_any(Visit)
    }
}

impl ParamValue {
    pub fn kind(&self) -> ParamType {
        match self {
            ParamValue::Boolean(_) => ParamType::Boolean,
            ParamValue::Integer(_) => ParamType::Integer,
            ParamValue::String(_) => ParamType::String,
            ParamValue::Set(_) => ParamType::Set,
        }
    }

    /// The value as a document shows it, a boolean in `flags` (the templates' words); a set
    /// shows its values as written (the parameter's declaration gives them their labels:
    /// `ParameterSpec::display`).
    pub fn display(&self, lang: Lang, flags: FlagWords<'_>) -> String {
        match self {
            ParamValue::Boolean(true) => flags.on.to_string(),
            ParamValue::Boolean(false) => flags.off.to_string(),
            ParamValue::Integer(n) => n.to_string(),
            ParamValue::String(s) => s.clone(),
            ParamValue::Set(v) => v.join(lang.list_separator()),
        }
    }

    /// The value as its YAML reads (`true`, `7`, `a, b`), for messages about the YAML.
    pub fn as_written(&self) -> String {
        match self {
            ParamValue::Boolean(b) => b.to_string(),
            ParamValue::Integer(n) => n.to_string(),
            ParamValue::String(s) => s.clone(),
            ParamValue::Set(v) => v.join(", "),
        }
    }
}

/// How a boolean parameter reads in one language (要／不要, required / not required): the
/// templates' labels `param_on` and `param_off`, so the bottom of the program holds no prose.
#[derive(Debug, Clone, Copy)]
pub struct FlagWords<'a> {
    pub on: &'a str,
    pub off: &'a str,
}

/// Clause IDs look like `SPEC-01` or `ORG-SUB-3`: an upper-case word, then `-` groups.
pub fn is_clause_id(s: &str) -> bool {
    let mut parts = s.split('-');
    let Some(head) = parts.next() else {
        return false;
    };
    let head_ok = head.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && head
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    let rest: Vec<&str> = parts.collect();
    head_ok
        && !rest.is_empty()
        && rest.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        })
}

/// The clause IDs written in `text` as words (between characters that cannot be part of an
/// ID), such as `LIFE-04` in 「LIFE-04の単価」: what a reader must never see in running text.
pub fn clause_ids_in(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .map(|w| w.trim_matches('-'))
        .filter(|w| is_clause_id(w) && w.chars().any(|c| c.is_ascii_digit()))
        .collect()
}

/// snake_case identifiers (`account_review_months`) in `text`: tool vocabulary a reader
/// must never see.
pub fn identifiers_in(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| {
            w.contains('_')
                && w.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                && w.split('_').all(|p| !p.is_empty())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clause_ids_are_found_in_japanese_text() {
        assert_eq!(clause_ids_in("LIFE-04の単価による見積り"), ["LIFE-04"]);
        assert_eq!(clause_ids_in("SHA-256 and ISO/IEC 27001"), ["SHA-256"]);
        assert!(clause_ids_in("第5条の単価").is_empty());
        assert!(is_clause_id("SPEC-01"));
        assert!(!is_clause_id("Spec-01"));
    }

    #[test]
    fn a_parameter_value_is_read_by_its_shape() {
        let read =
            |yaml: &str| serde_saphyr::from_str::<ParamValue>(yaml).map_err(|e| e.to_string());
        assert_eq!(read("true"), Ok(ParamValue::Boolean(true)));
        assert_eq!(read("-7"), Ok(ParamValue::Integer(-7)));
        assert_eq!(
            read("9223372036854775807"),
            Ok(ParamValue::Integer(i64::MAX))
        );
        assert_eq!(read("月次"), Ok(ParamValue::String("月次".into())));
        assert_eq!(read("'7'"), Ok(ParamValue::String("7".into())));
        assert_eq!(
            read("[a, b]"),
            Ok(ParamValue::Set(vec!["a".into(), "b".into()]))
        );
        assert_eq!(read("[]"), Ok(ParamValue::Set(Vec::new())));
        // None of the shapes: the words `yaml::friendlier` recognises.
        for bad in [
            "1.5",
            "9223372036854775808",
            "[a, 1]",
            "[[a]]",
            "[{a: 1}]",
            "[a, ~]",
            "{a: 1}",
            "~",
        ] {
            let message = read(bad).expect_err(bad);
            assert!(message.contains(NOT_A_PARAM_VALUE), "{bad}: {message}");
        }
        // The JSON build.rs embeds reads the same.
        assert_eq!(
            serde_json::from_str::<ParamValue>(r#"["a","b"]"#).ok(),
            Some(ParamValue::Set(vec!["a".into(), "b".into()]))
        );
        assert!(serde_json::from_str::<ParamValue>("1.5").is_err());
    }

    #[test]
    fn identifiers_are_snake_case_words() {
        assert_eq!(
            identifiers_in("期限（account_review_months）"),
            ["account_review_months"]
        );
        assert!(identifiers_in("__init__ or a_ b").is_empty());
    }
}
