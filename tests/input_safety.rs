//! Input the site's files cannot be trusted to be: symbolic links out of the site,
//! named pipes and devices, unreadable overrides, unsafe aliases and base URLs, file
//! names with dots. Each is refused with a message naming the file (line and column
//! where there is one), exit code 1 and the previous `site/` untouched, or, where the
//! input is fine (a link inside the site, `notes.old.md`), built.

#![cfg(unix)]

mod common;

use common::{Site, assert_points_at};
use std::os::unix::fs::symlink;
use std::path::Path;

/// A minimal site built once, with its output snapshot.
fn built_site() -> (Site, common::Snapshot) {
    let site = Site::minimal();
    let before = site.build_ok();
    (site, before)
}

/// Makes a symbolic link at `rel` below the site root, creating its folder.
fn link(site: &Site, rel: &str, target: impl AsRef<Path>) {
    let at = site.path(rel);
    std::fs::create_dir_all(at.parent().expect("has a parent")).expect("create folder");
    symlink(target, &at).unwrap_or_else(|e| panic!("link {rel}: {e}"));
}

/// A file beside the site root (outside the site) holding `text`.
fn outside_file(site: &Site, rel: &str, text: &str) -> std::path::PathBuf {
    let path = site.outside().join(rel);
    std::fs::create_dir_all(path.parent().expect("has a parent")).expect("create folder");
    std::fs::write(&path, text).expect("write outside file");
    path
}

/// Asserts that `err` refuses the link at `shown` as pointing outside the site.
fn assert_refused_link(err: &str, shown: &str) {
    let at = err
        .find(&format!("--> {shown}"))
        .unwrap_or_else(|| panic!("`{shown}` not named in:\n{err}"));
    let before = &err[..at];
    let message = before.rsplit("error: ").next().unwrap_or("");
    assert!(
        message.contains("symbolic link") && message.contains("outside the site folder"),
        "`{shown}` is not refused as a link out of the site:\n{err}"
    );
}

#[test]
fn content_links_out_of_the_site_are_refused() {
    let (site, before) = built_site();
    let secret = outside_file(&site, "shared/secret.txt", "TOPSECRET\n");
    link(&site, "content/passwd.txt", "/etc/passwd");
    link(&site, "content/environ.txt", "/proc/self/environ");
    link(&site, "content/shared", secret.parent().expect("folder"));
    let err = site.build_fails(3);
    assert_refused_link(&err, "content/passwd.txt");
    assert_refused_link(&err, "content/environ.txt");
    assert_refused_link(&err, "content/shared");
    assert!(
        err.contains("/etc/passwd"),
        "the link's target is named:\n{err}"
    );
    assert!(
        err.contains("allow_outside"),
        "the way out is named:\n{err}"
    );
    site.assert_untouched(&before);
}

#[test]
fn links_out_of_the_site_are_refused_in_every_input_folder() {
    let (site, before) = built_site();
    let toml = outside_file(&site, "x/strings.toml", "TOPSECRET = \"x\"\n");
    let theme = outside_file(&site, "theme/templates/page.html", "TOPSECRET\n");
    let html = outside_file(&site, "x/page.html", "TOPSECRET\n");
    let css = outside_file(&site, "x/style.css", "TOPSECRET {}\n");
    let md = outside_file(&site, "x/page.md", "+++\ntitle = \"TOPSECRET\"\n+++\n");
    link(&site, "static/style.css", &css);
    link(&site, "templates/page.html", &html);
    link(&site, "i18n/en.toml", &toml);
    link(&site, "data/lines.toml", &toml);
    link(&site, "content/b.md", &md);
    let theme_dir = theme.parent().and_then(Path::parent).expect("theme folder");
    link(&site, "themes/shared", theme_dir);
    site.write(
        "lantern.toml",
        format!("{}theme = \"shared\"\n", common::CONFIG),
    );
    let err = site.build_fails(6);
    for shown in [
        "static/style.css",
        "templates/page.html",
        "i18n/en.toml",
        "data/lines.toml",
        "content/b.md",
    ] {
        assert_refused_link(&err, shown);
    }
    assert_refused_link(&err, "themes/shared/templates");
    assert!(
        !err.contains("TOPSECRET"),
        "an outside file was quoted:\n{err}"
    );
    site.assert_untouched(&before);
}

#[test]
fn load_data_through_a_link_out_of_the_site_is_refused() {
    let (site, before) = built_site();
    let outside = outside_file(&site, "secret.toml", "TOPSECRET = = 1\n");
    link(&site, "extra/lines.toml", &outside);
    site.write(
        "templates/page.html",
        "{% set d = load_data(path=\"extra/lines.toml\") %}{{ d }}\n",
    );
    let err = site.build_fails(1);
    assert!(err.contains("templates/page.html:1:"), "{err}");
    assert!(err.contains("extra/lines.toml"), "{err}");
    assert!(err.contains("outside the site folder"), "{err}");
    assert!(
        !err.contains("TOPSECRET"),
        "the outside file was quoted:\n{err}"
    );
    site.assert_untouched(&before);
}

#[test]
fn links_that_stay_inside_the_site_keep_working() {
    let site = Site::minimal();
    site.write("content/files/guide.pdf", "PDF");
    site.write("shared/logo.svg", "<svg/>");
    link(&site, "content/b.md", "a.md");
    link(&site, "content/more", "files");
    link(&site, "static/logo.svg", "../shared/logo.svg");
    site.build_ok();
    assert!(site.path("site/b/index.html").is_file());
    assert!(site.path("site/more/guide.pdf").is_file());
    assert_eq!(
        std::fs::read_to_string(site.path("site/logo.svg")).expect("published"),
        "<svg/>"
    );
}

#[test]
fn allow_outside_lets_a_folder_in_on_purpose() {
    let site = Site::minimal();
    let image = outside_file(&site, "shared-images/map.svg", "<svg/>");
    link(&site, "content/images", image.parent().expect("folder"));
    site.write(
        "lantern.toml",
        format!("{}allow_outside = [\"../shared-images\"]\n", common::CONFIG),
    );
    site.build_ok();
    assert_eq!(
        std::fs::read_to_string(site.path("site/images/map.svg")).expect("published"),
        "<svg/>"
    );
}

#[test]
fn allow_outside_folder_that_does_not_exist() {
    let (site, before) = built_site();
    site.write(
        "lantern.toml",
        format!("{}allow_outside = [\"../nowhere\"]\n", common::CONFIG),
    );
    let err = site.build_fails(1);
    assert_points_at(
        &err,
        "lantern.toml",
        3,
        1,
        "allow_outside = [\"../nowhere\"]",
    );
    assert!(
        err.contains("allow_outside: cannot use `../nowhere`"),
        "{err}"
    );
    site.assert_untouched(&before);
}

/// Makes a named pipe at `rel` below the site root.
fn fifo(site: &Site, rel: &str) {
    let path = site.path(rel);
    std::fs::create_dir_all(path.parent().expect("has a parent")).expect("create folder");
    let status = std::process::Command::new("mkfifo")
        .arg(&path)
        .status()
        .expect("run mkfifo");
    assert!(status.success(), "mkfifo {rel}");
}

#[test]
fn load_data_on_a_named_pipe_fails_instead_of_hanging() {
    let (site, before) = built_site();
    fifo(&site, "extra/pipe.toml");
    site.write(
        "templates/page.html",
        "{% set d = load_data(path=\"extra/pipe.toml\") %}{{ d }}\n",
    );
    let err = site.build_fails(1);
    assert!(err.contains("templates/page.html:1:"), "{err}");
    assert!(err.contains("extra/pipe.toml"), "{err}");
    assert!(err.contains("named pipe"), "{err}");
    site.assert_untouched(&before);
}

#[test]
fn load_data_on_a_device_fails_instead_of_filling_memory() {
    let (site, before) = built_site();
    link(&site, "extra/zero.toml", "/dev/zero");
    site.write(
        "lantern.toml",
        format!("{}allow_outside = [\"/dev\"]\n", common::CONFIG),
    );
    site.write(
        "templates/page.html",
        "{% set d = load_data(path=\"extra/zero.toml\") %}{{ d }}\n",
    );
    let err = site.build_fails(1);
    assert!(err.contains("extra/zero.toml"), "{err}");
    assert!(err.contains("a device, not a regular file"), "{err}");
    site.assert_untouched(&before);
}

#[test]
fn special_files_in_input_folders_are_errors() {
    let (site, before) = built_site();
    fifo(&site, "data/lines.toml");
    fifo(&site, "content/pipe.md");
    fifo(&site, "templates/page.html");
    let err = site.build_fails(3);
    for shown in ["data/lines.toml", "content/pipe.md", "templates/page.html"] {
        assert!(err.contains(&format!("--> {shown}")), "{shown}:\n{err}");
    }
    assert!(err.contains("named pipe"), "{err}");
    site.assert_untouched(&before);
}

#[test]
fn unreadable_overrides_are_errors_not_replaced_by_the_theme() {
    let (site, before) = built_site();
    // Tests run as root, which reads any file whatever its mode: make the files
    // unreadable as links that lead nowhere, or to themselves.
    link(&site, "static/style.css", "missing.css");
    link(&site, "templates/page.html", "page.html");
    link(&site, "i18n/en.toml", "../nowhere/en.toml");
    let err = site.build_fails(3);
    for shown in ["static/style.css", "templates/page.html", "i18n/en.toml"] {
        assert!(err.contains(&format!("--> {shown}")), "{shown}:\n{err}");
    }
    assert!(err.contains("cannot read"), "{err}");
    site.assert_untouched(&before);
}

#[test]
fn unsafe_aliases_are_refused_at_their_line() {
    let (site, before) = built_site();
    site.write(
        "content/a.md",
        "+++\ntitle = \"A\"\naliases = [\"/fine/\", \"old page\", \"x 301\\n/* https://evil.example/ 200\"]\n+++\nBody\n",
    );
    site.write(
        "content/b.md",
        "+++\ntitle = \"B\"\naliases = [\n  \"/../../outside\",\n  \"https://evil.example/\",\n]\n+++\nBody\n",
    );
    let err = site.build_fails(4);
    let line = "aliases = [\"/fine/\", \"old page\", \"x 301\\n/* https://evil.example/ 200\"]";
    assert_points_at(&err, "content/a.md", 3, 23, line);
    // Same line: the snippet helper finds the first one; the column says which alias.
    assert!(err.contains("content/a.md:3:35"), "{err}");
    assert_points_at(&err, "content/b.md", 4, 4, "\"/../../outside\",");
    assert_points_at(&err, "content/b.md", 5, 4, "\"https://evil.example/\",");
    assert!(err.contains("space or a line break"), "{err}");
    assert!(err.contains("`..` segment"), "{err}");
    site.assert_untouched(&before);
    assert!(!site.outside().join("outside").exists());
}

#[test]
fn base_url_with_a_quote_is_refused() {
    let (site, before) = built_site();
    site.write(
        "lantern.toml",
        "title = \"T\"\nbase_url = \"https://example.org/\\\" onmouseover=\\\"x\"\n",
    );
    let err = site.build_fails(1);
    assert_points_at(&err, "lantern.toml", 2, 1, "base_url = ");
    assert!(err.contains("must not contain"), "{err}");
    site.assert_untouched(&before);
}

#[test]
fn base_url_without_a_host_is_refused() {
    let (site, before) = built_site();
    site.write(
        "lantern.toml",
        "title = \"T\"\nbase_url = \"https:///x/\"\n",
    );
    let err = site.build_fails(1);
    assert_points_at(&err, "lantern.toml", 2, 1, "base_url = ");
    assert!(err.contains("host"), "{err}");
    site.assert_untouched(&before);
}

#[test]
fn a_dot_word_that_is_no_language_is_part_of_the_name() {
    let site = Site::minimal();
    site.write(
        "content/notes.old.md",
        "+++\ntitle = \"Old notes\"\n+++\nBody\n",
    );
    site.build_ok();
    let page = std::fs::read_to_string(site.path("site/notes-old/index.html")).expect("page");
    assert!(page.contains("Old notes"), "{page}");
}

#[test]
fn base_url_override_is_checked_too() {
    let (site, before) = built_site();
    let out = assert_cmd::Command::cargo_bin("lantern")
        .expect("lantern binary")
        .current_dir(&site.root)
        .args([
            "build",
            "--root",
            ".",
            "--base-url",
            "https://example.org/\"x",
        ])
        .timeout(common::BUILD_TIMEOUT)
        .output()
        .expect("run lantern");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("--base-url"), "{err}");
    assert!(err.contains("must not contain"), "{err}");
    site.assert_untouched(&before);
}
