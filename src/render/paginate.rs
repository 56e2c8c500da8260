//! Splitting a list into numbered pages: `/guides/`, `/guides/page/2/`, … The first page
//! lives at the list's own URL; `/guides/page/1/` redirects there (see redirects.rs).

use super::base_path;
use crate::model::Site;
use serde::Serialize;

/// One list page to render.
pub struct Pager {
    pub out_file: String,
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
    numbers: Vec<Number>,
}

#[derive(Serialize)]
struct Number {
    index: usize,
    path: String,
    current: bool,
}

/// Site-relative path of list page `n` of the list at `url_path`.
pub fn pager_path(url_path: &str, n: usize) -> String {
    if n <= 1 {
        url_path.to_string()
    } else {
        format!("{url_path}page/{n}/")
    }
}

/// Cuts `items` into pages of `per_page` (at least one page, even when empty).
pub fn pagers(
    site: &Site,
    url_path: &str,
    items: &[usize],
    per_page: usize,
    lite: &[tera::Value],
) -> Vec<Pager> {
    let base = base_path(&site.config.base_url);
    let href = |n: usize| format!("{base}{}", &pager_path(url_path, n)[1..]);
    let chunks: Vec<&[usize]> = if items.is_empty() {
        vec![&[][..]]
    } else {
        items.chunks(per_page).collect()
    };
    let count = chunks.len();
    chunks
        .into_iter()
        .enumerate()
        .map(|(i, chunk)| {
            let n = i + 1;
            let paginator = Paginator {
                current_index: n,
                number_pagers: count,
                paginate_by: per_page,
                total_pages: items.len(),
                first: href(1),
                last: href(count),
                previous: (n > 1).then(|| href(n - 1)),
                next: (n < count).then(|| href(n + 1)),
                numbers: (1..=count)
                    .map(|k| Number {
                        index: k,
                        path: href(k),
                        current: k == n,
                    })
                    .collect(),
            };
            let current_path = pager_path(url_path, n);
            Pager {
                out_file: format!("{}index.html", &current_path[1..]),
                current_path,
                paginator: tera::Value::from_serializable(&paginator),
                pages: tera::Value::from(
                    chunk.iter().map(|&p| lite[p].clone()).collect::<Vec<_>>(),
                ),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::pager_path;

    #[test]
    fn first_page_is_the_list_itself() {
        assert_eq!(pager_path("/guides/", 1), "/guides/");
        assert_eq!(pager_path("/guides/", 3), "/guides/page/3/");
    }
}
