//! Helpers for the web app's tests: the app in process, requests, multipart bodies, and the
//! CLI's own output to compare with.

use std::collections::BTreeMap;
use std::io::Read;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use chotatsu::library::Library;
use chotatsu::render::Templates;
use chotatsu::web::{App, router};
use tower::ServiceExt;

pub const EXAMPLE: &str = "examples/r8-0421.yaml";
pub const ADDR: &str = "127.0.0.1:8750";
pub const HOST: &str = "127.0.0.1:8750";

/// The app as `chotatsu serve` runs it, bound (for the Host check) to 127.0.0.1:8750.
pub fn app() -> Router {
    static APP: OnceLock<Arc<App>> = OnceLock::new();
    let app = APP.get_or_init(|| {
        let addr: SocketAddr = ADDR.parse().unwrap();
        App::new(
            Library::load(None).expect("bundled library"),
            Templates::bundled().expect("bundled templates"),
            addr,
        )
    });
    router(app.clone())
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("UTF-8 body")
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    }
}

pub async fn send(request: Request<Body>) -> Reply {
    let response = app().oneshot(request).await.expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body")
        .to_vec();
    Reply {
        status,
        headers,
        body,
    }
}

pub async fn get(path: &str) -> Reply {
    send(
        Request::get(path)
            .header("host", HOST)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

pub async fn post(path: &str, content_type: &str, body: impl Into<Body>) -> Reply {
    send(
        Request::post(path)
            .header("host", HOST)
            .header("origin", format!("http://{HOST}"))
            .header("content-type", content_type)
            .body(body.into())
            .unwrap(),
    )
    .await
}

pub async fn post_yaml(path: &str, yaml: impl Into<Body>) -> Reply {
    post(path, "application/yaml", yaml).await
}

/// A multipart/form-data body: `(name, file name, bytes)`; a part without a file name is a
/// plain field.
pub fn multipart(parts: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----chotatsu-test-boundary-7d3f";
    let mut body = Vec::new();
    for (name, file, bytes) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match file {
            Some(f) => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            ),
            None => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            ),
        }
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub async fn post_multipart(path: &str, parts: &[(&str, Option<&str>, &[u8])]) -> Reply {
    let (content_type, body) = multipart(parts);
    post(path, &content_type, body).await
}

/// The binary under test, run in `dir`.
pub fn chotatsu(dir: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("chotatsu").expect("binary built");
    cmd.current_dir(dir);
    cmd
}

pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every file of a zip, by name.
pub fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut files = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("entry");
        let mut data = Vec::new();
        f.read_to_end(&mut data).expect("read entry");
        let name = f.name().expect("entry name").to_string();
        files.insert(name, data);
    }
    files
}

/// Every file `chotatsu build` writes for `profile` (a file in `dir`), by
/// `<id>/<name>`.
pub fn built(dir: &Path, profile: &str, extra: &[&str]) -> BTreeMap<String, Vec<u8>> {
    let out = dir.join("out");
    chotatsu(dir)
        .args(["build", profile, "--out"])
        .arg(&out)
        .args(extra)
        .assert()
        .success();
    let mut files = BTreeMap::new();
    for folder in std::fs::read_dir(&out).unwrap().flatten() {
        for f in std::fs::read_dir(folder.path()).unwrap().flatten() {
            files.insert(
                format!(
                    "{}/{}",
                    folder.file_name().to_string_lossy(),
                    f.file_name().to_string_lossy()
                ),
                std::fs::read(f.path()).unwrap(),
            );
        }
    }
    files
}

/// The response template of `profile` with every clause-acceptance question answered `yes`
/// except the first, answered `no`: a returned questionnaire with meets and a gap.
pub fn filled_responses(dir: &Path, profile: &Path) -> Vec<u8> {
    let out = dir.join("q");
    chotatsu(dir)
        .arg("questionnaire")
        .arg(profile)
        .args(["--format", "yaml", "--lang", "ja", "--out"])
        .arg(&out)
        .assert()
        .success();
    let folder = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .next()
        .unwrap()
        .path();
    let template = std::fs::read_to_string(folder.join("questionnaire.ja.yaml")).unwrap();
    // The yes/no questions (their comment lists the answers): the first answered no, the
    // others yes.
    let mut first = true;
    let mut yes_no = false;
    let mut filled = String::new();
    for line in template.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("# （回答：") {
            yes_no = trimmed.starts_with("# （回答：はい／いいえ");
        }
        if yes_no && trimmed.starts_with("answer:") {
            let indent = &line[..line.len() - trimmed.len()];
            let answer = if first { "no" } else { "yes" };
            first = false;
            yes_no = false;
            filled.push_str(&format!("{indent}answer: {answer}\n"));
        } else {
            filled.push_str(line);
            filled.push('\n');
        }
    }
    assert!(!first, "the template has yes/no questions");
    filled.into_bytes()
}
