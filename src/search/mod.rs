//! Site search: a per-language inverted index written as small script files that the
//! default theme's `search.js` loads on demand (also from `file://`). The query never
//! leaves the reader's browser: it lives in the URL fragment.

pub mod index;
pub mod output;
pub mod shards;
pub mod tokenize;
