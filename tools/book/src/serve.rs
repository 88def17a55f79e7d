//! Serving the rendered book over HTTP on the loopback interface.
//!
//! A static file server is all `cargo book` needs: directories serve their
//! `index.html`, unknown paths get the book's own `404.html`, and every file
//! goes out with the content type a browser needs to use it (a stylesheet
//! served as `text/plain` is ignored, a font as the wrong type is refused).

use std::fs;
use std::io;
use std::net::{Ipv4Addr, TcpListener};
use std::path::{Component, Path, PathBuf};

/// The `Content-Type` for a file, by extension.
pub fn mime_type(path: &Path) -> &'static str {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("json" | "map") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        Some("ttf") => "font/ttf",
        Some("otf") => "font/otf",
        Some("txt" | "md" | "rs" | "toml") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// What to answer for one request path.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// Serve this file with status 200.
    File(PathBuf),
    /// Redirect a directory requested without its trailing slash, so its
    /// page's relative links resolve.
    Redirect(String),
    /// Serve the book's 404 page (if any) with status 404.
    NotFound,
}

/// Maps a request URL to a file under `dir`. `prefix` is the book's
/// `site-url` (for example `/async-from-scratch/`): the 404 page links its
/// assets under it, so requests with that prefix are served as if at `/`.
pub fn resolve(dir: &Path, prefix: &str, url: &str) -> Resolved {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let path = percent_decode(path);
    let path = match path.strip_prefix(prefix.trim_end_matches('/')) {
        Some(rest) if prefix.len() > 1 && (rest.is_empty() || rest.starts_with('/')) => {
            rest.to_string()
        }
        _ => path,
    };
    let mut file = dir.to_path_buf();
    for component in Path::new(&path).components() {
        match component {
            Component::Normal(part) => file.push(part),
            Component::RootDir | Component::CurDir => {}
            // Never leave the book's directory.
            Component::ParentDir | Component::Prefix(_) => return Resolved::NotFound,
        }
    }
    if file.is_dir() {
        if !path.ends_with('/') {
            return Resolved::Redirect(format!("{path}/"));
        }
        file.push("index.html");
    }
    if file.is_file() {
        Resolved::File(file)
    } else {
        Resolved::NotFound
    }
}

fn percent_decode(input: &str) -> String {
    let bytes = input.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((high * 16 + low) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Binds `127.0.0.1:port`, or any free port if that one is taken.
pub fn bind(port: u16) -> io::Result<TcpListener> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, port))
        .or_else(|_| TcpListener::bind((Ipv4Addr::LOCALHOST, 0)))
}

/// Serves `dir` on `listener` until the process ends.
pub fn serve(listener: TcpListener, dir: &Path, prefix: &str) -> anyhow::Result<()> {
    let server = tiny_http::Server::from_listener(listener, None)
        .map_err(|e| anyhow::anyhow!("could not start the HTTP server: {e}"))?;
    let site = std::sync::Arc::new((dir.to_path_buf(), prefix.to_string()));
    for request in server.incoming_requests() {
        // One thread per request: writing a large file (the search index, the
        // quiz script) blocks until the browser reads it, and a browser may
        // read it only after other files it asked for later. Answered in
        // turn, the page load can stall for a minute.
        let site = std::sync::Arc::clone(&site);
        std::thread::spawn(move || {
            let response = respond(&site.0, &site.1, request.url());
            // A browser that closed the connection early is not our problem.
            let _ = request.respond(response);
        });
    }
    Ok(())
}

fn respond(dir: &Path, prefix: &str, url: &str) -> tiny_http::Response<io::Cursor<Vec<u8>>> {
    let (status, body, content_type, location) = match resolve(dir, prefix, url) {
        Resolved::File(file) => match fs::read(&file) {
            Ok(body) => (200, body, mime_type(&file), None),
            Err(e) => (
                500,
                e.to_string().into_bytes(),
                "text/plain; charset=utf-8",
                None,
            ),
        },
        Resolved::Redirect(to) => (301, Vec::new(), "text/plain; charset=utf-8", Some(to)),
        Resolved::NotFound => match fs::read(dir.join("404.html")) {
            Ok(body) => (404, body, "text/html; charset=utf-8", None),
            Err(_) => (
                404,
                b"not found".to_vec(),
                "text/plain; charset=utf-8",
                None,
            ),
        },
    };
    let mut response = tiny_http::Response::from_data(body).with_status_code(status);
    response.add_header(header("Content-Type", content_type));
    if let Some(location) = location {
        response.add_header(header("Location", &location));
    }
    response
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("header names and values are ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_book_files_get_the_types_browsers_expect() {
        for (file, mime) in [
            ("index.html", "text/html; charset=utf-8"),
            ("css/chrome.css", "text/css; charset=utf-8"),
            ("book.js", "text/javascript; charset=utf-8"),
            ("favicon.svg", "image/svg+xml"),
            ("fonts/x.woff2", "font/woff2"),
            ("favicon.png", "image/png"),
            ("searchindex.json", "application/json"),
        ] {
            assert_eq!(mime_type(Path::new(file)), mime, "{file}");
        }
    }

    #[test]
    fn urls_map_to_files_directories_to_their_index_and_escapes_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("index.html"), "home").unwrap();
        fs::create_dir(dir.path().join("sub")).unwrap();
        fs::write(dir.path().join("sub/index.html"), "sub").unwrap();
        fs::write(dir.path().join("a b.html"), "space").unwrap();
        let root = dir.path();
        assert_eq!(
            resolve(root, "/", "/"),
            Resolved::File(root.join("index.html"))
        );
        assert_eq!(
            resolve(root, "/", "/sub/"),
            Resolved::File(root.join("sub/index.html"))
        );
        assert_eq!(
            resolve(root, "/", "/sub"),
            Resolved::Redirect("/sub/".into())
        );
        assert_eq!(
            resolve(root, "/", "/a%20b.html?x=1"),
            Resolved::File(root.join("a b.html"))
        );
        assert_eq!(resolve(root, "/", "/missing.html"), Resolved::NotFound);
        assert_eq!(resolve(root, "/", "/../etc/passwd"), Resolved::NotFound);
        assert_eq!(
            resolve(root, "/book/", "/book/index.html"),
            Resolved::File(root.join("index.html"))
        );
    }
}
