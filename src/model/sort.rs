//! The order of pages in a section, stable whatever order files were read in.

use super::Item;
use crate::load::Document;
use crate::load::frontmatter::SortBy;
use std::cmp::Ordering;
use std::sync::Arc;

/// Sorts item indices. Without `sort_by`: weight (unweighted last), then newest date, then
/// title. Every order ends with the source path, so ties never depend on thread timing.
pub fn sort_pages(
    pages: &mut [usize],
    sort_by: Option<SortBy>,
    items: &[Item],
    docs: &[Arc<Document>],
) {
    let doc = |i: usize| &docs[items[i].doc];
    let by_weight = |a: &Document, b: &Document| match (a.front.weight, b.front.weight) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    let newest = |a: Option<crate::dates::Date>, b: Option<crate::dates::Date>| match (a, b) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    let title = |d: &Document| d.front.title.clone().unwrap_or_default();
    pages.sort_by(|&a, &b| {
        let (da, db) = (doc(a), doc(b));
        let primary = match sort_by {
            Some(SortBy::Date) => newest(da.front.date, db.front.date),
            Some(SortBy::Updated) => newest(
                da.front.updated.or(da.front.date),
                db.front.updated.or(db.front.date),
            ),
            Some(SortBy::Title) => title(da).to_lowercase().cmp(&title(db).to_lowercase()),
            Some(SortBy::Weight) => by_weight(da, db),
            None => by_weight(da, db)
                .then_with(|| newest(da.front.date, db.front.date))
                .then_with(|| title(da).cmp(&title(db))),
        };
        primary.then_with(|| da.rel.cmp(&db.rel))
    });
}
