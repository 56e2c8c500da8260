//! The dev server's request path cleaner: whatever it accepts is a clean relative path
//! inside the site (no `..`, not absolute, no backslash, NUL, drive or empty segment).

#![no_main]

use lantern::serve::clean_path;
use libfuzzer_sys::fuzz_target;
use std::path::{Component, Path};

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    let Some(path) = clean_path(raw) else { return };
    assert!(!path.starts_with('/'), "absolute: {path:?} from {raw:?}");
    assert!(!path.contains(['\\', '\0', ':']), "{path:?} from {raw:?}");
    let segments = path.strip_suffix('/').unwrap_or(&path);
    if !segments.is_empty() {
        for segment in segments.split('/') {
            assert!(
                !matches!(segment, "" | "." | ".."),
                "segment {segment:?} in {path:?} from {raw:?}"
            );
        }
    }
    assert!(
        Path::new(&path)
            .components()
            .all(|c| matches!(c, Component::Normal(_))),
        "{path:?} from {raw:?} does not stay below the site root"
    );
    // What comes out is already clean: asking again gives the same path.
    if !path.contains('%') {
        assert_eq!(
            clean_path(&format!("/{path}")).as_deref(),
            Some(path.as_str())
        );
    }
});
