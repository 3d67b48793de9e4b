//! Writing a [`Comparison`](super::Comparison): terminal text, Markdown and HTML redlines,
//! JSON, the 新旧対照表, and both as Word documents, all through [`report`]. Their words are
//! labels of `templates/diff.labels.yaml`. Every format escapes the contract's text; none
//! reads the clock.

mod docx;
mod html;
pub mod json;
mod markdown;
mod shinkyu;
mod text;

use chrono::NaiveDate;

use super::{ClauseDiff, Comparison};
use crate::error::Error;
use crate::lang::Lang;
use crate::render::{Templates, fill};

/// The formats of a comparison report. Adding one here (and to [`report`]) adds it to
/// `chotatsu diff --format`, `/api/diff` and every other caller of [`report`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A summary and each changed clause, the words marked [-deleted-] {+inserted+} (in
    /// colour on a terminal).
    Text,
    /// The same as Markdown (deletions and insertions as <del>/<ins>).
    Md,
    /// The redline as an HTML page (<del>/<ins>).
    Html,
    /// Every clause's status, numbers and word-level edits as JSON (docs/diff.md).
    Json,
    /// The 新旧対照表 (shinkyū taishōhyō, the table of an amendment: new text beside old,
    /// changes underlined, unchanged clauses folded as （略）) as an HTML page, landscape A4.
    Shinkyu,
    /// The redline as a Word document with tracked changes.
    Docx,
    /// The 新旧対照表 as a Word table on landscape A4.
    ShinkyuDocx,
}

impl Format {
    /// A Word document: bytes that are not text (never for a terminal).
    pub fn is_binary(self) -> bool {
        matches!(self, Format::Docx | Format::ShinkyuDocx)
    }
}

/// What a report shows besides the comparison itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// The two versions' names (in the redlines' heading and the Word documents' footer).
    pub names: Names,
    /// The 新旧対照表's date; without one, a blank to fill in.
    pub date: Option<NaiveDate>,
    /// ANSI colours in the text report.
    pub color: bool,
}

/// The report of `cmp` in `format`, its words from the labels of `templates` in the
/// documents' language (the text report's in English).
pub fn report(
    cmp: &Comparison,
    format: Format,
    options: &Options,
    templates: &Templates,
) -> Result<Vec<u8>, Error> {
    let labels = || Labels::load(templates, cmp.lang);
    Ok(match format {
        Format::Text => {
            text::render(cmp, options.color, &Labels::load(templates, Lang::En)?).into_bytes()
        }
        Format::Md => markdown::render(cmp, &options.names, &labels()?).into_bytes(),
        Format::Html => html::render(cmp, &options.names, &labels()?).into_bytes(),
        Format::Json => json::render(cmp)
            .map_err(|e| Error::Diff(e.to_string()))?
            .into_bytes(),
        Format::Shinkyu => shinkyu::render(cmp, options.date, &labels()?).into_bytes(),
        Format::Docx => docx::redline_docx(cmp, &options.names, &labels()?),
        Format::ShinkyuDocx => docx::shinkyu_docx(cmp, &options.names, options.date, &labels()?),
    })
}

/// Names shown for the two versions (file names, never full paths, so output is stable).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names {
    pub old: String,
    pub new: String,
}

/// Words of the reports in one language, from `templates/diff.labels.yaml`.
pub(crate) struct Labels<'t> {
    pub title: &'t str,
    pub added: &'t str,
    pub deleted: &'t str,
    pub modified: &'t str,
    pub unchanged: &'t str,
    pub moved: &'t str,
    pub renumbered: &'t str,
    pub inserted: &'t str,
    pub new: &'t str,
    pub old: &'t str,
    pub remarks: &'t str,
    pub omitted: &'t str,
    pub remarks_separator: &'t str,
    pub shinkyu_title: &'t str,
    /// The 新旧対照表's date line when no date is given: a blank to fill in.
    pub date_blank: &'t str,
    /// `{name}`: the 新旧対照表's title with the contract's name.
    shinkyu_title_of: &'t str,
    /// `{title}`, `{old}`, `{new}`: the Word documents' footer.
    footer: &'t str,
    /// `{added}` … `{renumbered}`: the terminal report's summary.
    summary_line: &'t str,
}

impl<'t> Labels<'t> {
    /// Every label of the reports in `lang`; a missing one (or a pattern naming a field it
    /// is not given) is an error.
    pub fn load(templates: &'t Templates, lang: Lang) -> Result<Labels<'t>, Error> {
        let get = |key: &str| templates.get(key, lang);
        Ok(Labels {
            title: get("diff_title")?,
            added: get("diff_added")?,
            deleted: get("diff_deleted")?,
            modified: get("diff_modified")?,
            unchanged: get("diff_unchanged")?,
            moved: get("diff_moved")?,
            renumbered: get("diff_renumbered")?,
            inserted: get("diff_inserted")?,
            new: get("diff_new")?,
            old: get("diff_old")?,
            remarks: get("diff_remarks")?,
            omitted: get("diff_omitted")?,
            remarks_separator: get("diff_remarks_separator")?,
            shinkyu_title: get("diff_shinkyu_title")?,
            date_blank: get("diff_date_blank")?,
            shinkyu_title_of: templates.pattern("diff_shinkyu_title_of", lang, &["name"])?,
            footer: templates.pattern("diff_footer", lang, &["title", "old", "new"])?,
            summary_line: templates.pattern("diff_summary_line", lang, &SUMMARY_FIELDS)?,
        })
    }

    /// The 新旧対照表's title for a contract named `name`.
    pub fn shinkyu_title_of(&self, name: &str) -> String {
        fill(self.shinkyu_title_of, &[("name", name)])
    }

    /// The Word documents' footer: the document's title and the versions' names.
    pub fn footer(&self, title: &str, names: &Names) -> String {
        fill(
            self.footer,
            &[("title", title), ("old", &names.old), ("new", &names.new)],
        )
    }

    /// The summary's counts in one line.
    pub fn summary_line(&self, cmp: &Comparison) -> String {
        let counts = summary_cells(cmp, self).map(|(_, n)| n.to_string());
        let values: Vec<(&str, &str)> = SUMMARY_FIELDS
            .iter()
            .zip(&counts)
            .map(|(field, count)| (*field, count.as_str()))
            .collect();
        fill(self.summary_line, &values)
    }
}

/// The fields of `diff_summary_line`, in the order of [`summary_cells`].
const SUMMARY_FIELDS: [&str; 6] = [
    "added",
    "deleted",
    "modified",
    "unchanged",
    "moved",
    "renumbered",
];

/// Escape text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\u{feff}' => {}
            _ => out.push(c),
        }
    }
    out
}

/// The label of a clause, from NEW when it exists: its path when it sits in a division
/// (`附則（平成三〇年法律第三三号）第三条`), else its number; its heading (or its first words); and
/// the library clause ID when it has one that is not already its number.
pub(crate) fn clause_label(cmp: &Comparison, c: &ClauseDiff) -> String {
    let Some(seg) = cmp.segment_of(c) else {
        return String::new();
    };
    let mut label = seg.label();
    if let (Some(path), Some(number)) = (&seg.path, &seg.number)
        && path.trim_end_matches('.') != number.trim_end_matches('.')
    {
        label = format!("{path} {}", seg.heading.as_deref().unwrap_or(""))
            .trim_end()
            .to_string();
    }
    if let Some(id) = cmp.clause_id_of(c)
        && seg.number.as_deref() != Some(id)
    {
        label.push_str(&format!(" [{id}]"));
    }
    label
}

/// The flags of a changed clause in words, e.g. `Modified · Moved · Renumbered (3. → 4.)`.
pub(crate) fn describe(cmp: &Comparison, c: &ClauseDiff, labels: &Labels) -> String {
    use super::ClauseStatus::*;
    let mut parts: Vec<String> = Vec::new();
    match c.status {
        Added => parts.push(labels.added.to_string()),
        Deleted => parts.push(labels.deleted.to_string()),
        Modified => parts.push(labels.modified.to_string()),
        Unchanged => {}
    }
    if c.moved {
        parts.push(labels.moved.to_string());
    }
    if c.renumbered {
        let old = c
            .old
            .and_then(|o| cmp.old[o].number.clone())
            .unwrap_or_default();
        let new = c
            .new
            .and_then(|n| cmp.new[n].number.clone())
            .unwrap_or_default();
        parts.push(format!("{} ({old} → {new})", labels.renumbered));
    }
    parts.join(" · ")
}

/// Wrap each line of `text` in `open`…`close`, so no tag spans a line break.
pub(crate) fn wrap_lines(out: &mut String, text: &str, open: &str, close: &str) {
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        // Output lines end in LF whatever the input used.
        let body = line.strip_suffix('\r').unwrap_or(line);
        if !body.is_empty() {
            out.push_str(open);
            out.push_str(&escape_html(body));
            out.push_str(close);
        }
    }
}

/// Opening and closing markup for each kind of run in a redline.
pub(crate) struct Tags {
    pub delete: (&'static str, &'static str),
    pub insert: (&'static str, &'static str),
    pub moved: (&'static str, &'static str),
}

/// A clause's text as escaped markup: its redline, or its plain text when unchanged.
pub(crate) fn redline_markup(cmp: &Comparison, c: &ClauseDiff, tags: &Tags) -> String {
    let mut out = String::new();
    let equal = if c.moved { tags.moved } else { ("", "") };
    if c.status == super::ClauseStatus::Unchanged {
        if let Some(n) = c.new {
            wrap_lines(&mut out, cmp.new[n].display(), equal.0, equal.1);
        }
        return out;
    }
    for e in &c.edits {
        let (open, close) = match e.op {
            super::redline::EditOp::Equal => equal,
            super::redline::EditOp::Delete => tags.delete,
            super::redline::EditOp::Insert => tags.insert,
        };
        wrap_lines(&mut out, &e.text, open, close);
    }
    out
}

/// The summary as (label, count) pairs, in the JSON order.
pub(crate) fn summary_cells<'t>(cmp: &Comparison, labels: &Labels<'t>) -> [(&'t str, usize); 6] {
    let s = &cmp.summary;
    [
        (labels.added, s.added),
        (labels.deleted, s.deleted),
        (labels.modified, s.modified),
        (labels.unchanged, s.unchanged),
        (labels.moved, s.moved),
        (labels.renumbered, s.renumbered),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_of_the_reports_is_in_both_languages() {
        let templates = Templates::bundled().unwrap();
        for lang in Lang::ALL {
            let labels = Labels::load(&templates, lang).unwrap();
            for label in [
                labels.title,
                labels.added,
                labels.deleted,
                labels.modified,
                labels.unchanged,
                labels.moved,
                labels.renumbered,
                labels.inserted,
                labels.new,
                labels.old,
                labels.remarks,
                labels.omitted,
                labels.remarks_separator,
                labels.shinkyu_title,
                labels.date_blank,
                labels.shinkyu_title_of,
                labels.footer,
                labels.summary_line,
            ] {
                assert!(!label.trim().is_empty(), "a blank label in {lang}");
            }
        }
    }

    #[test]
    fn the_labels_with_fields_read_as_before() {
        let templates = Templates::bundled().unwrap();
        let names = Names {
            old: "old.docx".to_string(),
            new: "new.docx".to_string(),
        };
        let ja = Labels::load(&templates, Lang::Ja).unwrap();
        assert_eq!(
            ja.shinkyu_title_of("業務委託契約書"),
            "業務委託契約書　新旧対照表"
        );
        assert_eq!(
            ja.footer(ja.shinkyu_title, &names),
            "新旧対照表　old.docx → new.docx"
        );
        let en = Labels::load(&templates, Lang::En).unwrap();
        assert_eq!(
            en.shinkyu_title_of("Services Agreement"),
            "Services Agreement: comparison table"
        );
        assert_eq!(
            en.footer(en.title, &names),
            "Contract comparison: old.docx → new.docx"
        );
        let cmp = crate::diff::compare(
            "1. Alpha.\n\n2. The vendor reports within 30 days.\n",
            "1. Alpha.\n\n2. The vendor reports within 14 days.\n\n3. Delta.\n",
        );
        assert_eq!(
            en.summary_line(&cmp),
            "1 added, 0 deleted, 1 modified, 1 unchanged, 0 moved, 0 renumbered"
        );
    }
}
