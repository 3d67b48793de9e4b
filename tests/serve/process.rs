//! The server as a user runs it: where it listens, what it says, that it writes nothing and
//! that Ctrl-C stops it cleanly.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

use crate::common::repo;

pub struct Server {
    pub child: Child,
    pub addr: String,
    pub said: Vec<String>,
    stderr: Option<BufReader<std::process::ChildStderr>>,
}

impl Server {
    /// Start `chotatsu serve --port 0 ARGS` in `dir` and wait for the line that says where
    /// it listens.
    pub fn start(dir: &std::path::Path, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_chotatsu"))
            .args(["serve", "--port", "0"])
            .args(args)
            .current_dir(dir)
            .env("TMPDIR", dir.join("tmp"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start chotatsu serve");
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut said = Vec::new();
        let addr = loop {
            let mut line = String::new();
            if stderr.read_line(&mut line).unwrap() == 0 {
                panic!("serve ended before listening: {said:?}");
            }
            said.push(line.trim_end().to_string());
            if let Some(rest) = line.split("open http://").nth(1) {
                break rest.split('/').next().unwrap().to_string();
            }
        };
        Server {
            child,
            addr,
            said,
            stderr: Some(stderr),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Send a signal and wait (at most 10 s) for the server to end; returns its exit code
    /// and what it said after listening.
    pub fn stop(mut self, signal: &str) -> (Option<i32>, String) {
        let status = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                let mut rest = String::new();
                self.stderr
                    .take()
                    .unwrap()
                    .read_to_string(&mut rest)
                    .unwrap();
                return (s.code(), rest);
            }
            assert!(Instant::now() < deadline, "serve did not stop within 10 s");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A raw HTTP/1.1 request of a profile; returns the status code and the body.
pub fn request(addr: &str, method: &str, path: &str, host: &str, body: &[u8]) -> (u16, Vec<u8>) {
    request_with(addr, method, path, host, "application/yaml", body)
}

/// A raw HTTP/1.1 request; returns the status code and the body.
pub fn request_with(
    addr: &str,
    method: &str,
    path: &str,
    host: &str,
    content_type: &str,
    body: &[u8],
) -> (u16, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: {}\r\nContent-Type: {content_type}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    stream.write_all(body).unwrap();
    // Read the head, then as many bytes as Content-Length says (a server may keep the
    // connection open).
    let mut reply = Vec::new();
    let mut buf = [0u8; 65536];
    let head_end = loop {
        if let Some(i) = reply.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut buf).unwrap();
        assert!(n > 0, "the connection closed before a response");
        reply.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&reply[..head_end]).to_string();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let length = head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case("content-length")
            .then(|| v.trim().parse::<usize>().ok())?
    });
    match length {
        Some(len) => {
            while reply.len() < head_end + len {
                let n = stream.read(&mut buf).unwrap();
                assert!(n > 0, "the connection closed early");
                reply.extend_from_slice(&buf[..n]);
            }
        }
        None => {
            stream.read_to_end(&mut reply).unwrap();
        }
    }
    (status, reply[head_end..].to_vec())
}

fn files_under(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p.display().to_string());
        }
    }
    out
}

#[test]
fn serve_listens_on_loopback_writes_nothing_and_stops_on_ctrl_c() {
    let dir = TempDir::new().unwrap();
    std::fs::create_dir(dir.path().join("tmp")).unwrap();
    let server = Server::start(dir.path(), &[]);
    assert!(server.addr.starts_with("127.0.0.1:"), "{}", server.addr);
    assert!(
        !server.said.iter().any(|l| l.contains("warning")),
        "no warning on loopback: {:?}",
        server.said
    );
    let (status, body) = request(&server.addr, "GET", "/ja/", &server.addr, b"");
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&body).contains("<html lang=\"ja\">"));
    let profile = std::fs::read(repo().join("examples/r8-0421.yaml")).unwrap();
    let (status, zip) = request(&server.addr, "POST", "/api/package", &server.addr, &profile);
    assert_eq!(status, 200);
    assert!(zip.starts_with(b"PK"));
    let (status, _) = request(&server.addr, "GET", "/ja/", "rebind.example", b"");
    assert_eq!(status, 421);
    let (code, said) = server.stop("-INT");
    assert_eq!(code, Some(0), "Ctrl-C is a clean stop: {said}");
    assert!(said.contains("chotatsu serve: stopped"), "{said}");
    assert_eq!(
        files_under(dir.path()),
        Vec::<String>::new(),
        "nothing written to disk"
    );
}

#[test]
fn serve_on_another_address_warns_that_there_is_no_login() {
    let dir = TempDir::new().unwrap();
    std::fs::create_dir(dir.path().join("tmp")).unwrap();
    let server = Server::start(dir.path(), &["--bind", "0.0.0.0"]);
    assert!(
        server.said.iter().any(|l| l
            .starts_with("warning: chotatsu serve is listening on 0.0.0.0:")
            && l.contains("the app has no login")),
        "{:?}",
        server.said
    );
    assert!(server.addr.starts_with("localhost:"), "{}", server.addr);
    let port = server.addr.split(':').nth(1).unwrap().to_string();
    let (status, _) = request(
        &format!("127.0.0.1:{port}"),
        "GET",
        "/ja/",
        &format!("127.0.0.1:{port}"),
        b"",
    );
    assert_eq!(status, 200);
    let (code, _) = server.stop("-TERM");
    assert_eq!(code, Some(0));
}

#[test]
fn serve_with_a_broken_overlay_fails_before_listening() {
    let dir = TempDir::new().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_chotatsu"))
        .args(["serve", "--port", "0", "--library"])
        .arg(repo().join("tests/fixtures/overlay-unknown-reference"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("the clause library has"), "{stderr}");
    drop(dir);
}
