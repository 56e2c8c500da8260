//! How an index is cut into files the browser loads as `<script>`s (from `file://`
//! too, where `fetch` of local files is blocked): each file calls
//! `lanternSearch.add(kind, n, data)`.
//!
//! - `m.js`, the manifest: shard counts, the synonyms, the page count.
//! - `t<n>.js`: the postings of the terms whose FNV-1a hash is `n` modulo the term-shard
//!   count, and the stems of the surface words hashing to `n`. The count is decided
//!   from the size of the sources before anything is tokenised (jobs must know their
//!   paths cheaply), aiming at files of at most about 50 KB.
//! - `d<n>.js`: title, URL, section and excerpt of [`DOCS_PER_SHARD`] pages, so a
//!   query downloads only the pages it shows.

use super::index::Index;
use serde_json::{Value, json};

/// Pages per `d<n>.js` file.
pub const DOCS_PER_SHARD: usize = 4;
/// Source bytes per term shard: measured on the bundled site and the generated bench
/// sites, a shard holds about a quarter of this.
pub const SOURCE_BYTES_PER_SHARD: usize = 20_000;
/// A term keeps its best-scored pages only (see [`super::index::build`]).
pub const MAX_POSTINGS: usize = 300;

/// 32-bit FNV-1a over UTF-8 bytes (`search.js` computes the same with `Math.imul`).
pub fn fnv1a(s: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in s.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(16_777_619);
    }
    h
}

/// Term shards for sources of `bytes` bytes in all.
pub fn term_shard_count(bytes: usize) -> u32 {
    u32::try_from(bytes / SOURCE_BYTES_PER_SHARD + 1).unwrap_or(u32::MAX)
}

/// Doc shards for `docs` pages.
pub fn doc_shard_count(docs: usize) -> usize {
    docs.div_ceil(DOCS_PER_SHARD)
}

fn script(kind: &str, n: usize, data: &Value) -> Vec<u8> {
    format!("lanternSearch.add(\"{kind}\",{n},{data});\n").into_bytes()
}

/// `m.js`.
pub fn manifest(index: &Index, term_shards: u32) -> Vec<u8> {
    let mut syn: Vec<(&String, &String)> = super::tokenize::synonyms()
        .iter()
        .filter(|(k, v)| k != v)
        .collect();
    syn.sort();
    let syn: serde_json::Map<String, Value> = syn
        .into_iter()
        .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
        .collect();
    let data = json!({
        "terms": term_shards,
        "docsPer": DOCS_PER_SHARD,
        "docs": index.docs.len(),
        "syn": syn,
    });
    script("m", 0, &data)
}

/// A term and its (page, score) list.
type Posting<'a> = (&'a str, &'a [(u32, u32)]);

/// Every `t<n>.js`, in one pass over the terms (a pass per shard would be quadratic).
/// Keys are written in byte order, so the same index gives the same files.
pub fn term_shards(index: &Index, term_shards: u32) -> Vec<Vec<u8>> {
    let n = term_shards as usize;
    let shard_of = |s: &str| (fnv1a(s) % term_shards) as usize;
    let mut postings: Vec<Vec<Posting>> = vec![Vec::new(); n];
    for (term, list) in &index.postings {
        postings[shard_of(term)].push((term, list));
    }
    let mut stems: Vec<Vec<(&str, &str)>> = vec![Vec::new(); n];
    for (word, stem) in &index.stems {
        stems[shard_of(word)].push((word, stem));
    }
    postings
        .into_iter()
        .zip(stems)
        .enumerate()
        .map(|(i, (p, s))| term_shard(i, p, s))
        .collect()
}

/// `lanternSearch.add("t",n,{"p":{term:[doc,score,…],…},"s":{word:stem,…}});`
fn term_shard(n: usize, mut p: Vec<Posting>, mut s: Vec<(&str, &str)>) -> Vec<u8> {
    p.sort_unstable_by_key(|e| e.0);
    s.sort_unstable_by_key(|e| e.0);
    let mut out = format!("lanternSearch.add(\"t\",{n},{{\"p\":{{").into_bytes();
    for (i, (term, list)) in p.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        json_string(&mut out, term);
        out.extend_from_slice(b":[");
        for (j, (d, score)) in list.iter().enumerate() {
            if j > 0 {
                out.push(b',');
            }
            let mut number = itoa::Buffer::new();
            out.extend_from_slice(number.format(*d).as_bytes());
            out.push(b',');
            out.extend_from_slice(number.format(*score).as_bytes());
        }
        out.push(b']');
    }
    out.extend_from_slice(b"},\"s\":{");
    for (i, (word, stem)) in s.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        json_string(&mut out, word);
        out.push(b':');
        json_string(&mut out, stem);
    }
    out.extend_from_slice(b"}});\n");
    out
}

/// `s` as a JSON string literal, escaped as serde_json escapes it.
fn json_string(out: &mut Vec<u8>, s: &str) {
    // Writing a string into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}

/// `d<n>.js`: `[title, url, section, excerpt]` per page.
pub fn doc_shard(index: &Index, n: usize, url_suffix: &str) -> Vec<u8> {
    let docs: Vec<Value> = index
        .docs
        .iter()
        .skip(n * DOCS_PER_SHARD)
        .take(DOCS_PER_SHARD)
        .map(|d| {
            let url = format!("{}{url_suffix}", d.url.trim_start_matches('/'));
            json!([d.title, url, d.section, d.excerpt])
        })
        .collect();
    script("d", n, &Value::from(docs))
}

#[cfg(test)]
mod tests {
    #[test]
    fn fnv_matches_the_reference_values() {
        assert_eq!(super::fnv1a(""), 0x811c_9dc5);
        assert_eq!(super::fnv1a("a"), 0xe40c_292c);
    }
}
