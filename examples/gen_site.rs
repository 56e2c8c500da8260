//! Generates a synthetic Lantern site for benchmarks.
//!
//! ```text
//! cargo run --release --example gen_site -- --pages 10000 --out /dev/shm/lantern-10k [--seed 42]
//! ```
//!
//! The output is deterministic for a given `--pages` and `--seed`: the same arguments always
//! give byte-identical files. Pages are explainers of 600-1,200 words with headings, lists,
//! links (some internal `@/` links to other generated pages), a table, a fenced code block,
//! footnotes and bold/italic text. They are spread over 10 sections (`section-0` to
//! `section-9`, each paginated by 20 and sorted by date); about a third have a Korean
//! translation (`page-N.ko.md`). Only std is used, so this example adds no dependency.
//!
//! The folder gets a `gen-site.stamp` file recording the arguments; with `--reuse` a site
//! generated earlier with the same size and seed is kept as it is.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

const SECTIONS: usize = 10;
/// Bump when the generated text changes, so scripts regenerate cached sites.
const STAMP_VERSION: u32 = 1;
const STAMP_FILE: &str = "gen-site.stamp";
const USAGE: &str = "usage: gen_site --pages N --out DIR [--seed S] [--reuse]\n  --reuse  keep the site in DIR if it was generated with the same N and S";

fn stamp(pages: usize, seed: u64) -> String {
    format!("pages={pages} seed={seed} version={STAMP_VERSION}\n")
}

/// splitmix64: tiny, fast and good enough for generating text.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (((self.next() >> 11) as u128 * n as u128) >> 53) as usize
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    /// True with probability `percent`/100.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.below(items.len())]
    }
}

/// (English, Korean) topic names.
const TOPICS: [(&str, &str); 20] = [
    ("Social media", "소셜 미디어"),
    ("Messenger apps", "메신저 앱"),
    ("Dark web", "다크웹"),
    ("Cryptocurrency", "암호화폐"),
    ("Dead drops", "던지기 수법"),
    ("Part-time job scams", "고액 알바 사기"),
    ("Warning signs", "위험 신호"),
    ("Talking with teens", "청소년과 대화하기"),
    ("Getting help", "도움 받기"),
    ("Reporting", "신고하기"),
    ("Synthetic drugs", "합성 마약"),
    ("Spiked drinks", "약물 음료"),
    ("Privacy", "개인정보"),
    ("Algorithms", "알고리즘"),
    ("Online advertising", "온라인 광고"),
    ("School", "학교"),
    ("Law", "법"),
    ("Health", "건강"),
    ("Peer pressure", "또래 압력"),
    ("Digital safety", "디지털 안전"),
];

/// (English, Korean) platform names.
const PLATFORMS: [(&str, &str); 5] = [
    ("Telegram", "텔레그램"),
    ("Instagram", "인스타그램"),
    ("Discord", "디스코드"),
    ("Websites", "웹사이트"),
    ("Text messages", "문자 메시지"),
];

const ADJ: [&str; 48] = [
    "hidden",
    "private",
    "public",
    "quick",
    "careful",
    "risky",
    "safe",
    "simple",
    "common",
    "new",
    "old",
    "young",
    "anonymous",
    "encrypted",
    "local",
    "online",
    "official",
    "fake",
    "real",
    "cheap",
    "expensive",
    "small",
    "large",
    "sudden",
    "regular",
    "secret",
    "open",
    "short",
    "long",
    "clear",
    "confusing",
    "worried",
    "calm",
    "trusted",
    "unknown",
    "free",
    "paid",
    "dangerous",
    "harmless",
    "popular",
    "recent",
    "careless",
    "helpful",
    "honest",
    "strange",
    "friendly",
    "serious",
    "useful",
];

const NOUN: [&str; 72] = [
    "account",
    "message",
    "post",
    "channel",
    "group",
    "seller",
    "buyer",
    "parent",
    "teacher",
    "student",
    "friend",
    "phone",
    "app",
    "website",
    "payment",
    "wallet",
    "package",
    "address",
    "photo",
    "video",
    "link",
    "profile",
    "school",
    "police",
    "counsellor",
    "helpline",
    "report",
    "risk",
    "sign",
    "habit",
    "question",
    "answer",
    "problem",
    "platform",
    "feed",
    "algorithm",
    "advert",
    "offer",
    "job",
    "price",
    "code",
    "password",
    "screen",
    "chat",
    "comment",
    "search",
    "browser",
    "history",
    "network",
    "server",
    "law",
    "rule",
    "fine",
    "record",
    "story",
    "reason",
    "choice",
    "doctor",
    "nurse",
    "drink",
    "pill",
    "substance",
    "dose",
    "effect",
    "night",
    "weekend",
    "city",
    "street",
    "locker",
    "courier",
    "moderator",
    "emoji",
];

const NOUNS: [&str; 24] = [
    "accounts",
    "messages",
    "posts",
    "channels",
    "groups",
    "sellers",
    "parents",
    "teachers",
    "students",
    "friends",
    "phones",
    "apps",
    "websites",
    "payments",
    "photos",
    "links",
    "platforms",
    "adverts",
    "offers",
    "jobs",
    "rules",
    "signs",
    "questions",
    "stories",
];

const VERB: [&str; 40] = [
    "hides",
    "shows",
    "sends",
    "deletes",
    "reports",
    "checks",
    "changes",
    "finds",
    "moves",
    "tracks",
    "blocks",
    "shares",
    "asks for",
    "pays for",
    "explains",
    "recommends",
    "copies",
    "offers",
    "promises",
    "replaces",
    "avoids",
    "follows",
    "uses",
    "needs",
    "protects",
    "exposes",
    "records",
    "describes",
    "ignores",
    "warns about",
    "leaves",
    "opens",
    "closes",
    "saves",
    "forwards",
    "mentions",
    "targets",
    "reaches",
    "watches",
    "trusts",
];

const ADV: [&str; 16] = [
    "quickly",
    "quietly",
    "often",
    "rarely",
    "usually",
    "sometimes",
    "carefully",
    "openly",
    "slowly",
    "suddenly",
    "easily",
    "again",
    "later",
    "soon",
    "never",
    "always",
];

const PREP: [&str; 12] = [
    "in", "on", "through", "after", "before", "with", "without", "behind", "under", "across",
    "near", "about",
];

const DET: [&str; 8] = ["the", "a", "every", "one", "this", "that", "each", "any"];

const OPENERS: [&str; 12] = [
    "In practice,",
    "For example,",
    "Most of the time,",
    "At first,",
    "Later,",
    "Even so,",
    "In many cases,",
    "Usually,",
    "On the other hand,",
    "Sometimes",
    "Often",
    "Because of this,",
];

const HEADINGS: [&str; 24] = [
    "How it works",
    "What to look for",
    "Why it matters",
    "What you can do",
    "Common myths",
    "Signs to notice",
    "Staying safe",
    "Talking about it",
    "Where to get help",
    "What the law says",
    "How sellers hide",
    "How payments move",
    "What parents see",
    "What teachers can do",
    "Questions people ask",
    "A closer look",
    "Before you reply",
    "After you report",
    "The short version",
    "What changed",
    "Who is affected",
    "Keeping records",
    "Privacy settings",
    "When to call",
];

const KO_NOUN: [&str; 48] = [
    "친구",
    "휴대전화",
    "메시지",
    "광고",
    "부모",
    "학생",
    "선생님",
    "위험",
    "도움",
    "상담",
    "경찰",
    "계정",
    "사진",
    "돈",
    "약물",
    "거래",
    "사이트",
    "검색",
    "기록",
    "정보",
    "채널",
    "판매자",
    "구매자",
    "학교",
    "주소",
    "택배",
    "지갑",
    "비밀번호",
    "화면",
    "댓글",
    "게시물",
    "알고리즘",
    "신호",
    "질문",
    "대답",
    "문제",
    "규칙",
    "법",
    "의사",
    "상담사",
    "전화",
    "주말",
    "도시",
    "거리",
    "사물함",
    "영상",
    "링크",
    "선택",
];

const KO_PARTICLE: [&str; 12] = [
    "은", "는", "이", "가", "을", "를", "에서", "에게", "와", "도", "으로", "의",
];

const KO_ADV: [&str; 12] = [
    "빠르게",
    "조용히",
    "자주",
    "가끔",
    "보통",
    "조심스럽게",
    "쉽게",
    "다시",
    "나중에",
    "곧",
    "항상",
    "바로",
];

const KO_VERB: [&str; 20] = [
    "확인해요",
    "조심해야 해요",
    "알려 줘요",
    "설명해요",
    "도와줘요",
    "숨겨요",
    "찾아요",
    "보여 줘요",
    "남겨요",
    "바뀌어요",
    "신고할 수 있어요",
    "지워요",
    "보내요",
    "막아요",
    "물어봐요",
    "기억해요",
    "이야기해요",
    "따라가요",
    "믿지 마세요",
    "살펴봐요",
];

const KO_HEADINGS: [&str; 16] = [
    "어떻게 작동하나요",
    "무엇을 살펴봐야 하나요",
    "왜 중요한가요",
    "내가 할 수 있는 일",
    "흔한 오해",
    "눈여겨볼 신호",
    "안전하게 지내기",
    "이야기 나누기",
    "도움 받을 곳",
    "법은 뭐라고 하나요",
    "판매자가 숨는 방법",
    "돈이 오가는 방법",
    "부모가 보는 것",
    "선생님이 할 수 있는 일",
    "자주 묻는 질문",
    "짧게 정리하면",
];

const CODE_LANGS: [&str; 4] = ["text", "toml", "json", "sh"];

struct Args {
    pages: usize,
    out: PathBuf,
    seed: u64,
    /// Keep the site already in `out` when its stamp matches these arguments.
    reuse: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut pages = 1000;
    let mut out = None;
    let mut seed = 42;
    let mut reuse = false;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let (key, inline) = match arg.split_once('=') {
            Some((k, v)) => (k.to_string(), Some(v.to_string())),
            None => (arg.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| it.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match key.as_str() {
            "--pages" => {
                pages = value("--pages")?
                    .parse()
                    .map_err(|e| format!("--pages: {e}"))?
            }
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--seed" => {
                seed = value("--seed")?
                    .parse()
                    .map_err(|e| format!("--seed: {e}"))?
            }
            "--reuse" => reuse = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    let out = out.ok_or("--out DIR is required")?;
    if pages == 0 {
        return Err("--pages must be at least 1".into());
    }
    Ok(Args {
        pages,
        out,
        seed,
        reuse,
    })
}

/// Where generated page `i` lives: section `i % 10`, numbered within the section.
fn page_key(i: usize) -> (usize, usize) {
    (i % SECTIONS, i / SECTIONS)
}

fn page_path(i: usize) -> String {
    let (s, j) = page_key(i);
    format!("section-{s}/page-{j}.md")
}

/// Writes the English prose parts: builds sentences and counts words.
struct Writer<'a> {
    rng: &'a mut Rng,
    out: String,
    words: usize,
    footnotes: Vec<String>,
    pages: usize,
    this_page: usize,
    internal_links: usize,
}

impl Writer<'_> {
    fn word(&mut self, w: &str) {
        if !self.out.ends_with(['\n', ' ', '(', '[']) && !self.out.is_empty() {
            self.out.push(' ');
        }
        self.out.push_str(w);
        self.words += w.split(' ').count();
    }

    fn noun_phrase(&mut self) {
        let det = self.rng.pick(&DET);
        self.word(det);
        if self.rng.chance(45) {
            let adj = self.rng.pick(&ADJ);
            self.word(adj);
        }
        let noun = self.rng.pick(&NOUN);
        self.word(noun);
    }

    /// One emphasised, linked or plain phrase.
    fn decorated_phrase(&mut self) {
        match self.rng.below(100) {
            0..=5 => {
                let adj = self.rng.pick(&ADJ);
                let noun = self.rng.pick(&NOUN);
                self.word(&format!("**{adj} {noun}**"));
            }
            6..=11 => {
                let adj = self.rng.pick(&ADJ);
                self.word(&format!("*{adj}*"));
                let noun = self.rng.pick(&NOUN);
                self.word(noun);
            }
            12..=15 if self.pages > 1 => {
                let mut target = self.rng.below(self.pages);
                if target == self.this_page {
                    target = (target + 1) % self.pages;
                }
                let adj = self.rng.pick(&ADJ);
                let noun = self.rng.pick(&NOUNS);
                self.word(&format!("[{adj} {noun}](@/{})", page_path(target)));
                self.internal_links += 1;
            }
            16..=17 => {
                let noun = self.rng.pick(&NOUN);
                let n = self.rng.below(1000);
                self.word(&format!("[{noun} guide](https://example.com/{noun}/{n})"));
            }
            18..=19 => {
                let noun = self.rng.pick(&NOUN);
                self.word(&format!("\"{noun}\""));
            }
            20 => {
                let noun = self.rng.pick(&NOUN);
                self.word(&format!("`{noun}_id`"));
            }
            _ => self.noun_phrase(),
        }
    }

    fn sentence(&mut self) {
        let start = self.out.len();
        if self.rng.chance(25) {
            let o = self.rng.pick(&OPENERS);
            self.word(o);
        }
        self.decorated_phrase();
        if self.rng.chance(30) {
            let a = self.rng.pick(&ADV);
            self.word(a);
        }
        let v = self.rng.pick(&VERB);
        self.word(v);
        self.decorated_phrase();
        let extra = self.rng.below(3);
        for _ in 0..extra {
            let p = self.rng.pick(&PREP);
            self.word(p);
            self.decorated_phrase();
        }
        if self.rng.chance(10) {
            self.word("-- and that's");
            let adj = self.rng.pick(&ADJ);
            self.word(adj);
        }
        // Capitalise the first letter of the sentence.
        let first = self.out[start..]
            .char_indices()
            .find(|(_, c)| c.is_ascii_alphabetic())
            .filter(|(_, c)| c.is_ascii_lowercase())
            .map(|(i, _)| start + i);
        if let Some(i) = first {
            let upper = self.out[i..i + 1].to_ascii_uppercase();
            self.out.replace_range(i..i + 1, &upper);
        }
        if self.rng.chance(8) && self.footnotes.len() < 4 {
            let n = self.footnotes.len() + 1;
            self.out.push_str(&format!(".[^{n}]"));
            let mut note = String::new();
            let noun = self.rng.pick(&NOUN);
            let year = self.rng.range(2015, 2025);
            write!(
                note,
                "Survey of {noun} use, {year}. See the *annual report*, page {}.",
                self.rng.range(2, 200)
            )
            .unwrap();
            self.footnotes.push(note);
            self.words += 10;
        } else {
            self.out.push('.');
        }
    }

    fn paragraph(&mut self) {
        let n = self.rng.range(3, 6);
        for _ in 0..n {
            self.sentence();
        }
        self.out.push_str("\n\n");
    }

    fn list(&mut self, ordered: bool) {
        let n = self.rng.range(3, 6);
        for k in 1..=n {
            if ordered {
                write!(self.out, "{k}. ").unwrap();
            } else {
                self.out.push_str("- ");
            }
            if self.rng.chance(40) {
                let adj = self.rng.pick(&ADJ);
                let noun = self.rng.pick(&NOUN);
                write!(self.out, "**{adj} {noun}**:").unwrap();
                self.words += 2;
            }
            self.sentence();
            self.out.push('\n');
        }
        self.out.push('\n');
    }

    fn table(&mut self) {
        self.out
            .push_str("| Sign | What it can mean | What to do |\n|---|---|:---|\n");
        let rows = self.rng.range(3, 6);
        for _ in 0..rows {
            let a = self.rng.pick(&ADJ);
            let n = self.rng.pick(&NOUN);
            let v = self.rng.pick(&VERB);
            let n2 = self.rng.pick(&NOUNS);
            let adv = self.rng.pick(&ADV);
            let n3 = self.rng.pick(&NOUN);
            writeln!(
                self.out,
                "| A {a} {n} | Someone {v} {n2} | *Check* the {n3} {adv} |"
            )
            .unwrap();
            self.words += 12;
        }
        self.out.push('\n');
    }

    fn code_block(&mut self) {
        let lang = self.rng.pick(&CODE_LANGS);
        writeln!(self.out, "```{lang}").unwrap();
        let lines = self.rng.range(4, 10);
        for k in 0..lines {
            let n = self.rng.pick(&NOUN);
            let a = self.rng.pick(&ADJ);
            match lang {
                "toml" => writeln!(self.out, "{n}_{k} = \"{a}\"  # {a} {n}").unwrap(),
                "json" => writeln!(self.out, "{{ \"{n}\": \"{a}\", \"count\": {k} }}").unwrap(),
                "sh" => writeln!(self.out, "grep -r '{a} {n}' ./messages/{k}.txt | wc -l").unwrap(),
                _ => writeln!(
                    self.out,
                    "[{k:02}:{:02}] {n}: {a} <{n}@example.org> & more",
                    self.rng.below(60)
                )
                .unwrap(),
            }
            self.words += 4;
        }
        self.out.push_str("```\n\n");
    }
}

fn heading_en(rng: &mut Rng, used: &mut Vec<&'static str>) -> &'static str {
    loop {
        let h = rng.pick(&HEADINGS);
        if !used.contains(&h) {
            used.push(h);
            return h;
        }
    }
}

fn date(rng: &mut Rng) -> String {
    let y = rng.range(2019, 2026);
    let m = rng.range(1, 12);
    let d = rng.range(1, 28);
    format!("{y:04}-{m:02}-{d:02}")
}

fn toml_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("\"{s}\"")).collect();
    format!("[{}]", quoted.join(", "))
}

fn title_case(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

struct PageMeta {
    date: String,
    topics: Vec<usize>,
    platform: usize,
}

fn english_page(rng: &mut Rng, i: usize, pages: usize) -> (String, PageMeta) {
    let target_words = rng.range(520, 930);
    let adj = rng.pick(&ADJ);
    let noun = rng.pick(&NOUNS);
    let title = format!(
        "{} {noun} and {}: explainer {i}",
        title_case(adj),
        rng.pick(&NOUN)
    );
    let n_topics = rng.range(1, 3);
    let mut topics = Vec::new();
    while topics.len() < n_topics {
        let t = rng.below(TOPICS.len());
        if !topics.contains(&t) {
            topics.push(t);
        }
    }
    let meta = PageMeta {
        date: date(rng),
        topics,
        platform: rng.below(PLATFORMS.len()),
    };
    let mut w = Writer {
        rng,
        out: String::with_capacity(9000),
        words: 0,
        footnotes: Vec::new(),
        pages,
        this_page: i,
        internal_links: 0,
    };
    // Description: one sentence, without Markdown.
    let desc = format!(
        "How {} {} {} {}, and what parents, teachers and young people can do about it.",
        w.rng.pick(&NOUNS),
        w.rng.pick(&VERB).trim_end_matches('s'),
        w.rng.pick(&DET),
        w.rng.pick(&NOUN)
    );
    w.paragraph();
    let mut used = Vec::new();
    let mut did_table = false;
    let mut did_code = false;
    let mut did_list = false;
    let mut sections = 0;
    while w.words < target_words || !did_table || !did_code || !did_list {
        let h = heading_en(w.rng, &mut used);
        writeln!(w.out, "## {h}\n").unwrap();
        w.words += h.split(' ').count();
        w.paragraph();
        match sections % 4 {
            0 => {
                w.list(false);
                did_list = true;
            }
            1 => {
                w.table();
                did_table = true;
            }
            2 => {
                w.code_block();
                did_code = true;
            }
            _ => {
                let h3 = heading_en(w.rng, &mut used);
                writeln!(w.out, "### {h3}\n").unwrap();
                w.list(true);
                did_list = true;
            }
        }
        if w.rng.chance(60) {
            w.paragraph();
        }
        if w.rng.chance(15) {
            w.out.push_str("> ");
            w.sentence();
            w.out.push_str("\n\n");
        }
        sections += 1;
        if used.len() + 2 >= HEADINGS.len() {
            used.clear();
        }
    }
    // At least two internal links on every page (when there are other pages).
    while w.internal_links < 2 && pages > 1 {
        let t = (i + 1 + w.rng.below(pages - 1)) % pages;
        writeln!(
            w.out,
            "See also [a related explainer](@/{}).\n",
            page_path(t)
        )
        .unwrap();
        w.words += 4;
        w.internal_links += 1;
    }
    if !w.footnotes.is_empty() {
        for (k, note) in w.footnotes.iter().enumerate() {
            writeln!(w.out, "[^{}]: {note}", k + 1).unwrap();
        }
    }
    let topics: Vec<&str> = meta.topics.iter().map(|&t| TOPICS[t].0).collect();
    let mut text = String::with_capacity(w.out.len() + 400);
    writeln!(text, "+++").unwrap();
    writeln!(text, "title = \"{title}\"").unwrap();
    writeln!(text, "description = \"{desc}\"").unwrap();
    writeln!(text, "date = {}", meta.date).unwrap();
    writeln!(text, "\n[taxonomies]").unwrap();
    writeln!(text, "topics = {}", toml_list(&topics)).unwrap();
    writeln!(
        text,
        "platforms = {}",
        toml_list(&[PLATFORMS[meta.platform].0])
    )
    .unwrap();
    writeln!(text, "+++\n").unwrap();
    text.push_str(&w.out);
    (text, meta)
}

/// A Korean word: mostly from the word list, sometimes made of random Hangul syllables.
fn ko_word(rng: &mut Rng) -> String {
    if rng.chance(12) {
        let n = rng.range(2, 3);
        (0..n)
            .map(|_| {
                // Common initials, vowels and finals only, so words look plausible.
                const L: [usize; 14] = [0, 2, 3, 5, 6, 7, 9, 11, 12, 14, 15, 16, 17, 18];
                const V: [usize; 8] = [0, 4, 8, 13, 18, 20, 2, 12];
                const T: [usize; 8] = [0, 0, 0, 4, 8, 16, 21, 1];
                let (l, v, t) = (L[rng.below(14)], V[rng.below(8)], T[rng.below(8)]);
                char::from_u32(0xAC00 + ((l * 21 + v) * 28 + t) as u32).unwrap_or('가')
            })
            .collect()
    } else {
        rng.pick(&KO_NOUN).to_string()
    }
}

fn ko_sentence(rng: &mut Rng, out: &mut String, pages: usize, this: usize) {
    let phrases = rng.range(2, 4);
    for k in 0..phrases {
        let w = ko_word(rng);
        let p = rng.pick(&KO_PARTICLE);
        match rng.below(100) {
            0..=7 => write!(out, "**{w}{p}** ").unwrap(),
            8..=12 if pages > 1 => {
                let mut t = rng.below(pages);
                if t == this {
                    t = (t + 1) % pages;
                }
                write!(out, "[{w}](@/{}){p} ", page_path(t)).unwrap()
            }
            13..=15 => write!(out, "*{w}*{p} ").unwrap(),
            _ => write!(out, "{w}{p} ").unwrap(),
        }
        if k == 0 && rng.chance(30) {
            write!(out, "{} ", rng.pick(&KO_ADV)).unwrap();
        }
    }
    out.push_str(rng.pick(&KO_VERB));
    out.push_str(if rng.chance(10) { "? " } else { ". " });
}

fn ko_paragraph(rng: &mut Rng, out: &mut String, pages: usize, this: usize) {
    let n = rng.range(3, 6);
    for _ in 0..n {
        ko_sentence(rng, out, pages, this);
    }
    let len = out.trim_end().len();
    out.truncate(len);
    out.push_str("\n\n");
}

fn korean_page(rng: &mut Rng, i: usize, pages: usize, meta: &PageMeta) -> String {
    let target_chars = rng.range(1500, 3000);
    let mut body = String::with_capacity(12000);
    ko_paragraph(rng, &mut body, pages, i);
    let mut footnotes = 0;
    let mut s = 0;
    while body.chars().count() < target_chars {
        let h = rng.pick(&KO_HEADINGS);
        writeln!(body, "## {h}\n").unwrap();
        ko_paragraph(rng, &mut body, pages, i);
        match s % 3 {
            0 => {
                for _ in 0..rng.range(3, 5) {
                    body.push_str("- ");
                    ko_sentence(rng, &mut body, pages, i);
                    let len = body.trim_end().len();
                    body.truncate(len);
                    body.push('\n');
                }
                body.push('\n');
            }
            1 => {
                body.push_str("| 신호 | 뜻 | 할 일 |\n|---|---|---|\n");
                for _ in 0..rng.range(3, 5) {
                    writeln!(
                        body,
                        "| {} | {}{} {} | **{}** |",
                        ko_word(rng),
                        ko_word(rng),
                        rng.pick(&KO_PARTICLE),
                        rng.pick(&KO_VERB),
                        rng.pick(&KO_VERB)
                    )
                    .unwrap();
                }
                body.push('\n');
            }
            _ => {
                body.push_str("```text\n");
                for k in 0..rng.range(3, 6) {
                    writeln!(body, "[{k:02}] {}: {}", ko_word(rng), rng.pick(&KO_VERB)).unwrap();
                }
                body.push_str("```\n\n");
                if footnotes < 3 {
                    footnotes += 1;
                    let len = body.trim_end().len();
                    body.truncate(len);
                    // Attach a footnote to the paragraph after the code block.
                    body.push_str("\n\n");
                    ko_sentence(rng, &mut body, pages, i);
                    let len = body.trim_end().len();
                    body.truncate(len);
                    write!(body, "[^{footnotes}]\n\n").unwrap();
                }
            }
        }
        s += 1;
    }
    for k in 1..=footnotes {
        writeln!(
            body,
            "[^{k}]: {} {}년 조사 보고서, {}쪽.",
            ko_word(rng),
            rng.range(2015, 2025),
            rng.range(2, 200)
        )
        .unwrap();
    }
    let topics: Vec<&str> = meta.topics.iter().map(|&t| TOPICS[t].1).collect();
    let title = format!(
        "{}{} {} 설명 {i}",
        ko_word(rng),
        rng.pick(&KO_PARTICLE),
        ko_word(rng)
    );
    let desc = format!(
        "{}{} {}{} {}",
        ko_word(rng),
        rng.pick(&KO_PARTICLE),
        ko_word(rng),
        rng.pick(&KO_PARTICLE),
        rng.pick(&KO_VERB)
    );
    let mut text = String::with_capacity(body.len() + 400);
    writeln!(text, "+++").unwrap();
    writeln!(text, "title = \"{title}\"").unwrap();
    writeln!(text, "description = \"{desc}\"").unwrap();
    writeln!(text, "date = {}", meta.date).unwrap();
    writeln!(text, "\n[taxonomies]").unwrap();
    writeln!(text, "topics = {}", toml_list(&topics)).unwrap();
    writeln!(
        text,
        "platforms = {}",
        toml_list(&[PLATFORMS[meta.platform].1])
    )
    .unwrap();
    writeln!(text, "+++\n").unwrap();
    text.push_str(&body);
    text
}

const CONFIG: &str = r#"title = "Bench"
base_url = "https://example.org/"
default_language = "en"
taxonomies = [{ name = "topics", feed = true, paginate_by = 20 }, { name = "platforms", feed = true, paginate_by = 20 }]

[languages.en]
name = "English"

[languages.ko]
name = "한국어"
"#;

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

/// What [`generate`] wrote.
pub struct Summary {
    /// Files under `content/`.
    pub files: usize,
    pub translations: usize,
    /// Bytes of Markdown written.
    pub bytes: u64,
}

/// Writes `lantern.toml` and `content/` for a site of `pages` pages into `out` (replacing
/// any `content/` already there). Public so that benches can `#[path]`-include this file.
pub fn generate(out: &Path, pages: usize, seed: u64) -> std::io::Result<Summary> {
    let content = out.join("content");
    // The stamp goes last: a partly written site never looks reusable.
    let _ = std::fs::remove_file(out.join(STAMP_FILE));
    if content.exists() {
        std::fs::remove_dir_all(&content)?;
    }
    std::fs::create_dir_all(&content)?;
    write(&out.join("lantern.toml"), CONFIG)?;
    write(
        &content.join("_index.md"),
        "+++\ntitle = \"Bench\"\ndescription = \"A generated site for benchmarks.\"\n+++\n\nA generated site with **many** explainers. Start with [the first section](@/section-0/_index.md).\n",
    )?;
    write(
        &content.join("_index.ko.md"),
        "+++\ntitle = \"벤치\"\ndescription = \"벤치마크를 위해 만든 사이트예요.\"\n+++\n\n설명 글이 **많이** 있는 사이트예요. [첫 번째 섹션](@/section-0/_index.md)부터 읽어 보세요.\n",
    )?;
    for s in 0..SECTIONS {
        let dir = content.join(format!("section-{s}"));
        std::fs::create_dir_all(&dir)?;
        write(
            &dir.join("_index.md"),
            &format!(
                "+++\ntitle = \"Section {s}\"\ndescription = \"Explainers, group {s}.\"\npaginate_by = 20\nsort_by = \"date\"\n+++\n\nThe explainers in group {s}, newest first.\n"
            ),
        )?;
        write(
            &dir.join("_index.ko.md"),
            &format!(
                "+++\ntitle = \"섹션 {s}\"\ndescription = \"{s}번 묶음의 설명 글이에요.\"\npaginate_by = 20\nsort_by = \"date\"\n+++\n\n{s}번 묶음의 설명 글을 최신 순으로 보여 줘요.\n"
            ),
        )?;
    }
    let mut files = 2 + 2 * SECTIONS + 1;
    let mut translations = 0;
    let mut bytes = 0u64;
    for i in 0..pages {
        // One generator per page, so page i does not depend on how pages before it were
        // generated (the same page comes out at any --pages >= i).
        let mut rng = Rng::new(seed ^ (i as u64).wrapping_mul(0xD134_2543_DE82_EF95));
        rng.next();
        let (en, meta) = english_page(&mut rng, i, pages);
        let (s, j) = page_key(i);
        let dir = content.join(format!("section-{s}"));
        write(&dir.join(format!("page-{j}.md")), &en)?;
        bytes += en.len() as u64;
        files += 1;
        if rng.below(3) == 0 {
            let ko = korean_page(&mut rng, i, pages, &meta);
            write(&dir.join(format!("page-{j}.ko.md")), &ko)?;
            bytes += ko.len() as u64;
            files += 1;
            translations += 1;
        }
    }
    write(&out.join(STAMP_FILE), &stamp(pages, seed))?;
    Ok(Summary {
        files,
        translations,
        bytes,
    })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("gen_site: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if args.reuse
        && std::fs::read_to_string(args.out.join(STAMP_FILE)).ok()
            == Some(stamp(args.pages, args.seed))
    {
        println!(
            "reusing the site in {} ({} pages, seed {})",
            args.out.display(),
            args.pages,
            args.seed
        );
        return ExitCode::SUCCESS;
    }
    let start = Instant::now();
    match generate(&args.out, args.pages, args.seed) {
        Ok(sum) => {
            println!(
                "generated {} pages ({} Korean translations), {} files, {:.1} MB in {:.2} s -> {}",
                args.pages,
                sum.translations,
                sum.files,
                sum.bytes as f64 / 1e6,
                start.elapsed().as_secs_f64(),
                args.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen_site: {e}");
            ExitCode::FAILURE
        }
    }
}
