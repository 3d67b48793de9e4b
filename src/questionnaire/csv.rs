//! The questionnaire as CSV: UTF-8 with a byte-order mark (without one, Excel on Japanese
//! Windows reads the file as Shift_JIS), RFC 4180 quoting and CRLF line ends. The first
//! record carries the procurement ID, the second the column headers, then one record per
//! question with the answer columns empty.

use super::{COLUMNS, Hints, PROCUREMENT_LABEL, Questionnaire, neutralise, pick};
use crate::error::Error;
use crate::lang::Lang;

pub const BOM: &str = "\u{feff}";

pub fn write(
    qn: &Questionnaire<'_>,
    lang: Lang,
    templates: &crate::render::Templates,
) -> Result<Vec<u8>, Error> {
    let hints = Hints::resolve(templates)?;
    let p = &qn.selection.profile.procurement;
    let mut records: Vec<Vec<String>> = vec![
        vec![
            pick(PROCUREMENT_LABEL, lang).to_string(),
            p.id.clone(),
            p.title.clone(),
        ],
        COLUMNS.iter().map(|c| pick(*c, lang).to_string()).collect(),
    ];
    for r in qn.rows(lang, &hints) {
        records.push(vec![
            r.id.to_string(),
            r.requirement,
            r.question,
            String::new(),
            r.evidence,
            String::new(),
            String::new(),
        ]);
    }
    to_csv(&records, &format!("questionnaire.{lang}.csv"))
}

/// Records to CSV bytes with a BOM; every field neutralised.
pub fn to_csv(records: &[Vec<String>], name: &str) -> Result<Vec<u8>, Error> {
    let mut w = ::csv::WriterBuilder::new()
        .flexible(true)
        .terminator(::csv::Terminator::CRLF)
        .from_writer(BOM.as_bytes().to_vec());
    let err = |e: &dyn std::fmt::Display| Error::Workbook {
        name: name.to_string(),
        message: e.to_string(),
    };
    for record in records {
        w.write_record(record.iter().map(|f| neutralise(f).into_owned()))
            .map_err(|e| err(&e))?;
    }
    w.into_inner().map_err(|e| err(&e))
}
