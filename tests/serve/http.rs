//! Every endpoint of `chotatsu serve` over HTTP (in process), with each bad input: the same
//! results as the CLI, byte for byte where the CLI writes files, and the safety rules.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use tempfile::TempDir;

use crate::common::*;

const PAGES: &[&str] = &[
    "/ja/",
    "/ja/new",
    "/ja/clauses",
    "/ja/clauses?tier=2&requirement=(6)-2.4",
    "/ja/clauses/LIFE-01",
    "/ja/clauses/LIFE-01?tier=3",
    "/ja/matrix",
    "/ja/compare",
    "/ja/evaluate",
];

fn example() -> Vec<u8> {
    std::fs::read(repo().join(EXAMPLE)).unwrap()
}

#[tokio::test]
async fn every_page_answers_in_both_languages_with_its_lang() {
    for path in PAGES {
        for lang in ["ja", "en"] {
            let path = path.replacen("/ja/", &format!("/{lang}/"), 1);
            let reply = get(&path).await;
            assert_eq!(reply.status, StatusCode::OK, "{path}");
            let html = reply.text();
            assert!(
                html.starts_with(&format!("<!DOCTYPE html>\n<html lang=\"{lang}\">")),
                "{path}"
            );
            assert_eq!(reply.header("content-type"), "text/html; charset=utf-8");
            // The link to the same page in the other language.
            let other = if lang == "ja" { "en" } else { "ja" };
            assert!(
                html.contains(&format!("lang=\"{other}\" hreflang=\"{other}\"")),
                "{path}"
            );
        }
    }
    let root = get("/").await;
    assert_eq!(root.status, StatusCode::SEE_OTHER);
    assert_eq!(root.header("location"), "/ja/");
    assert_eq!(get("/ja/nothing").await.status, StatusCode::NOT_FOUND);
    assert_eq!(get("/fr/").await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        get("/ja/clauses/NOPE-99").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get("/assets/app.css").await.header("content-type"),
        "text/css; charset=utf-8"
    );
    assert_eq!(
        get("/assets/nothing.js").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_clause_library_pages_show_the_library() {
    let html = get("/en/clauses?tier=1&requirement=(6)-2.4").await.text();
    let cli = std::process::Command::new(env!("CARGO_BIN_EXE_chotatsu"))
        .args([
            "list",
            "--tier",
            "1",
            "--requirement",
            "(6)-2.4",
            "--format",
            "json",
            "--lang",
            "en",
        ])
        .output()
        .unwrap();
    let listed: Vec<serde_json::Value> = serde_json::from_slice(&cli.stdout).unwrap();
    assert!(!listed.is_empty());
    for c in &listed {
        let id = c["id"].as_str().unwrap();
        assert!(
            html.contains(&format!("<a href=\"/en/clauses/{id}\">{id}</a>")),
            "{id}"
        );
    }
    assert_eq!(
        html.matches("<tr><td><a href=\"/en/clauses/").count(),
        listed.len(),
        "only the clauses of the filter"
    );
    let clause = get("/ja/clauses/LIFE-01?tier=3").await.text();
    assert!(clause.contains("<h1>LIFE-01 "));
    assert!(clause.contains("<option value=\"3\" selected>"));
    let matrix = get("/ja/matrix").await.text();
    assert!(matrix.contains("<a href=\"/ja/clauses/LIFE-01?type=development\">LIFE-01</a>"));
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let replies = [
        get("/ja/").await,
        get("/ja/nothing").await,
        get("/assets/app.js").await,
        post_yaml("/api/tier", example()).await,
        post_yaml("/api/tier", "nonsense: [").await,
        send(
            Request::get("/ja/")
                .header("host", "evil.example:8750")
                .body(Body::empty())
                .unwrap(),
        )
        .await,
    ];
    for reply in &replies {
        let csp = reply.header("content-security-policy");
        assert!(csp.contains("default-src 'self'"), "{csp}");
        assert!(csp.contains("script-src 'self'"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(!csp.contains("unsafe"), "{csp}");
        assert_eq!(reply.header("x-content-type-options"), "nosniff");
        assert_eq!(reply.header("cache-control"), "no-store");
    }
}

#[tokio::test]
async fn a_host_that_is_not_this_server_gets_421() {
    for host in [
        "evil.example:8750",
        "evil.example",
        "127.0.0.1:9999",
        "localhost",
        "10.0.0.1:8750",
    ] {
        let reply = send(
            Request::get("/ja/")
                .header("host", host)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(reply.status, StatusCode::MISDIRECTED_REQUEST, "{host}");
        assert!(
            reply
                .text()
                .contains("answers only requests addressed to it")
        );
    }
    // POSTs too, before anything is read.
    let reply = send(
        Request::post("/api/tier")
            .header("host", "rebind.example:8750")
            .body(Body::from(example()))
            .unwrap(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::MISDIRECTED_REQUEST);
    for host in ["localhost:8750", "127.0.0.1:8750", "[::1]:8750"] {
        let reply = send(
            Request::get("/ja/")
                .header("host", host)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{host}");
    }
    let reply = send(Request::get("/ja/").body(Body::empty()).unwrap()).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "no Host at all");
}

#[tokio::test]
async fn a_state_changing_request_from_another_origin_gets_403() {
    let cross = |origin: Option<&str>, site: Option<&str>| {
        let mut r = Request::post("/api/tier").header("host", HOST);
        if let Some(o) = origin {
            r = r.header("origin", o);
        }
        if let Some(s) = site {
            r = r.header("sec-fetch-site", s);
        }
        r.body(Body::from(example())).unwrap()
    };
    for (origin, site) in [
        (Some("http://evil.example"), None),
        (Some("http://127.0.0.1:9999"), None),
        (Some("https://127.0.0.1:8750"), None),
        (Some("null"), None),
        (None, Some("cross-site")),
        (None, Some("same-site")),
    ] {
        let reply = send(cross(origin, site)).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{origin:?} {site:?}");
        assert!(reply.text().contains("came from another site"));
    }
    // The app's own pages, and a client that sends no Origin (curl), are served.
    assert_eq!(
        send(cross(Some("http://127.0.0.1:8750"), Some("same-origin")))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(send(cross(None, None)).await.status, StatusCode::OK);
    // A GET changes nothing and is not checked.
    let reply = send(
        Request::get("/ja/")
            .header("host", HOST)
            .header("origin", "http://evil.example")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[tokio::test]
async fn api_tier_is_the_json_of_the_tier_command() {
    let dir = TempDir::new().unwrap();
    for example in [
        "examples/r8-0421.yaml",
        "examples/r8-0530-water-scada.yaml",
        "examples/r8-0105-meeting-rooms.yaml",
    ] {
        let cli = chotatsu(repo())
            .args(["tier", example, "--format", "json"])
            .output()
            .unwrap();
        assert!(cli.status.success());
        let reply = post_yaml("/api/tier", std::fs::read(repo().join(example)).unwrap()).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.header("content-type"), "application/json");
        assert_eq!(
            reply.text(),
            String::from_utf8(cli.stdout).unwrap(),
            "{example}"
        );
    }
    drop(dir);
}

#[tokio::test]
async fn a_bad_profile_gets_422_with_each_problem_by_field_and_line() {
    let text = String::from_utf8(example()).unwrap();
    let bad = text
        .replace("id: R8-0421", "id: ../R8")
        .replace("issued: 2026-04-01", "issued: 2026-13-01");
    for path in ["/api/tier", "/api/package"] {
        let reply = post_yaml(path, bad.clone()).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        let errors = reply.json()["errors"].as_array().unwrap().clone();
        let line_of =
            |needle: &str| bad.lines().position(|l| l.contains(needle)).unwrap() as u64 + 1;
        assert_eq!(
            errors,
            vec![
                serde_json::json!({
                    "field": "procurement.id",
                    "line": line_of("id: ../R8"),
                    "message": "invalid procurement ID `../R8`: use letters, digits, '.', '_' and '-', starting with a letter or digit",
                }),
                serde_json::json!({
                    "field": "procurement.issued",
                    "line": line_of("issued: 2026-13-01"),
                    "message": "invalid date `2026-13-01`: expected YYYY-MM-DD",
                }),
            ],
            "{path}"
        );
    }
    // Not YAML at all, not text, not UTF-8.
    let reply = post_yaml("/api/tier", "procurement: [").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.json()["errors"].as_array().unwrap().len(), 1);
    let reply = post_yaml("/api/tier", b"\x00\x01binary".to_vec()).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        reply.json()["errors"][0]["message"],
        "profile.yaml: a binary file, not text (NUL byte at offset 0)"
    );
    let reply = post_yaml("/api/tier?name=mine.yaml", b"id: \xff".to_vec()).await;
    assert_eq!(
        reply.json()["errors"][0]["message"],
        "mine.yaml: not valid UTF-8 (byte 4); save the file as UTF-8"
    );
    // A selection problem (an unknown parameter) is found by the package too.
    let reply = post_yaml(
        "/api/package",
        text.replace("critical_apply_days: 5", "critical_apply_dayz: 5"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let e = &reply.json()["errors"][0];
    assert_eq!(e["field"], "parameters.critical_apply_dayz");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("critical_apply_days"),
        "{e}"
    );
}

#[tokio::test]
async fn api_package_is_the_build_byte_for_byte() {
    let dir = TempDir::new().unwrap();
    for example in [
        "r8-0421.yaml",
        "r8-0312-kosodate-saas.yaml",
        "r8-0530-water-scada.yaml",
    ] {
        let text = std::fs::read(repo().join("examples").join(example)).unwrap();
        std::fs::write(dir.path().join(example), &text).unwrap();
        let reply = post_yaml(&format!("/api/package?name={example}"), text).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        assert_eq!(reply.header("content-type"), "application/zip");
        let files = unzip(&reply.body);
        let expected = built(dir.path(), example, &[]);
        assert_eq!(
            files.keys().collect::<Vec<_>>(),
            expected.keys().collect::<Vec<_>>()
        );
        assert_eq!(files, expected, "{example}");
        let id = files
            .keys()
            .next()
            .unwrap()
            .split('/')
            .next()
            .unwrap()
            .to_string();
        assert_eq!(
            reply.header("content-disposition"),
            format!("attachment; filename=\"{id}.zip\"; filename*=UTF-8''{id}.zip")
        );
        // The same request gives the same bytes.
        let again = post_yaml(
            &format!("/api/package?name={example}"),
            std::fs::read(dir.path().join(example)).unwrap(),
        )
        .await;
        assert_eq!(again.body, reply.body);
        std::fs::remove_dir_all(dir.path().join("out")).unwrap();
    }
    // One language, as build --lang en.
    let reply = post_yaml("/api/package?name=r8-0421.yaml&lang=en", example()).await;
    assert_eq!(
        unzip(&reply.body),
        built(dir.path(), "r8-0421.yaml", &["--lang", "en"])
    );
    let reply = post_yaml("/api/package?lang=fr", example()).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.json()["errors"][0]["message"],
        "unknown language `fr`: expected ja, en or both"
    );
    let reply = post_yaml("/api/package?colour=red", example()).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn concurrent_packages_do_not_mix() {
    const EXAMPLES: [&str; 4] = [
        "r8-0421.yaml",
        "r8-0312-kosodate-saas.yaml",
        "r8-0530-water-scada.yaml",
        "r8-0105-meeting-rooms.yaml",
    ];
    let examples = EXAMPLES;
    let requests = EXAMPLES.iter().cycle().take(8).map(|e| {
        let text = std::fs::read(repo().join("examples").join(e)).unwrap();
        async move { (e, post_yaml(&format!("/api/package?name={e}"), text).await) }
    });
    let replies = futures_join(requests.collect()).await;
    let dir = TempDir::new().unwrap();
    for e in examples {
        std::fs::copy(repo().join("examples").join(e), dir.path().join(e)).unwrap();
        let expected = built(dir.path(), e, &[]);
        for (name, reply) in replies.iter().filter(|(n, _)| **n == e) {
            assert_eq!(unzip(&reply.body), expected, "{name}");
        }
        std::fs::remove_dir_all(dir.path().join("out")).unwrap();
    }
}

async fn futures_join<F: std::future::Future + Send + 'static>(futures: Vec<F>) -> Vec<F::Output>
where
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

#[tokio::test]
async fn uploads_over_the_cli_cap_get_413() {
    let cap = chotatsu::output::MAX_INPUT_BYTES as usize;
    let mut big = example();
    big.resize(cap + 1, b'#');
    for path in ["/api/tier", "/api/package"] {
        let reply = post_yaml(path, big.clone()).await;
        assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE, "{path}");
        assert!(
            reply.json()["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("too large")
        );
    }
    // Exactly at the cap is read (and judged on its content).
    let mut at_cap = example();
    at_cap.push(b'\n');
    at_cap.resize(cap, b'#');
    assert_eq!(post_yaml("/api/tier", at_cap).await.status, StatusCode::OK);

    let old = std::fs::read(repo().join("tests/fixtures/diff/ja/old.md")).unwrap();
    let reply = post_multipart(
        "/api/diff",
        &[("old", Some("old.md"), &old), ("new", Some("new.md"), &big)],
    )
    .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        reply.json()["errors"][0]["message"],
        format!("`new`: the upload is too large: the limit is {cap} bytes")
    );
    let responses_cap = chotatsu::responses::MAX_BYTES as usize;
    let huge = vec![b'a'; responses_cap + 1];
    let reply = post_multipart(
        "/api/evaluate",
        &[
            ("profile", Some("p.yaml"), &example()),
            ("responses", Some("r.csv"), &huge),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    let reply = post_multipart(
        "/ja/compare",
        &[("old", Some("old.md"), &old), ("new", Some("new.md"), &big)],
    )
    .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    let reply = post_multipart("/ja/new/upload", &[("profile", Some("p.yaml"), &big)]).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
}

fn diff_fixture(name: &str) -> Vec<u8> {
    std::fs::read(repo().join("tests/fixtures/diff/ja").join(name)).unwrap()
}

#[tokio::test]
async fn api_diff_is_the_diff_command_in_each_format() {
    let (old, new) = (diff_fixture("old.md"), diff_fixture("new.md"));
    for format in [
        "json",
        "text",
        "md",
        "html",
        "shinkyu",
        "docx",
        "shinkyu-docx",
    ] {
        let reply = post_multipart(
            "/api/diff",
            &[
                ("old", Some("old.md"), &old),
                ("new", Some("new.md"), &new),
                ("format", None, format.as_bytes()),
            ],
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{format}");
        let dir = TempDir::new().unwrap();
        std::fs::write(dir.path().join("old.md"), &old).unwrap();
        std::fs::write(dir.path().join("new.md"), &new).unwrap();
        let out = dir.path().join("report");
        chotatsu(dir.path())
            .args([
                "diff", "old.md", "new.md", "--color", "never", "--format", format, "--out",
            ])
            .arg(&out)
            .assert()
            .code(1);
        assert_eq!(reply.body, std::fs::read(&out).unwrap(), "{format}");
        assert_eq!(reply.header("x-chotatsu-identical"), "false");
        let downloads = ["md", "html", "shinkyu", "docx", "shinkyu-docx"];
        assert_eq!(
            reply
                .header("content-disposition")
                .starts_with("attachment;"),
            downloads.contains(&format),
            "{format}"
        );
    }
    // The 新旧対照表's date, as --date.
    for format in ["shinkyu", "shinkyu-docx"] {
        let reply = post_multipart(
            "/api/diff",
            &[
                ("old", Some("old.md"), &old),
                ("new", Some("new.md"), &new),
                ("format", None, format.as_bytes()),
                ("date", None, b"2026-04-01"),
            ],
        )
        .await;
        let dir = TempDir::new().unwrap();
        std::fs::write(dir.path().join("old.md"), &old).unwrap();
        std::fs::write(dir.path().join("new.md"), &new).unwrap();
        let out = dir.path().join("report");
        chotatsu(dir.path())
            .args([
                "diff",
                "old.md",
                "new.md",
                "--date",
                "2026-04-01",
                "--format",
                format,
                "--out",
            ])
            .arg(&out)
            .assert()
            .code(1);
        assert_eq!(
            reply.body,
            std::fs::read(&out).unwrap(),
            "{format} with a date"
        );
    }
    // Without a format: JSON.
    let reply = post_multipart(
        "/api/diff",
        &[("old", Some("a.md"), &old), ("new", Some("b.md"), &old)],
    )
    .await;
    assert_eq!(reply.header("content-type"), "application/json");
    assert_eq!(reply.header("x-chotatsu-identical"), "true");
    assert_eq!(reply.json()["summary"]["modified"], 0);
}

#[tokio::test]
async fn api_diff_reads_word_documents_as_the_diff_command_does() {
    let reply = api_diff_of_two_annexes("docx").await;
    // The changed deadline: in its clause and in the parameters table.
    assert!(
        reply.json()["summary"]["modified"].as_u64().unwrap() >= 1,
        "{}",
        reply.text()
    );
}

#[tokio::test]
async fn api_diff_reads_html_pages_as_the_diff_command_does() {
    let reply = api_diff_of_two_annexes("html").await;
    // The changed deadline, named by the clause ID of its article's `data-clause`.
    let changed: Vec<(String, String)> = reply.json()["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] != "unchanged")
        .map(|c| {
            (
                c["path"].as_str().unwrap_or("").to_string(),
                c["clause_id"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        changed,
        [
            ("第3章第29条".to_string(), "VULN-02".to_string()),
            (String::new(), String::new()),
        ],
        "{}",
        reply.text()
    );
}

/// `/api/diff` on the annex of the example and of the example with `critical_apply_days: 3`,
/// both as `ext` (docx or html): the JSON of `chotatsu diff` on the same files.
async fn api_diff_of_two_annexes(ext: &str) -> Reply {
    let dir = TempDir::new().unwrap();
    let text = String::from_utf8(example()).unwrap();
    std::fs::write(dir.path().join("v1.yaml"), &text).unwrap();
    std::fs::write(
        dir.path().join("v2.yaml"),
        text.replace("critical_apply_days: 5", "critical_apply_days: 3"),
    )
    .unwrap();
    for v in ["v1", "v2"] {
        chotatsu(dir.path())
            .args(["annex", &format!("{v}.yaml"), "--format", ext, "--out", v])
            .assert()
            .success();
    }
    let old = std::fs::read(dir.path().join(format!("v1/R8-0421/annex.ja.{ext}"))).unwrap();
    let new = std::fs::read(dir.path().join(format!("v2/R8-0421/annex.ja.{ext}"))).unwrap();
    let (old_name, new_name) = (format!("old.{ext}"), format!("new.{ext}"));
    std::fs::write(dir.path().join(&old_name), &old).unwrap();
    std::fs::write(dir.path().join(&new_name), &new).unwrap();
    let reply = post_multipart(
        "/api/diff",
        &[
            ("old", Some(old_name.as_str()), &old),
            ("new", Some(new_name.as_str()), &new),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let cli = chotatsu(dir.path())
        .args(["diff", &old_name, &new_name, "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(cli.status.code(), Some(1));
    assert_eq!(reply.text(), String::from_utf8(cli.stdout).unwrap());
    assert_eq!(reply.header("x-chotatsu-identical"), "false");
    reply
}

#[tokio::test]
async fn api_diff_bad_inputs() {
    let old = diff_fixture("old.md");
    type Parts = Vec<(&'static str, Option<&'static str>, Vec<u8>)>;
    let cases: Vec<(Parts, StatusCode, &str)> = vec![
        (
            vec![("old", Some("old.md"), old.clone())],
            StatusCode::UNPROCESSABLE_ENTITY,
            "`new` is missing: choose a file",
        ),
        (
            vec![
                ("old", Some("old.md"), old.clone()),
                ("new", Some("new.md"), vec![]),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
            "`new` is missing: choose a file",
        ),
        (
            vec![
                ("old", Some("old.md"), old.clone()),
                ("new", Some("new.md"), b"a\x00b".to_vec()),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
            "new.md: a binary file, not text (NUL byte at offset 1)",
        ),
        (
            vec![
                ("old", Some("old.md"), b"\xfe\xfe".to_vec()),
                ("new", Some("new.md"), old.clone()),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
            "old.md: not valid UTF-8 (byte 0); save the file as UTF-8",
        ),
        (
            vec![
                ("old", Some("old.md"), old.clone()),
                ("new", Some("new.md"), old.clone()),
                ("format", None, b"pdf".to_vec()),
            ],
            StatusCode::BAD_REQUEST,
            "unknown format `pdf`: expected text, md, html, json, shinkyu, docx or shinkyu-docx",
        ),
        (
            vec![
                ("old", Some("old.md"), old.clone()),
                ("newer", Some("new.md"), old.clone()),
            ],
            StatusCode::BAD_REQUEST,
            "unexpected form field `newer`; expected `old`, `new`, `format`, `date`",
        ),
    ];
    for (parts, status, message) in cases {
        let parts: Vec<(&str, Option<&str>, &[u8])> = parts
            .iter()
            .map(|(n, f, b)| (*n, *f, b.as_slice()))
            .collect();
        let reply = post_multipart("/api/diff", &parts).await;
        assert_eq!(reply.status, status, "{message}");
        assert_eq!(reply.json()["errors"][0]["message"], message);
    }
    let reply = post("/api/diff", "text/plain", "old").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "not multipart");
}

#[tokio::test]
async fn api_evaluate_is_the_evaluate_command() {
    let dir = TempDir::new().unwrap();
    let profile = repo().join(EXAMPLE);
    let responses = filled_responses(dir.path(), &profile);
    std::fs::write(dir.path().join("vendor.yaml"), &responses).unwrap();
    let out = dir.path().join("eval");
    chotatsu(dir.path())
        .arg("evaluate")
        .arg(&profile)
        .args(["vendor.yaml", "--out"])
        .arg(&out)
        .assert()
        .success();
    let reply = post_multipart(
        "/api/evaluate",
        &[
            ("profile", Some("r8-0421.yaml"), &example()),
            ("responses", Some("vendor.yaml"), &responses),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(
        reply.body,
        std::fs::read(out.join("R8-0421/evaluation.ja.json")).unwrap()
    );
    let json = reply.json();
    assert_eq!(json["summary"]["gaps"], 1);
    // Six yes/no questions: one answered no (the gap), five yes; one of those asks for
    // evidence the filled template does not give, so it goes to review.
    assert_eq!(json["summary"]["meets"], 4);
    assert_eq!(json["summary"]["review"], 1);
    for (format, file) in [
        ("md", "evaluation.ja.md"),
        ("html", "evaluation.ja.html"),
        ("xlsx", "evaluation.ja.xlsx"),
    ] {
        let reply = post_multipart(
            "/api/evaluate",
            &[
                ("profile", Some("r8-0421.yaml"), &example()),
                ("responses", Some("vendor.yaml"), &responses),
                ("format", None, format.as_bytes()),
            ],
        )
        .await;
        assert_eq!(
            reply.body,
            std::fs::read(out.join("R8-0421").join(file)).unwrap(),
            "{format}"
        );
        assert!(
            reply
                .header("content-disposition")
                .contains(&format!("evaluation.R8-0421.ja.{format}"))
        );
    }
    let reply = post_multipart(
        "/api/evaluate",
        &[
            ("profile", Some("r8-0421.yaml"), &example()),
            ("responses", Some("vendor.yaml"), &responses),
            ("lang", None, b"en"),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[tokio::test]
async fn api_evaluate_bad_inputs() {
    let dir = TempDir::new().unwrap();
    let responses = filled_responses(dir.path(), &repo().join(EXAMPLE));
    let other_id = String::from_utf8(responses.clone())
        .unwrap()
        .replace("procurement: \"R8-0421\"", "procurement: \"R8-9999\"");
    let wrong_answer =
        String::from_utf8(responses.clone())
            .unwrap()
            .replacen("answer: yes", "answer: perhaps", 1);
    let line_of = |text: &str, needle: &str| {
        text.lines().position(|l| l.contains(needle)).unwrap() as u64 + 1
    };
    let reply = post_multipart(
        "/api/evaluate",
        &[
            ("profile", Some("p.yaml"), &example()),
            ("responses", Some("v.yaml"), other_id.as_bytes()),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let e = &reply.json()["errors"][0];
    assert_eq!(e["line"], line_of(&other_id, "R8-9999"));
    assert!(e["message"].as_str().unwrap().contains("R8-9999"), "{e}");
    let reply = post_multipart(
        "/api/evaluate",
        &[
            ("profile", Some("p.yaml"), &example()),
            ("responses", Some("v.yaml"), wrong_answer.as_bytes()),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let e = &reply.json()["errors"][0];
    assert_eq!(e["line"], line_of(&wrong_answer, "perhaps"));
    assert!(e["message"].as_str().unwrap().contains("perhaps"), "{e}");
    let reply = post_multipart(
        "/api/evaluate",
        &[
            ("profile", Some("p.yaml"), &example()),
            ("responses", Some("v.pdf"), &responses),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        reply.json()["errors"][0],
        serde_json::json!({"field": "responses", "line": null, "message": "v.pdf: unsupported response file: expected .xlsx, .csv, .yaml or .yml"})
    );
    let reply = post_multipart("/api/evaluate", &[("profile", Some("p.yaml"), &example())]).await;
    assert_eq!(
        reply.json()["errors"][0]["message"],
        "`responses` is missing: choose a file"
    );
    let no_title = String::from_utf8(example())
        .unwrap()
        .replace("  title: 住民記録システム運用保守業務\n", "");
    let reply = post_multipart(
        "/api/evaluate",
        &[
            ("profile", Some("p.yaml"), no_title.as_bytes()),
            ("responses", Some("v.yaml"), &responses),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.json()["errors"][0]["field"], "procurement.title");
    let reply = post_multipart(
        "/api/evaluate",
        &[
            ("profile", Some("p.yaml"), &example()),
            ("responses", Some("v.yaml"), &responses),
            ("format", None, b"pdf"),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
}

// ---------------------------------------------------------------- the pages' forms

fn form_body(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

pub const TIER3_FORM: &[(&str, &str)] = &[
    ("procurement.id", "R8-0777"),
    ("procurement.title", "浄水場監視制御システム更新"),
    ("procurement.buyer.entity", "〇〇市"),
    ("procurement.buyer.department", "水道局浄水課"),
    ("procurement.contract.type", "development"),
    ("procurement.issued", "2026-04-01"),
    ("procurement.contract.start", "2026-07-01"),
    ("procurement.contract.end", "2029-03-31"),
    ("procurement.language", "ja"),
    ("system.impact.confidentiality", "moderate"),
    ("system.impact.integrity", "high"),
    ("system.impact.availability", "high"),
    ("system.critical_infrastructure", "true"),
    ("tier", ""),
    ("parameters.critical_fix_days", "5"),
    ("tailoring.exclude[0].clause", "LIFE-04"),
    (
        "tailoring.exclude[0].reason",
        "緊急作業は別契約の単価による。",
    ),
    ("budget_disclosure", "itemised"),
    ("budget[0].fiscal_year", "2026"),
    ("budget[0].maintenance", "3,600,000"),
];

async fn submit(action: &str, pairs: &[(&str, &str)]) -> Reply {
    let mut all = pairs.to_vec();
    all.push(("do", action));
    post(
        "/ja/new",
        "application/x-www-form-urlencoded",
        form_body(&all),
    )
    .await
}

#[tokio::test]
async fn the_form_checks_shows_the_tier_and_saves_the_yaml() {
    let reply = submit("check", TIER3_FORM).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let html = reply.text();
    assert!(html.contains("data-tier=\"3\""));
    assert!(
        html.contains("<span class=\"tier-badge\">区分3（高）</span>"),
        "{html}"
    );
    assert!(html.contains("重要インフラ"));
    // Values stay in their controls.
    assert!(html.contains("value=\"浄水場監視制御システム更新\""));
    assert!(html.contains("<option value=\"LIFE-04\" selected>"));

    let yaml = submit("yaml", TIER3_FORM).await;
    assert_eq!(yaml.status, StatusCode::OK);
    assert!(yaml.header("content-disposition").contains("R8-0777.yaml"));
    let text = yaml.text();
    assert!(
        text.starts_with("procurement:\n  id: \"R8-0777\"\n"),
        "{text}"
    );
    assert!(
        text.contains("budget:\n  - fiscal_year: 2026\n    maintenance: 3600000\n"),
        "{text}"
    );

    let check = post(
        "/ja/new/check",
        "application/x-www-form-urlencoded",
        form_body(TIER3_FORM),
    )
    .await;
    let json = check.json();
    assert_eq!(json["tier"], 3);
    assert_eq!(json["errors"], serde_json::json!([]));
    assert!(json["tier_html"].as_str().unwrap().contains("区分3（高）"));
}

#[tokio::test]
async fn the_forms_package_is_the_build_of_its_yaml() {
    let yaml = submit("yaml", TIER3_FORM).await.body;
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join("R8-0777.yaml"), &yaml).unwrap();
    let reply = submit("package", TIER3_FORM).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-type"), "application/zip");
    let files = unzip(&reply.body);
    assert_eq!(files, built(dir.path(), "R8-0777.yaml", &[]));
    let manifest: serde_json::Value =
        serde_json::from_slice(&files["R8-0777/manifest.json"]).unwrap();
    assert_eq!(manifest["tier"], 3);
    assert_eq!(manifest["profile"]["name"], "R8-0777.yaml");
}

#[tokio::test]
async fn form_errors_stand_beside_their_field() {
    let mut pairs = TIER3_FORM.to_vec();
    for (k, v) in pairs.iter_mut() {
        if *k == "procurement.contract.end" {
            *v = "2026-01-31";
        }
        if *k == "tailoring.exclude[0].reason" {
            *v = "";
        }
    }
    let reply = submit("package", &pairs).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no zip for a bad profile"
    );
    let html = reply.text();
    assert!(
        html.contains("<p class=\"error\" id=\"err-f-procurement-contract-end\" lang=\"en\">the contract must end after it starts (2026-01-31 is not after 2026-07-01)</p>"),
        "{html}"
    );
    assert!(html.contains("id=\"f-procurement-contract-end\" value=\"2026-01-31\" aria-required=\"true\" aria-describedby=\"err-f-procurement-contract-end\" aria-invalid=\"true\""));
    assert!(
        html.contains("<p class=\"error\" id=\"err-f-tailoring-exclude-0--reason\" lang=\"en\">a reason is required to exclude clause LIFE-04</p>"),
        "{html}"
    );
    let check = post(
        "/ja/new/check",
        "application/x-www-form-urlencoded",
        form_body(&pairs),
    )
    .await
    .json();
    let errors: Vec<(&str, &str)> = check["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["id"].as_str().unwrap()))
        .collect();
    assert_eq!(
        errors,
        [
            ("procurement.contract.end", "f-procurement-contract-end"),
            (
                "tailoring.exclude[0].reason",
                "f-tailoring-exclude-0--reason"
            )
        ]
    );
    // A value of the wrong shape, as the YAML reader reports it.
    let mut pairs = TIER3_FORM.to_vec();
    pairs.retain(|(k, _)| *k != "budget[0].maintenance");
    pairs.push(("budget[0].maintenance", "たくさん"));
    let html = submit("check", &pairs).await.text();
    assert!(
        html.contains("<p class=\"error\" id=\"err-f-budget-0--maintenance\" lang=\"en\">expected a whole number, found `&quot;たくさん&quot;`</p>"),
        "{html}"
    );
}

#[tokio::test]
async fn an_uploaded_profile_fills_the_form() {
    let reply = post_multipart(
        "/ja/new/upload",
        &[("profile", Some("r8-0421.yaml"), &example())],
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let html = reply.text();
    assert!(
        html.contains("id=\"f-procurement-id\" value=\"R8-0421\""),
        "{html}"
    );
    assert!(html.contains("value=\"high\" checked"));
    assert!(html.contains("id=\"f-parameters-critical_apply_days\" value=\"5\""));
    assert!(html.contains("<option value=\"LIFE-04\" selected>"));
    assert!(html.contains("区分3（高）"));
    // A file with an unknown field: the form shows it, with its line.
    let bad = String::from_utf8(example())
        .unwrap()
        .replace("  personal_data: true", "  personal_date: true");
    let reply = post_multipart(
        "/ja/new/upload",
        &[("profile", Some("bad.yaml"), bad.as_bytes())],
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.text().contains("personal_date"));
    let reply = post_multipart("/ja/new/upload", &[("profile", Some("bad.yaml"), b"[")]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_annex_preview_is_shown_in_the_page() {
    let reply = submit("preview_contract", TIER3_FORM).await;
    assert_eq!(reply.status, StatusCode::OK);
    let html = reply.text();
    assert!(html.contains("<div class=\"document\" lang=\"ja\">"));
    assert!(html.contains("浄水場監視制御システム更新"));
    let reply = submit("preview_rfp", TIER3_FORM).await;
    let rfp = reply.text();
    assert!(rfp.contains("<div class=\"document\" lang=\"ja\">"));
    assert_ne!(rfp, html, "the RFP is another document");
}

#[tokio::test]
async fn the_compare_page_shows_the_shinkyu_table_and_the_redline() {
    let (old, new) = (diff_fixture("old.md"), diff_fixture("new.md"));
    let reply = post_multipart(
        "/ja/compare",
        &[("old", Some("old.md"), &old), ("new", Some("new.md"), &new)],
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let html = reply.text();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<table class=\"shinkyu\">"));
    assert!(
        html.contains("<th>改正後</th><th>改正前</th><th>備考</th>"),
        "{html}"
    );
    assert!(html.contains("<del>") && html.contains("<ins>"));
    assert!(
        !html.contains("<style>"),
        "the report's own styles are left out (CSP)"
    );
    // The script asks for the results only.
    let (content_type, body) =
        multipart(&[("old", Some("old.md"), &old), ("new", Some("new.md"), &new)]);
    let reply = send(
        Request::post("/ja/compare")
            .header("host", HOST)
            .header("content-type", content_type)
            .header("x-requested-with", "fetch")
            .body(Body::from(body))
            .unwrap(),
    )
    .await;
    let fragment = reply.text();
    assert!(fragment.starts_with("<div id=\"results\""), "{fragment}");
    assert!(fragment.contains("<table class=\"shinkyu\">"));
    let reply = post_multipart("/ja/compare", &[("old", Some("old.md"), &old)]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.text().contains("`new` is missing: choose a file"));
}

#[tokio::test]
async fn the_evaluate_page_shows_the_evaluation() {
    let dir = TempDir::new().unwrap();
    let responses = filled_responses(dir.path(), &repo().join(EXAMPLE));
    let reply = post_multipart(
        "/en/evaluate",
        &[
            ("profile", Some("r8-0421.yaml"), &example()),
            ("responses", Some("vendor.yaml"), &responses),
            ("lang", None, b"en"),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let html = reply.text();
    assert!(html.contains("<div class=\"document\" lang=\"en\">"));
    // The first yes/no question was answered no: a finding.
    assert!(html.contains("Q-AUTH-01"));
    let reply = post_multipart(
        "/ja/evaluate",
        &[
            ("profile", Some("r8-0421.yaml"), &example()),
            ("responses", Some("vendor.txt"), &responses),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply
            .text()
            .contains("vendor.txt: unsupported response file")
    );
}
