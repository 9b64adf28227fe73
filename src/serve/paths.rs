//! Request paths to files under the output folder. A path is percent-decoded
//! (`percent-encoding`) and split into segments; `..`, backslashes, NUL, drive letters and
//! undecodable bytes are refused before the file system is asked, and the file found is
//! refused too when its real path (symlinks followed) is outside the output folder. A folder
//! is served as its `index.html`; asked for without its trailing slash it is redirected, on
//! this host only.

use std::path::{Path, PathBuf};

/// Why a request path cannot be served.
#[derive(Debug, PartialEq, Eq)]
pub enum PathError {
    /// `..`, a backslash, NUL, a bad escape or undecodable bytes: refused outright (403).
    Forbidden,
}

/// Decodes a request path into its relative segments (`/a/b%20c/` → `["a", "b c"]`),
/// refusing anything that could leave the served folder.
pub fn safe_segments(path: &str) -> Result<Vec<String>, PathError> {
    // `%` must start an escape: `percent-encoding` keeps a bad one as it is, which would
    // name a different file than the client meant.
    let escapes_ok = path.split('%').skip(1).all(|rest| {
        rest.as_bytes()
            .get(..2)
            .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
    });
    if !escapes_ok {
        return Err(PathError::Forbidden);
    }
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .map_err(|_| PathError::Forbidden)?;
    let mut out = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return Err(PathError::Forbidden),
            s if s.contains(['\\', '\0', ':']) => return Err(PathError::Forbidden),
            s => out.push(s.to_owned()),
        }
    }
    Ok(out)
}

/// What a request path leads to.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Resolved {
    File(PathBuf),
    /// A folder asked for without the trailing slash: relative links need it.
    Redirect(String),
    Forbidden,
    Missing,
}

/// Maps segments to a file under `root` (a folder to its `index.html`); a symlink that
/// leads outside `root` is refused. `raw_path` is the path as requested (for the redirect).
pub(crate) fn resolve(root: &Path, segments: &[String], raw_path: &str) -> Resolved {
    let Ok(root) = root.canonicalize() else {
        return Resolved::Missing;
    };
    let mut path = root.clone();
    path.extend(segments);
    let Ok(real) = path.canonicalize() else {
        return Resolved::Missing;
    };
    if !real.starts_with(&root) {
        return Resolved::Forbidden;
    }
    if real.is_dir() {
        if !raw_path.ends_with('/') {
            // One leading slash: `//host/x` would send the browser to another host.
            return Resolved::Redirect(format!("/{}/", raw_path.trim_start_matches('/')));
        }
        let index = real.join("index.html");
        return if index.is_file() {
            Resolved::File(index)
        } else {
            Resolved::Missing
        };
    }
    if real.is_file() {
        Resolved::File(real)
    } else {
        Resolved::Missing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_decode_and_traversal_is_refused() {
        assert_eq!(safe_segments("/").unwrap(), Vec::<String>::new());
        assert_eq!(
            safe_segments("/a/./%E7%A4%BA%E4%BE%8B/b%20c.html").unwrap(),
            ["a", "示例", "b c.html"]
        );
        for bad in [
            "/../Cargo.toml",
            "/a/../../x",
            "/%2e%2e/Cargo.toml",
            "/%2E%2E%2fCargo.toml",
            "/a%5c..%5cx",
            "/a%00",
            "/C:/x",
            "/%zz",
            "/%f",
            "/%ff",
        ] {
            assert_eq!(safe_segments(bad), Err(PathError::Forbidden), "{bad}");
        }
    }

    #[test]
    fn resolve_maps_folders_and_refuses_escapes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("public");
        std::fs::create_dir_all(root.join("d")).unwrap();
        std::fs::write(root.join("index.html"), "home").unwrap();
        std::fs::write(root.join("d/index.html"), "d").unwrap();
        std::fs::create_dir_all(root.join("empty")).unwrap();
        std::fs::write(dir.path().join("secret.txt"), "s").unwrap();
        let seg = |p: &str| safe_segments(p).unwrap();
        assert!(
            matches!(resolve(&root, &seg("/"), "/"), Resolved::File(p) if p.ends_with("public/index.html"))
        );
        assert!(
            matches!(resolve(&root, &seg("/d/"), "/d/"), Resolved::File(p) if p.ends_with("d/index.html"))
        );
        assert_eq!(
            resolve(&root, &seg("/d"), "/d"),
            Resolved::Redirect("/d/".into())
        );
        assert_eq!(
            resolve(&root, &seg("//d"), "//d"),
            Resolved::Redirect("/d/".into())
        );
        assert_eq!(
            resolve(&root, &seg("/empty/"), "/empty/"),
            Resolved::Missing
        );
        assert_eq!(
            resolve(&root, &seg("/nope.html"), "/nope.html"),
            Resolved::Missing
        );
        assert_eq!(
            resolve(&dir.path().join("gone"), &seg("/"), "/"),
            Resolved::Missing
        );
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("link.txt"))
                .unwrap();
            std::os::unix::fs::symlink(dir.path(), root.join("up")).unwrap();
            for p in ["/link.txt", "/up/secret.txt"] {
                assert_eq!(resolve(&root, &seg(p), p), Resolved::Forbidden, "{p}");
            }
        }
    }
}
