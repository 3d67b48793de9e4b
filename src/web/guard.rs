//! The safety rules every request passes through.
//!
//! - The Host header must name this server: `localhost`, a loopback address or the bound
//!   address, with the port it listens on; anything else gets 421 (a page reached through
//!   someone else's DNS name — DNS rebinding — never talks to the app).
//! - A state-changing request (anything but GET/HEAD/OPTIONS) that carries an Origin must come
//!   from this server's own origin, and one a browser marks cross-site is refused: 403.
//! - Every response carries a Content-Security-Policy that allows only this origin and no
//!   framing, `X-Content-Type-Options: nosniff`, the referrer only to itself, and no caching.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::App;

/// Only this origin: scripts, styles, images, form targets and fetches; never in a frame.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'";

pub async fn guard(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return refuse(StatusCode::BAD_REQUEST, "the request has no Host header");
    };
    if !host_allowed(host, app.addr) {
        return refuse(
            StatusCode::MISDIRECTED_REQUEST,
            "this server answers only requests addressed to it (localhost or the address it listens on)",
        );
    }
    if changes_state(request.method()) && !same_origin(headers, host) {
        return refuse(
            StatusCode::FORBIDDEN,
            "the request came from another site: chotatsu serve accepts forms and uploads only from its own pages",
        );
    }
    let mut response = next.run(request).await;
    secure_headers(response.headers_mut());
    response
}

fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// A browser sends Origin with every POST; a request without one (curl, a script on this
/// computer) is not a cross-site form. `Sec-Fetch-Site: cross-site` is refused even so.
fn same_origin(headers: &HeaderMap, host: &str) -> bool {
    let site_ok = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| matches!(v, "same-origin" | "none"));
    let origin_ok = headers
        .get(header::ORIGIN)
        .map(|o| o.to_str().ok() == Some(&format!("http://{host}")))
        .unwrap_or(true);
    site_ok && origin_ok
}

/// `host[:port]` names this server: the port must be ours (or absent when ours is 80), and
/// the host `localhost`, a loopback address, or the bound address. Bound to every
/// interface (0.0.0.0 or ::), any IP literal is accepted — DNS rebinding needs a name, and a
/// name other than `localhost` is still refused.
pub fn host_allowed(host: &str, addr: SocketAddr) -> bool {
    let Some((name, port)) = split_host(host) else {
        return false;
    };
    if port.unwrap_or(80) != addr.port() {
        return false;
    }
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match name.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback() || ip == addr.ip() || addr.ip().is_unspecified(),
        Err(_) => false,
    }
}

/// `name` and port of a Host header; IPv6 literals are bracketed.
fn split_host(host: &str) -> Option<(&str, Option<u16>)> {
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        let (name, after) = rest.split_once(']')?;
        match after {
            "" => (name, None),
            p => (name, Some(p.strip_prefix(':')?)),
        }
    } else {
        match host.rsplit_once(':') {
            Some((n, p)) => (n, Some(p)),
            None => (host, None),
        }
    };
    let port = match port {
        Some(p) => Some(p.parse::<u16>().ok()?),
        None => None,
    };
    (!name.is_empty()).then_some((name, port))
}

/// How to write the address in a URL: IPv6 in brackets; the unspecified address as
/// `localhost`, which is what a browser on this computer should open.
pub fn display_host(addr: SocketAddr) -> String {
    if addr.ip().is_unspecified() {
        format!("localhost:{}", addr.port())
    } else {
        addr.to_string()
    }
}

fn secure_headers(headers: &mut HeaderMap) {
    let set = |headers: &mut HeaderMap, name: &'static str, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(headers, "content-security-policy", CONTENT_SECURITY_POLICY);
    set(headers, "x-content-type-options", "nosniff");
    set(headers, "x-frame-options", "DENY");
    // Not `no-referrer`: with it, browsers send `Origin: null` on their own form posts.
    set(headers, "referrer-policy", "same-origin");
    set(headers, "cross-origin-opener-policy", "same-origin");
    set(headers, "cross-origin-resource-policy", "same-origin");
    // Profiles and contracts are confidential: no copy in the browser's cache.
    set(headers, "cache-control", "no-store");
}

fn refuse(status: StatusCode, message: &str) -> Response {
    let mut response = (status, format!("{message}\n")).into_response();
    secure_headers(response.headers_mut());
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_other_than_this_server_are_refused() {
        let loopback: SocketAddr = "127.0.0.1:8750".parse().unwrap();
        assert!(host_allowed("localhost:8750", loopback));
        assert!(host_allowed("LOCALHOST:8750", loopback));
        assert!(host_allowed("127.0.0.1:8750", loopback));
        assert!(host_allowed("[::1]:8750", loopback));
        assert!(!host_allowed("localhost:8751", loopback));
        assert!(!host_allowed("localhost", loopback));
        assert!(!host_allowed("attacker.example:8750", loopback));
        assert!(!host_allowed("192.168.1.10:8750", loopback));
        assert!(!host_allowed("[::1:8750", loopback));
        assert!(!host_allowed(":8750", loopback));

        let lan: SocketAddr = "192.168.1.10:8750".parse().unwrap();
        assert!(host_allowed("192.168.1.10:8750", lan));
        assert!(!host_allowed("192.168.1.11:8750", lan));
        assert!(!host_allowed("intranet.example:8750", lan));

        let any: SocketAddr = "0.0.0.0:8750".parse().unwrap();
        assert!(host_allowed("10.0.0.5:8750", any));
        assert!(!host_allowed("rebind.example:8750", any));
    }
}
