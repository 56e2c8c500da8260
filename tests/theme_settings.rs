//! The theme's settings in `lantern.toml` (organisation, menus, quick exit, help lines,
//! statements) through the real binary: what each shows, per-language overrides, and a
//! clear error for every mistake.

mod common;

use common::{Site, assert_points_at};

const TWO_LANGUAGES: &str = "title = \"T\"\nbase_url = \"https://example.org/\"\nminify = false\n[languages.en]\nname = \"English\"\n[languages.ko]\nname = \"한국어\"\n";

/// A two-language site with a guides section, an About page and two help lines.
fn site(extra_config: &str) -> Site {
    let site = Site::empty();
    site.write("lantern.toml", format!("{TWO_LANGUAGES}{extra_config}"));
    site.write("content/_index.md", "+++\ntitle = \"Home\"\n+++\n");
    site.write("content/_index.ko.md", "+++\ntitle = \"홈\"\n+++\n");
    site.write("content/guides/_index.md", "+++\ntitle = \"Guides\"\n+++\n");
    site.write(
        "content/guides/_index.ko.md",
        "+++\ntitle = \"안내\"\n+++\n",
    );
    site.write(
        "content/guides/a.md",
        "+++\ntitle = \"Guide A\"\naudience = [\"parents\"]\n+++\n## One\nText.\n",
    );
    site.write(
        "content/guides/b.md",
        "+++\ntitle = \"Guide B\"\n+++\n## One\nText.\n",
    );
    site.write(
        "content/about.md",
        "+++\ntitle = \"About this site\"\n+++\nAbout.\n",
    );
    site.write("content/about.ko.md", "+++\ntitle = \"소개\"\n+++\n소개.\n");
    site.write(
        "data/helplines.toml",
        "[[helpline]]\ncountry = \"KR\"\nname_en = \"Korean line\"\nname_ko = \"한국 상담전화\"\nphone = \"1342\"\nhours_en = \"24 hours\"\nhours_ko = \"24시간\"\nfree = true\nconfidential = true\nurl = \"https://example.org/help\"\n\n[[helpline]]\ncountry = \"GB\"\nname_en = \"UK line\"\nname_ko = \"영국 상담전화\"\nphone = \"0800\"\nhours_en = \"Daytime\"\nhours_ko = \"낮\"\nfree = true\nconfidential = false\n",
    );
    site
}

fn read(site: &Site, rel: &str) -> String {
    std::fs::read_to_string(site.path("site").join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

const MENU: &str = "[[menus.main]]\npath = \"@/about.md\"\nweight = 20\n[[menus.main]]\npath = \"@/guides/_index.md\"\nweight = 10\n";

#[test]
fn menu_links_resolve_per_language_in_weight_order_and_mark_the_current_section() {
    let site = site(MENU);
    site.build_ok();
    let en = read(&site, "guides/a/index.html");
    assert!(
        en.contains("<ul><li><a href=\"../index.html\" aria-current=\"true\">Guides</a></li><li><a href=\"../../about/index.html\">About this site</a></li></ul>"),
        "{en}"
    );
    let ko = read(&site, "ko/about/index.html");
    assert!(
        ko.contains("<li><a href=\"../guides/index.html\">안내</a></li><li><a href=\"index.html\" aria-current=\"page\">소개</a></li>"),
        "{ko}"
    );
    assert!(ko.contains("<summary>메뉴</summary>"), "{ko}");
}

#[test]
fn a_language_can_replace_a_menu_and_name_its_links() {
    let site = site(&format!(
        "{MENU}[[languages.ko.menus.main]]\npath = \"@/about.md\"\nname = \"사이트 소개\"\n"
    ));
    site.build_ok();
    let ko = read(&site, "ko/index.html");
    let menu = &ko[ko.find("<nav class=\"menu\"").expect("menu")..];
    let menu = &menu[..menu.find("</nav>").expect("end")];
    assert!(menu.contains(">사이트 소개</a>"), "{menu}");
    assert!(
        !menu.contains("/ko/guides/"),
        "the Korean menu replaced the site's: {menu}"
    );
    assert!(read(&site, "index.html").contains(">Guides</a>"));
}

#[test]
fn a_broken_menu_path_is_an_error_in_lantern_toml() {
    let site =
        site("[[menus.main]]\npath = \"@/nowhere.md\"\n[[menus.main]]\npath = \"guides/\"\n");
    let stderr = site.build_fails(4);
    // Once per language, pointing at the path as written.
    assert_points_at(&stderr, "lantern.toml", 9, 9, "path = \"@/nowhere.md\"");
    assert!(stderr.contains("menu `main` (ko)"), "{stderr}");
    assert!(
        stderr.contains("`@/nowhere.md` links to a page that does not exist"),
        "{stderr}"
    );
    assert!(stderr.contains("`guides/` is not an `@/` path"), "{stderr}");
}

#[test]
fn unknown_keys_in_the_new_tables_are_errors() {
    for (config, key) in [
        ("[organisation]\nname = \"X\"\nemial = \"a@b\"\n", "emial"),
        (
            "[[menus.main]]\npath = \"@/about.md\"\nwieght = 1\n",
            "wieght",
        ),
        ("[quick_exit]\nadress = \"https://x.org\"\n", "adress"),
        ("[helplines]\ncountry = [\"KR\"]\n", "country"),
        ("[statements]\ndated = 2026-01-01\n", "dated"),
        ("[languages.ko.organisation]\nnom = \"X\"\n", "nom"),
    ] {
        let site = site(config);
        let stderr = site.build_fails(1);
        assert!(stderr.contains(key), "{config}\n{stderr}");
        assert!(stderr.contains("lantern.toml:"), "{stderr}");
    }
}

#[test]
fn organisation_is_shown_with_per_language_overrides_and_its_logo_must_exist() {
    let config = "[organisation]\nname = \"Safe Streets\"\nlogo = \"logo.svg\"\nemail = \"hello@example.org\"\nregistration = \"12345\"\nfunding = \"Funded by the city.\"\n[languages.ko.organisation]\nname = \"안전한 거리\"\nfunding = \"시의 지원을 받습니다.\"\n";
    let missing_logo = site(config);
    let stderr = missing_logo.build_fails(1);
    assert!(
        stderr.contains("the organisation's logo `logo.svg` is not a file in static/"),
        "{stderr}"
    );
    let site = site(config);
    site.write(
        "static/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.build_ok();
    let en = read(&site, "index.html");
    assert!(en.contains("<img src=\"logo.svg\" alt=\"\""), "{en}");
    assert!(
        en.contains("This site is run by Safe Streets. Registration number: 12345."),
        "{en}"
    );
    assert!(en.contains("<a href=\"mailto:hello@example.org\">"), "{en}");
    let ko = read(&site, "ko/index.html");
    assert!(
        ko.contains("이 사이트는 안전한 거리에서 운영합니다."),
        "{ko}"
    );
    assert!(ko.contains("시의 지원을 받습니다."), "{ko}");
    assert!(
        ko.contains("hello@example.org"),
        "the email is inherited: {ko}"
    );
}

#[test]
fn quick_exit_goes_to_a_page_in_the_readers_language_and_can_be_set_per_language() {
    let default = site("");
    default.build_ok();
    assert!(read(&default, "index.html").contains("href=\"https://www.bbc.com/weather\""));
    assert!(
        read(&default, "ko/index.html").contains("href=\"https://www.weather.go.kr/w/index.do\"")
    );

    let set = site(
        "[quick_exit]\nurl = \"https://example.com/\"\n[languages.ko.quick_exit]\nenabled = false\n",
    );
    set.build_ok();
    assert!(read(&set, "index.html").contains("href=\"https://example.com/\""));
    let ko = read(&set, "ko/index.html");
    assert!(!ko.contains("qe-link") && !ko.contains("exit.js"), "{ko}");

    let bad = site("[quick_exit]\nurl = \"weather.example\"\n");
    let stderr = bad.build_fails(1);
    assert_points_at(&stderr, "lantern.toml", 9, 8, "url = \"weather.example\"");
}

#[test]
fn help_lines_are_filtered_by_country_and_show_extra_fields() {
    let all = site("");
    all.build_ok();
    let html = read(&all, "guides/a/index.html");
    assert!(
        html.contains("Korean line") && html.contains("UK line"),
        "{html}"
    );
    let kr =
        site("[helplines]\ncountries = [\"KR\"]\n[languages.ko.helplines]\ncountries = [\"GB\"]\n");
    kr.build_ok();
    let en = read(&kr, "guides/a/index.html");
    assert!(
        en.contains("Korean line") && !en.contains("UK line"),
        "{en}"
    );
    assert!(
        en.contains("<a class=\"help-web\" href=\"https://example.org/help\">Website</a>"),
        "{en}"
    );
    let ko = read(&kr, "ko/guides/a/index.html");
    assert!(
        ko.contains("영국 상담전화") && !ko.contains("한국 상담전화"),
        "{ko}"
    );
}

#[test]
fn statements_are_generated_in_every_language_unless_content_has_them() {
    let site = site("[statements]\ndate = 2026-11-22\nhost = \"GitHub Pages\"\n");
    site.build_ok();
    let en = read(&site, "accessibility/index.html");
    assert!(en.contains("<h1>Accessibility statement</h1>"), "{en}");
    assert!(
        en.contains("This statement was last reviewed on 22 November 2026."),
        "{en}"
    );
    let ko = read(&site, "ko/privacy/index.html");
    assert!(ko.contains("<h1>개인정보 처리방침</h1>"), "{ko}");
    assert!(ko.contains("호스팅 업체: GitHub Pages"), "{ko}");
    assert!(
        ko.contains("이 안내는 2026년 11월 22일에 마지막으로 검토했습니다."),
        "{ko}"
    );
    // The footer of every page links to them.
    let page = read(&site, "ko/guides/a/index.html");
    assert!(
        page.contains("<a href=\"../../accessibility/index.html\">접근성 안내</a>"),
        "{page}"
    );

    site.write(
        "content/accessibility.md",
        "+++\ntitle = \"Our accessibility\"\n+++\nOurs.\n",
    );
    site.build_ok();
    assert!(read(&site, "accessibility/index.html").contains("Our accessibility"));
    // The Korean tree shows the site's page too (in English, with the usual note).
    assert!(read(&site, "ko/accessibility/index.html").contains("Our accessibility"));
    assert!(read(&site, "ko/privacy/index.html").contains("개인정보 처리방침"));
}

#[test]
fn a_section_has_a_print_booklet_with_every_page_and_unique_ids() {
    let site = site("");
    site.build_ok();
    let booklet = read(&site, "guides/print/index.html");
    assert!(
        booklet.contains("Guide A") && booklet.contains("Guide B"),
        "{booklet}"
    );
    assert!(
        booklet.contains("id=\"p1-one\"") && booklet.contains("id=\"p2-one\""),
        "{booklet}"
    );
    assert!(booklet.contains("<meta name=\"robots\" content=\"noindex\">"));
    assert!(read(&site, "guides/index.html").contains("href=\"print/index.html\""));
    assert!(read(&site, "ko/guides/print/index.html").contains("안내: 전체 안내"));
}

#[test]
fn home_page_lists_guides_as_cards_with_ways_in_by_audience() {
    let site = site("");
    site.build_ok();
    let home = read(&site, "index.html");
    assert!(
        home.contains("<h3><a href=\"guides/a/index.html\">Guide A</a></h3>"),
        "{home}"
    );
    assert!(
        home.contains("<p class=\"audience\">For: parents</p>"),
        "{home}"
    );
    assert!(home.contains("Need help now?"), "{home}");
}
