//! Rendering documents with Tera: templates embedded from `templates/`, Markdown escaping for
//! user strings, and Markdown turned into self-contained, print-ready HTML.

pub mod browse;
pub mod html_table;
pub mod markdown;

use std::collections::BTreeMap;

use serde::Serialize;
use tera::{Context, Tera};

use crate::error::Error;
use crate::lang::{Lang, Text};
use crate::yaml;

/// `(path, contents)` of every file under `templates/`, embedded by `build.rs`.
const BUNDLED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/bundled_templates.rs"));

/// The document templates and their labels.
pub struct Templates {
    /// Markdown templates: autoescaped as Markdown text.
    markdown: Tera,
    /// HTML pages: autoescaped as HTML.
    html: Tera,
    labels: BTreeMap<String, Text>,
    styles: BTreeMap<String, String>,
}

impl Templates {
    /// The templates built into the binary.
    pub fn bundled() -> Result<Templates, Error> {
        let mut markdown = Tera::default();
        markdown.autoescape_on([".md"]);
        markdown.set_escape_fn(markdown::tera_escape);
        let mut html = Tera::default();
        html.autoescape_on([".html"]);
        let mut labels = BTreeMap::new();
        let mut styles = BTreeMap::new();
        // HTML templates are added together: a page that extends a layout needs it loaded.
        let mut pages = Vec::new();
        // Markdown templates may include one another: they are added together.
        let sources: Vec<(&str, &str)> = BUNDLED
            .iter()
            .map(|(path, text)| (path.strip_prefix("templates/").unwrap_or(path), *text))
            .filter(|(name, _)| name.ends_with(".md"))
            .collect();
        markdown
            .add_raw_templates(sources)
            .map_err(|e| Error::Template {
                name: "templates/*.md".to_string(),
                message: e.to_string(),
            })?;
        for (path, text) in BUNDLED {
            let name = path.strip_prefix("templates/").unwrap_or(path);
            if name.ends_with(".html") {
                pages.push((name, *text));
            } else if name.ends_with(".css") {
                styles.insert(name.to_string(), text.to_string());
            } else if name.ends_with("labels.yaml") {
                // `labels.yaml` and one `<document>.labels.yaml` per further document.
                let more: BTreeMap<String, Text> = yaml::parse(path, text)?;
                labels.extend(more);
            }
        }
        html.add_raw_templates(pages).map_err(|e| Error::Template {
            name: "templates/*.html".to_string(),
            message: e.to_string(),
        })?;
        Ok(Templates {
            markdown,
            html,
            labels,
            styles,
        })
    }

    /// The labels in `lang`, for a template's `l` variable.
    pub fn labels(&self, lang: Lang) -> BTreeMap<&str, &str> {
        self.labels
            .iter()
            .map(|(k, v)| (k.as_str(), v.get(lang)))
            .collect()
    }

    pub fn label(&self, key: &str, lang: Lang) -> &str {
        self.labels.get(key).map_or("", |t| t.get(lang))
    }

    /// The label `key` in `lang`; a key no labels file defines is an error, never an empty
    /// string (a document would otherwise lose a word silently). The RFP and the contract
    /// annex use only this.
    pub fn get(&self, key: &str, lang: Lang) -> Result<&str, Error> {
        self.labels
            .get(key)
            .map(|t| t.get(lang))
            .ok_or_else(|| Error::Template {
                name: "templates/labels.yaml".to_string(),
                message: format!("no label `{key}`"),
            })
    }

    /// The label `key` in `lang` as a pattern whose `{field}`s [`fill`] replaces; a field
    /// not among `fields` is an error, so a typo in a labels file never reaches a document.
    pub fn pattern(&self, key: &str, lang: Lang, fields: &[&str]) -> Result<&str, Error> {
        let pattern = self.get(key, lang)?;
        for field in fields_of(pattern) {
            if !fields.contains(&field) {
                return Err(Error::Template {
                    name: "templates/labels.yaml".to_string(),
                    message: format!(
                        "label `{key}` ({lang}) has the field `{{{field}}}`; it may use {}",
                        fields
                            .iter()
                            .map(|f| format!("`{{{f}}}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
            }
        }
        Ok(pattern)
    }

    /// Render the Markdown template `name` with `data` (serialised into the context).
    pub fn render_markdown<T: Serialize>(&self, name: &str, data: &T) -> Result<String, Error> {
        let context = Context::from_serialize(data).map_err(|e| template_error(name, e))?;
        self.markdown
            .render(name, &context)
            .map_err(|e| template_error(name, e))
    }

    /// Render the HTML template `name` (autoescaped) with `data` serialised into the context.
    pub fn render_html<T: Serialize>(&self, name: &str, data: &T) -> Result<String, Error> {
        let context = Context::from_serialize(data).map_err(|e| template_error(name, e))?;
        self.html
            .render(name, &context)
            .map_err(|e| template_error(name, e))
    }

    /// Wrap a Markdown document into a self-contained HTML page.
    pub fn html_page(
        &self,
        title: &str,
        lang: Lang,
        style: &str,
        markdown: &str,
    ) -> Result<String, Error> {
        let page = HtmlPage {
            lang: lang.code(),
            title,
            running: &css_string(title),
            css: self.styles.get(style).map_or("", String::as_str),
            body: &markdown::to_html(markdown),
        };
        let context = Context::from_serialize(&page).map_err(|e| template_error("page.html", e))?;
        self.html
            .render("page.html", &context)
            .map_err(|e| template_error("page.html", e))
    }
}

#[derive(Serialize)]
struct HtmlPage<'a> {
    lang: &'a str,
    title: &'a str,
    /// The title as the inside of a CSS string, for the running head of printed pages.
    running: &'a str,
    css: &'a str,
    body: &'a str,
}

/// `s` as the inside of a double-quoted CSS string in a `<style>` element: quotes,
/// backslashes and line breaks escaped, and `<` too, so it can never close the element.
fn css_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' | '\\' | '<' | '>' | '&' => out.push_str(&format!("\\{:X} ", c as u32)),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// `pattern` (a label from [`Templates::pattern`]) with each `{field}` replaced by its value
/// in `values`; braces that name no field in `values` stay as written.
pub fn fill(pattern: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let from = &rest[open..];
        let known = field_at(from).and_then(|(field, after)| {
            let (_, value) = values.iter().find(|(name, _)| *name == field)?;
            Some((*value, after))
        });
        match known {
            Some((value, after)) => {
                out.push_str(value);
                rest = after;
            }
            None => {
                out.push('{');
                rest = &from[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The fields (`{name}`: a lower-case name in braces) of a label, in order.
fn fields_of(label: &str) -> impl Iterator<Item = &str> {
    label
        .match_indices('{')
        .filter_map(|(at, _)| field_at(&label[at..]).map(|(field, _)| field))
}

/// The `{field}` at the start of `text`: its name and the text after it.
fn field_at(text: &str) -> Option<(&str, &str)> {
    let inner = text.strip_prefix('{')?;
    let len = inner
        .find(|c: char| !(c.is_ascii_lowercase() || c == '_'))
        .unwrap_or(inner.len());
    (len > 0 && inner[len..].starts_with('}')).then(|| (&inner[..len], &inner[len + 1..]))
}

fn template_error(name: &str, e: tera::Error) -> Error {
    Error::Template {
        name: name.to_string(),
        message: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_label_is_an_error_not_an_empty_string() {
        let t = Templates::bundled().unwrap();
        assert_eq!(t.get("title", Lang::Ja).unwrap(), "別紙 セキュリティ要件");
        let err = t.get("no_such_label", Lang::Ja).unwrap_err().to_string();
        assert!(err.contains("no label `no_such_label`"), "{err}");
        // In a template too: `l` holds only the defined labels.
        let mut tera = Tera::default();
        tera.add_raw_template("t.md", "{{ l.no_such_label }}")
            .unwrap();
        let context =
            Context::from_serialize(&serde_json::json!({ "l": t.labels(Lang::Ja) })).unwrap();
        assert!(tera.render("t.md", &context).is_err());
    }

    #[test]
    fn a_pattern_naming_a_field_it_is_not_given_is_an_error() {
        let t = Templates::bundled().unwrap();
        let footer = t
            .pattern("diff_footer", Lang::Ja, &["title", "old", "new"])
            .unwrap();
        assert_eq!(footer, "{title}　{old} → {new}");
        let err = t
            .pattern("diff_footer", Lang::Ja, &["title", "old"])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(
                "label `diff_footer` (ja) has the field `{new}`; it may use `{title}`, `{old}`"
            ),
            "{err}"
        );
        assert!(t.pattern("no_such_label", Lang::Ja, &[]).is_err());
    }

    #[test]
    fn fill_replaces_each_field_once_and_leaves_other_braces() {
        let values = [("name", "{old} 契約"), ("old", "a.md")];
        assert_eq!(
            fill("{name}　新旧対照表 {old} {x} {} {Name", &values),
            "{old} 契約　新旧対照表 a.md {x} {} {Name"
        );
        assert_eq!(fill("no fields", &values), "no fields");
    }
}
