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

/// The folder of the web app's pages, inside `templates/`.
const WEB: &str = "web/";

/// A Tera instance for HTML pages: everything it renders is escaped as HTML.
fn html_tera() -> Tera {
    let mut html = Tera::default();
    html.autoescape_on([".html"]);
    html
}

/// Templates compiled on first use, or why they did not compile.
type Compiled = std::sync::OnceLock<Result<Tera, String>>;

/// The document templates and their labels.
pub struct Templates {
    /// Markdown templates (autoescaped as Markdown text), each compiled the first time it is
    /// rendered: none includes another, and a command writes one or two of the five
    /// (compiling all of them was a twelfth of what writing one annex took). A test compiles
    /// every one.
    markdown: BTreeMap<&'static str, (&'static str, Compiled)>,
    /// HTML pages of documents: autoescaped as HTML.
    html: Tera,
    /// The web app's pages (`web/…`, autoescaped as HTML), compiled the first time one is
    /// rendered or [`Templates::web`] is called: a command that writes documents never needs
    /// them, and compiling them was a tenth of what writing one annex took.
    web: Compiled,
    labels: BTreeMap<String, Text>,
    /// The labels files read, for messages naming where a label was looked for.
    label_files: Vec<String>,
    styles: BTreeMap<String, String>,
}

impl Templates {
    /// The templates built into the binary.
    pub fn bundled() -> Result<Templates, Error> {
        let mut html = html_tera();
        let mut labels = BTreeMap::new();
        let mut label_files = Vec::new();
        let mut styles = BTreeMap::new();
        // HTML templates are added together: a page that extends a layout needs it loaded.
        let mut pages = Vec::new();
        let markdown = BUNDLED
            .iter()
            .map(|(path, text)| (path.strip_prefix("templates/").unwrap_or(path), *text))
            .filter(|(name, _)| name.ends_with(".md"))
            .map(|(name, text)| (name, (text, std::sync::OnceLock::new())))
            .collect();
        for (path, text) in BUNDLED {
            let name = path.strip_prefix("templates/").unwrap_or(path);
            if name.ends_with(".html") && !name.starts_with(WEB) {
                pages.push((name, *text));
            } else if name.ends_with(".css") {
                styles.insert(name.to_string(), text.to_string());
            } else if name.ends_with("labels.yaml") {
                // `labels.yaml` and one `<document>.labels.yaml` per further document.
                let more: BTreeMap<String, Text> = yaml::parse_bundled(path, text)?;
                labels.extend(more);
                label_files.push(path.to_string());
            }
        }
        html.add_raw_templates(pages).map_err(|e| Error::Template {
            name: "templates/*.html".to_string(),
            message: e.to_string(),
        })?;
        let templates = Templates {
            markdown,
            html,
            web: std::sync::OnceLock::new(),
            labels,
            label_files,
            styles,
        };
        // The answer words fit the room the library's check leaves them in a dropdown.
        templates.answer_words()?;
        Ok(templates)
    }

    /// The labels in `lang`, for a template's `l` variable.
    pub fn labels(&self, lang: Lang) -> BTreeMap<&str, &str> {
        self.labels
            .iter()
            .map(|(k, v)| (k.as_str(), v.get(lang)))
            .collect()
    }

    /// The label `key` in `lang`; a key no labels file defines is an error naming the key and
    /// the files looked in, never an empty string (a document would otherwise lose a word
    /// silently). Documents resolve their labels once, up front, through [`labels!`].
    pub fn get(&self, key: &str, lang: Lang) -> Result<&str, Error> {
        self.labels
            .get(key)
            .map(|t| t.get(lang))
            .ok_or_else(|| Error::Template {
                name: "templates/*labels.yaml".to_string(),
                message: format!("no label `{key}` in {}", self.label_files.join(", ")),
            })
    }

    /// How a yes/no parameter reads in `lang` (labels `param_on`, `param_off`).
    pub fn flag_words(&self, lang: Lang) -> Result<crate::facts::FlagWords<'_>, Error> {
        Ok(crate::facts::FlagWords {
            on: self.get("param_on", lang)?,
            off: self.get("param_off", lang)?,
        })
    }

    /// Yes / No / Partial / N/A in both languages (labels `answer_<value>`), each at most
    /// [`ANSWER_WORD_MAX`](crate::library::question::ANSWER_WORD_MAX) long, the room the
    /// library's check leaves a dropdown for them.
    pub fn answer_words(&self) -> Result<crate::library::question::AnswerWords<'_>, Error> {
        use crate::library::question::{ANSWER_VALUES, ANSWER_WORD_MAX, AnswerWords};
        let word = |value: &'static str| -> Result<(&'static str, &str, &str), Error> {
            let key = format!("answer_{value}");
            let (ja, en) = (self.get(&key, Lang::Ja)?, self.get(&key, Lang::En)?);
            for (lang, word) in [(Lang::Ja, ja), (Lang::En, en)] {
                if word.encode_utf16().count() > ANSWER_WORD_MAX {
                    return Err(Error::Template {
                        name: "templates/questionnaire.labels.yaml".to_string(),
                        message: format!(
                            "label `{key}` ({lang}) is longer than {ANSWER_WORD_MAX} characters"
                        ),
                    });
                }
            }
            Ok((value, ja, en))
        };
        let [yes, no, partial, na] = ANSWER_VALUES;
        Ok(AnswerWords {
            words: [word(yes)?, word(no)?, word(partial)?, word(na)?],
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

    /// These templates without the label `key`: how a test sees a missing label reported.
    #[cfg(test)]
    pub(crate) fn without_label(mut self, key: &str) -> Templates {
        self.labels.remove(key);
        self
    }

    /// Render the Markdown template `name` with `data` (serialised into the context).
    pub fn render_markdown<T: Serialize>(&self, name: &str, data: &T) -> Result<String, Error> {
        let context = Context::from_serialize(data).map_err(|e| template_error(name, e))?;
        self.markdown_template(name)?
            .render(name, &context)
            .map_err(|e| template_error(name, e))
    }

    /// The Markdown template `name`, compiled on first use.
    fn markdown_template(&self, name: &str) -> Result<&Tera, Error> {
        let (source, cell) = self.markdown.get(name).ok_or_else(|| Error::Template {
            name: format!("templates/{name}"),
            message: "no such template".to_string(),
        })?;
        let compiled = cell.get_or_init(|| {
            let mut tera = markdown::tera();
            tera.add_raw_template(name, source)
                .map_err(|e| e.to_string())?;
            Ok(tera)
        });
        compiled.as_ref().map_err(|message| Error::Template {
            name: format!("templates/{name}"),
            message: message.clone(),
        })
    }

    /// Render the HTML template `name` (autoescaped) with `data` serialised into the context.
    pub fn render_html<T: Serialize>(&self, name: &str, data: &T) -> Result<String, Error> {
        let context = Context::from_serialize(data).map_err(|e| template_error(name, e))?;
        let tera = if name.starts_with(WEB) {
            self.web()?
        } else {
            &self.html
        };
        tera.render(name, &context)
            .map_err(|e| template_error(name, e))
    }

    /// The web app's pages, compiled on first use; the web app calls it before it serves,
    /// so a template that does not compile stops it at once.
    pub fn web(&self) -> Result<&Tera, Error> {
        let compiled = self.web.get_or_init(|| {
            let mut web = html_tera();
            let pages = BUNDLED
                .iter()
                .map(|(path, text)| (path.strip_prefix("templates/").unwrap_or(path), *text))
                .filter(|(name, _)| name.starts_with(WEB) && name.ends_with(".html"));
            web.add_raw_templates(pages).map_err(|e| e.to_string())?;
            Ok(web)
        });
        compiled.as_ref().map_err(|message| Error::Template {
            name: format!("templates/{WEB}*.html"),
            message: message.clone(),
        })
    }

    /// Wrap a Markdown document into a self-contained HTML page.
    pub fn html_page(
        &self,
        title: &str,
        lang: Lang,
        style: &str,
        markdown: &str,
    ) -> Result<String, Error> {
        self.html_page_of(title, lang, style, markdown::events(markdown))
    }

    /// [`Templates::html_page`] of a document already parsed ([`markdown::events`]).
    pub fn html_page_of<'a>(
        &self,
        title: &str,
        lang: Lang,
        style: &str,
        events: impl Iterator<Item = pulldown_cmark::Event<'a>>,
    ) -> Result<String, Error> {
        self.html_page_with(title, lang, &[style], |out| {
            markdown::push_html(out, events)
        })
    }

    /// The page `title` (the stylesheets `styles`, in order; `lang` for the reader) with the
    /// body that `body` writes: HTML the caller has made safe, such as
    /// [`markdown::push_html`]'s.
    pub fn html_page_with(
        &self,
        title: &str,
        lang: Lang,
        styles: &[&str],
        body: impl FnOnce(&mut String),
    ) -> Result<String, Error> {
        let sheet = |style: &str| self.styles.get(style).map_or("", String::as_str);
        // One stylesheet (every document's) is borrowed, not copied into each page.
        let css: std::borrow::Cow<str> = match styles {
            [one] => sheet(one).into(),
            many => many
                .iter()
                .map(|style| sheet(style))
                .collect::<String>()
                .into(),
        };
        let page = HtmlPage {
            lang: lang.code(),
            title,
            running: &css_string(title),
            css: &css,
            body: BODY_PLACE,
        };
        let context = Context::from_serialize(&page).map_err(|e| template_error("page.html", e))?;
        let page = self
            .html
            .render("page.html", &context)
            .map_err(|e| template_error("page.html", e))?;
        // The body goes where the page shows it, whole: it does not pass through the
        // template engine, which would copy the document twice and read it through again.
        // The page shows nothing of the user's after the body, so its last place mark is the
        // body's, whatever a title holds.
        Ok(match page.rsplit_once(BODY_PLACE) {
            Some((head, tail)) => {
                // An annex's page is about 100 KB: written into a string that seldom grows.
                let mut out = String::with_capacity(head.len() + tail.len() + 64 * 1024);
                out.push_str(head);
                body(&mut out);
                out.push_str(tail);
                out
            }
            None => page,
        })
    }
}

/// A struct of the labels one document uses, one `&str` field per label key (the field's
/// name is the key), resolved in one language by `resolve(templates, lang)`: the first key no
/// labels file defines is an error naming it, so a document is never written with a label
/// missing, and the code that writes it reads `l.q_title` without a `?` at every use.
macro_rules! labels {
    ($(#[$meta:meta])* $vis:vis struct $name:ident { $($key:ident),* $(,)? }) => {
        $(#[$meta])*
        $vis struct $name<'a> {
            $(pub $key: &'a str,)*
        }

        impl<'a> $name<'a> {
            pub fn resolve(
                t: &'a $crate::render::Templates,
                lang: $crate::lang::Lang,
            ) -> Result<Self, $crate::error::Error> {
                Ok($name {
                    $($key: t.get(stringify!($key), lang)?,)*
                })
            }
        }
    };
}
pub(crate) use labels;

/// The labels `keys` in `lang`, in order, each strictly (see [`Templates::get`]).
pub fn resolve_all<K: AsRef<str>>(
    t: &Templates,
    keys: impl IntoIterator<Item = K>,
    lang: Lang,
) -> Result<Vec<&str>, Error> {
    keys.into_iter().map(|k| t.get(k.as_ref(), lang)).collect()
}

/// What `page.html` is given as the body, to be replaced by the document: a character no
/// document or template has (from Unicode's private use area) around a word.
const BODY_PLACE: &str = "\u{e000}body\u{e000}";

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

    impl Templates {
        /// Every `l.<key>` in a template's tags names a defined label, so a label missing from a
        /// branch a document rarely takes (no findings, no exclusions) is found, not only when a
        /// run reaches it. The templates and labels are built into the binary: a test holds them
        /// to this (`every_label_a_template_uses_is_defined`), and a command does not read every
        /// template again to check it (that was 2 % of an annex).
        fn check_references(&self) -> Result<(), Error> {
            let missing = BUNDLED
                .iter()
                .filter(|(path, _)| path.ends_with(".html") || path.ends_with(".md"))
                .flat_map(|(path, text)| {
                    label_references(text)
                        .into_iter()
                        .map(move |key| (path, key))
                })
                .find(|(_, key)| !self.labels.contains_key(*key));
            match missing {
                Some((template, key)) => Err(Error::Template {
                    name: template.to_string(),
                    message: format!(
                        "no label `{key}` in {} (the template uses `l.{key}`)",
                        self.label_files.join(", ")
                    ),
                }),
                None => Ok(()),
            }
        }
    }

    /// The keys of the `l.<key>` a template's tags (`{{ … }}`, `{% … %}`) refer to, in order.
    fn label_references(source: &str) -> Vec<&str> {
        let mut keys = Vec::new();
        let mut rest = source;
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let close = match after.bytes().next() {
                Some(b'{') => *b"}}",
                Some(b'%') => *b"%}",
                _ => {
                    rest = after;
                    continue;
                }
            };
            // Byte pairs are looked for directly: a string searcher set up per tag was a sixth
            // of what loading the templates took when this ran at every start.
            let Some(end) = find_pair(after.as_bytes(), close) else {
                break;
            };
            let tag = &after[1..end];
            let bytes = tag.as_bytes();
            let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
            let mut from = 0;
            while let Some(at) = find_pair(&bytes[from..], *b"l.") {
                let i = from + at;
                from = i + 2;
                if i > 0 && (word(bytes[i - 1]) || bytes[i - 1] == b'.') {
                    continue;
                }
                let key = &tag[i + 2..];
                let len = key.bytes().take_while(|&b| word(b)).count();
                if len > 0 {
                    keys.push(&key[..len]);
                }
            }
            rest = &after[end + 2..];
        }
        keys
    }

    /// Where the two bytes `pair` first stand together in `s`.
    fn find_pair(s: &[u8], pair: [u8; 2]) -> Option<usize> {
        s.windows(2).position(|w| w == pair)
    }

    /// The labels read from the JSON build.rs embeds are those of the YAML, file for file.
    #[test]
    fn bundled_labels_read_the_same_from_json() {
        let files: Vec<_> = BUNDLED
            .iter()
            .filter(|(path, _)| path.ends_with("labels.yaml"))
            .collect();
        assert!(files.len() >= 4, "{files:?}");
        for (path, text) in files {
            let json = yaml::bundled_json(path).expect("converted by build.rs");
            let from_json: BTreeMap<String, Text> = serde_json::from_str(json).unwrap();
            let from_yaml: BTreeMap<String, Text> = yaml::parse(path, text).unwrap();
            assert_eq!(format!("{from_json:?}"), format!("{from_yaml:?}"), "{path}");
        }
    }

    /// The document goes where the page shows its body, even when the title holds what the
    /// page is given in its place.
    #[test]
    fn the_body_goes_in_its_place_whatever_the_title() {
        let t = Templates::bundled().unwrap();
        let title = format!("調達{BODY_PLACE}<b>");
        let page = t
            .html_page(&title, Lang::Ja, "document.css", "本文")
            .unwrap();
        assert!(
            page.contains(&format!("<title>調達{BODY_PLACE}&lt;b&gt;</title>")),
            "{page}"
        );
        assert!(page.contains("<main>\n<p>本文</p>\n\n</main>"), "{page}");
        assert_eq!(page.matches(BODY_PLACE).count(), 2, "{page}");
    }

    /// Every Markdown template compiles (each is compiled only when a document needs it).
    #[test]
    fn every_markdown_template_compiles() {
        let t = Templates::bundled().unwrap();
        let names: Vec<&str> = t.markdown.keys().copied().collect();
        assert_eq!(
            names,
            [
                "annex.md",
                "definitions.md",
                "evaluation.md",
                "questionnaire.md",
                "questionnaire.questions.md",
                "rfp.md"
            ]
        );
        for name in names {
            assert!(t.markdown_template(name).is_ok(), "{name}");
        }
        assert_eq!(
            t.render_markdown("nope.md", &BTreeMap::<String, String>::new())
                .unwrap_err()
                .to_string(),
            Error::Template {
                name: "templates/nope.md".to_string(),
                message: "no such template".to_string()
            }
            .to_string()
        );
    }

    #[test]
    fn every_label_a_template_uses_is_defined() {
        Templates::bundled().unwrap().check_references().unwrap();
    }

    #[test]
    fn label_references_are_read_from_tags_only() {
        let source =
            "l.prose {{ l.title }} {% if x %}{{ a.l.b ~ l.colon }}{% endif %} {{l.x|upper}}";
        assert_eq!(label_references(source), ["title", "colon", "x"]);
        let source = "{{ l.a ~ l.b }}{{ tool.l.c }}{% if l.d %}{ l.e }{{ l.f }}{{ l.";
        assert_eq!(label_references(source), ["a", "b", "d", "f"]);
    }

    #[test]
    fn an_unknown_label_is_an_error_not_an_empty_string() {
        let t = Templates::bundled().unwrap();
        assert_eq!(t.get("title", Lang::Ja).unwrap(), "別紙 セキュリティ要件");
        let err = t.get("no_such_label", Lang::Ja).unwrap_err().to_string();
        assert!(err.contains("no label `no_such_label`"), "{err}");
        assert!(err.contains("templates/labels.yaml"), "{err}");
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
    fn a_yes_no_parameter_reads_in_the_templates_words() {
        use crate::facts::ParamValue;
        let t = Templates::bundled().unwrap();
        let flags = t.flag_words(Lang::Ja).unwrap();
        assert_eq!(ParamValue::Boolean(true).display(Lang::Ja, flags), "要");
        assert_eq!(ParamValue::Boolean(false).display(Lang::Ja, flags), "不要");
        let flags = t.flag_words(Lang::En).unwrap();
        assert_eq!(
            ParamValue::Boolean(false).display(Lang::En, flags),
            "not required"
        );
        let t = t.without_label("param_off");
        let err = t.flag_words(Lang::En).unwrap_err().to_string();
        assert!(err.contains("no label `param_off`"), "{err}");
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

    /// Every document a key is taken from: the questionnaire in each format, the evaluation
    /// in each format and the portfolio index. Without the key, each fails naming it.
    #[test]
    fn a_document_missing_a_label_is_an_error_naming_it() {
        use crate::evaluation::{evaluate, report};
        use crate::questionnaire::{Format, Questionnaire};

        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let library = crate::library::Library::load(None).unwrap();
        let profile = crate::profile::Profile::load(&root.join("examples/r8-0421.yaml")).unwrap();
        let selection = crate::selection::select(&library, &profile).unwrap();
        let qn = Questionnaire::build(&selection);
        let bundled = Templates::bundled().unwrap();
        // The blank response template, read back: every question unanswered.
        let blank = crate::questionnaire::yaml::write(&qn, Lang::Ja, &bundled).unwrap();
        let budget = crate::responses::WorkbookBudget {
            questions: qn.questions.len(),
        };
        let responses =
            crate::responses::read_bytes("r.yaml", "yaml", blank.into_bytes(), &budget).unwrap();
        let ev = evaluate(&qn, &responses, Lang::Ja, &bundled).unwrap();

        let fails = |what: &str, key: &str, result: Result<(), Error>| {
            let err = result
                .expect_err(&format!("{what} without `{key}`"))
                .to_string();
            assert!(err.contains(&format!("no label `{key}`")), "{what}: {err}");
            assert!(err.contains("templates/labels.yaml"), "{what}: {err}");
        };
        for (format, key) in [
            (Format::Xlsx, "q_invalid_date"),
            (Format::Xlsx, "q_legend_number"),
            (Format::Md, "q_instruction_3"),
            (Format::Html, "q_title"),
            (Format::Yaml, "q_instruction_5"),
            // The answer words and hints, in either language: a question cell is read back
            // in both.
            (Format::Xlsx, "answer_na"),
            (Format::Csv, "q_hint_number"),
            (Format::Md, "q_hint_depends"),
            (Format::Yaml, "answer_yes"),
        ] {
            let t = Templates::bundled().unwrap().without_label(key);
            let written = crate::questionnaire::files(&qn, Lang::En, &t, |f| f == format);
            fails(&format!("questionnaire {format:?}"), key, written.map(drop));
        }
        let t = Templates::bundled().unwrap().without_label("e_title");
        fails("evaluation", "e_title", report::document(&ev, &t).map(drop));
        for key in ["answer_partial", "q_expected_at_least", "e_answer_number"] {
            let t = Templates::bundled().unwrap().without_label(key);
            fails(
                "evaluate",
                key,
                evaluate(&qn, &responses, Lang::En, &t).map(drop),
            );
        }
        // A label only a branch not taken uses (there are no findings) is still refused.
        let t = Templates::bundled()
            .unwrap()
            .without_label("e_findings_intro");
        fails("evaluation.md", "e_findings_intro", t.check_references());
        for key in ["e_due", "clauses"] {
            let t = Templates::bundled().unwrap().without_label(key);
            fails("evaluation workbook", key, report::xlsx(&ev, &t).map(drop));
        }
        let manifest = b"{}";
        let row = crate::portfolio::Row::new(&selection, manifest, Lang::Ja, &bundled).unwrap();
        let t = Templates::bundled().unwrap().without_label("ix_manifest");
        fails(
            "index",
            "ix_manifest",
            crate::portfolio::files(&mut [row], Lang::Ja, &t).map(drop),
        );
        let t = Templates::bundled()
            .unwrap()
            .without_label("contract_type_operation");
        fails(
            "index row",
            "contract_type_operation",
            crate::portfolio::Row::new(&selection, manifest, Lang::Ja, &t).map(drop),
        );
    }
}
