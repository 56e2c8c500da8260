//! Splitting a list into numbered pages: `/guides/`, `/guides/page/2/`, … The first page
//! lives at the list's own URL; `/guides/page/1/` redirects there (see redirects.rs).
//!
//! Linear by design: a [`Pagination`] is only slices and counts; each list page's
//! template value is built inside its own render job, and carries a window of page
//! numbers (first, last, current ± 2), not all of them. A list of `n` pages in pages of
//! 20 therefore costs O(n) in total, where numbering every page on every list page would
//! cost O(n²/20): that is what made 100k-page sites run out of memory.

use crate::model::Site;
use serde::Serialize;

/// Numbers shown on each side of the current page.
const WINDOW: usize = 2;

/// One list page to render.
pub struct Pager {
    pub current_path: String,
    pub paginator: tera::Value,
    /// The items on this page, in list form.
    pub pages: tera::Value,
}

#[derive(Serialize)]
struct Paginator {
    /// 1-based.
    current_index: usize,
    number_pagers: usize,
    paginate_by: usize,
    total_pages: usize,
    first: String,
    last: String,
    previous: Option<String>,
    next: Option<String>,
    /// A window of page numbers: the first, the last, and the current one ± 2. `gap`
    /// marks a number that follows skipped ones (themes show "…" before it).
    numbers: Vec<Number>,
}

#[derive(Serialize)]
struct Number {
    index: usize,
    path: String,
    current: bool,
    gap: bool,
}

/// Site-relative path of list page `n` of the list at `url_path`.
pub fn pager_path(url_path: &str, n: usize) -> String {
    if n <= 1 {
        url_path.to_string()
    } else {
        format!("{url_path}page/{n}/")
    }
}

/// A list cut into pages of `per_page` (at least one page, even when empty).
#[derive(Clone, Copy)]
pub struct Pagination<'a> {
    pub url_path: &'a str,
    items: &'a [usize],
    per_page: usize,
}

impl<'a> Pagination<'a> {
    pub fn new(url_path: &'a str, items: &'a [usize], per_page: usize) -> Pagination<'a> {
        Pagination {
            url_path,
            items,
            per_page: per_page.max(1),
        }
    }

    /// How many list pages.
    pub fn count(&self) -> usize {
        self.items.len().div_ceil(self.per_page).max(1)
    }

    /// The items on list page `n` (1-based).
    pub fn chunk(&self, n: usize) -> &'a [usize] {
        let start = (n - 1).saturating_mul(self.per_page).min(self.items.len());
        let end = start.saturating_add(self.per_page).min(self.items.len());
        &self.items[start..end]
    }

    /// Site-relative path of list page `n`: `/guides/page/2/`.
    pub fn current_path(&self, n: usize) -> String {
        pager_path(self.url_path, n)
    }

    /// Output file of list page `n`: `guides/page/2/index.html`.
    pub fn out_file(&self, n: usize) -> String {
        format!("{}index.html", &pager_path(self.url_path, n)[1..])
    }

    /// Everything the template of list page `n` needs; `lite(i)` gives an item's list
    /// form.
    pub fn pager(&self, site: &Site, n: usize, lite: impl Fn(usize) -> tera::Value) -> Pager {
        let href = |k: usize| site.urls.root(&pager_path(self.url_path, k));
        let count = self.count();
        let mut numbers: Vec<Number> = Vec::new();
        for k in window(n, count) {
            let gap = numbers.last().is_some_and(|last| last.index + 1 < k);
            numbers.push(Number {
                index: k,
                path: href(k),
                current: k == n,
                gap,
            });
        }
        let paginator = Paginator {
            current_index: n,
            number_pagers: count,
            paginate_by: self.per_page,
            total_pages: self.items.len(),
            first: href(1),
            last: href(count),
            previous: (n > 1).then(|| href(n - 1)),
            next: (n < count).then(|| href(n + 1)),
            numbers,
        };
        Pager {
            current_path: pager_path(self.url_path, n),
            paginator: tera::Value::from_serializable(&paginator),
            pages: tera::Value::from(self.chunk(n).iter().map(|&p| lite(p)).collect::<Vec<_>>()),
        }
    }
}

/// The page numbers to show on page `n` of `count`, ascending: 1, `count`, and `n` ± 2. A
/// gap of a single number is filled instead of shown as "…".
fn window(n: usize, count: usize) -> Vec<usize> {
    let lo = n.saturating_sub(WINDOW).max(1);
    let hi = (n + WINDOW).min(count);
    let mut shown: Vec<usize> = vec![1];
    if lo == 3 {
        shown.push(2);
    }
    shown.extend(lo.max(2)..=hi);
    if hi + 2 == count {
        shown.push(count - 1);
    }
    if count > hi {
        shown.push(count);
    }
    shown.dedup();
    shown
}

#[cfg(test)]
mod tests {
    use super::{Pagination, pager_path, window};

    #[test]
    fn first_page_is_the_list_itself() {
        assert_eq!(pager_path("/guides/", 1), "/guides/");
        assert_eq!(pager_path("/guides/", 3), "/guides/page/3/");
    }

    #[test]
    fn numbers_are_a_window() {
        assert_eq!(window(1, 1), vec![1]);
        assert_eq!(window(1, 3), vec![1, 2, 3]);
        assert_eq!(window(4, 7), vec![1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(window(1, 100), vec![1, 2, 3, 100]);
        assert_eq!(window(50, 100), vec![1, 48, 49, 50, 51, 52, 100]);
        assert_eq!(window(100, 100), vec![1, 98, 99, 100]);
        assert_eq!(window(5, 100), vec![1, 2, 3, 4, 5, 6, 7, 100]);
        assert_eq!(window(97, 100), vec![1, 95, 96, 97, 98, 99, 100]);
    }

    #[test]
    fn chunks_cover_every_item_once() {
        let items: Vec<usize> = (0..45).collect();
        let p = Pagination::new("/x/", &items, 20);
        assert_eq!(p.count(), 3);
        assert_eq!(p.chunk(1), &items[0..20]);
        assert_eq!(p.chunk(3), &items[40..45]);
        let empty: Vec<usize> = Vec::new();
        let p = Pagination::new("/x/", &empty, 20);
        assert_eq!(p.count(), 1);
        assert!(p.chunk(1).is_empty());
        assert_eq!(p.out_file(1), "x/index.html");
    }
}
