//! Front matter: any file text either splits into front matter and body with offsets that
//! lie inside the file in order, or gives an error that points at a real line.

#![no_main]

use lantern::load::frontmatter;
use lantern_fuzz::{check_diagnostic, check_range};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match frontmatter::parse(Path::new("page.md"), text) {
        Ok(split) => {
            let front_end = split.front_start + split.front_text.len();
            check_range(
                text,
                split.front_start,
                split.front_text.len(),
                "front matter",
            );
            assert!(
                front_end <= split.body_start,
                "body starts inside the front matter"
            );
            check_range(
                text,
                split.body_start,
                text.len() - split.body_start,
                "body",
            );
            assert_eq!(&text[split.front_start..front_end], split.front_text);
        }
        Err(problems) => {
            assert!(!problems.is_empty(), "an error with no problem in it");
            for d in &problems {
                check_diagnostic(d, text);
            }
        }
    }
});
