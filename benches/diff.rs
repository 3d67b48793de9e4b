//! Benchmark of `chotatsu diff`: prints numbers, asserts nothing.
//!
//! 1. segment + align + redline (+ JSON) in-process on the MNDA revisions and on a generated
//!    300-article Japanese contract;
//! 2. the large pair (10,000 clauses, about 5 MB, 1% edited, some moved, one inserted
//!    early): the release binary `chotatsu diff --format json` against
//!    `git diff --no-index --word-diff`, with the ratio and peak memory where `/usr/bin/time`
//!    exists. Run with `cargo bench --bench diff` (or `bench/run.sh`); set
//!    `CHOTATSU_BENCH_KEEP=1` to keep the large pair for profiling.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use chotatsu::diff::{compare, render};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const PHRASES: [&str; 16] = [
    "乙は、",
    "甲の書面による承諾を得て、",
    "個人情報を暗号化して保管し、",
    "本業務の実施状況を",
    "情報セキュリティ管理策を",
    "ISO/IEC 27001に準拠して",
    "重大な脆弱性を知ったときは、",
    "直ちに甲に通知する。",
    "再委託先に対しても同等の義務を課す。",
    "記録を五年間保存する。",
    "アクセス権を必要最小限に限定し、",
    "監査ログを改ざんから保護する。",
    "バックアップを定期的に取得し、",
    "復旧手順を年一回以上試験する。",
    "契約終了時にはデータを消去し、",
    "その証明書を甲に提出する。",
];

/// One article of about `bytes` bytes with a caption and two 項.
fn article(rng: &mut Rng, number: usize, topic: usize, bytes: usize) -> String {
    let mut body = format!("（条項{topic}）\n第{number}条　");
    let mut paragraph = 1;
    while body.len() < bytes {
        body.push_str(PHRASES[rng.below(PHRASES.len())]);
        if rng.below(6) == 0 && paragraph < 3 {
            paragraph += 1;
            body.push_str(&format!("\n{}　", ["", "", "２", "３"][paragraph]));
        }
    }
    body.push_str(&format!("（管理番号{topic}）\n\n"));
    body
}

/// A pair of contracts: `n` articles; in NEW 1% edited, a few moved, one inserted early.
fn contract_pair(n: usize, bytes_per_article: usize, seed: u64) -> (String, String) {
    let mut rng = Rng(seed);
    let bodies: Vec<String> = (0..n)
        .map(|i| article(&mut rng, i + 1, i, bytes_per_article))
        .collect();
    let old: String = bodies.concat();
    let mut order: Vec<usize> = (0..n).collect();
    for _ in 0..(n / 500).max(1) {
        let from = rng.below(n);
        let item = order.remove(from);
        order.insert(rng.below(n), item);
    }
    let mut new = String::new();
    let mut number = 0;
    for (pos, &i) in order.iter().enumerate() {
        if pos == 2 {
            number += 1;
            new.push_str(&format!(
                "（新設）\n第{number}条　乙は、クラウドサービスの利用状況を毎月甲に報告する。\n\n"
            ));
        }
        number += 1;
        let mut text = bodies[i].replacen(&format!("第{}条", i + 1), &format!("第{number}条"), 1);
        if rng.below(100) == 0 {
            text = text
                .replacen("個人情報", "個人データ", 1)
                .replacen("直ちに", "遅滞なく", 1);
            text = text.replacen("。", "。ただし、甲が別に定める場合を除く。", 1);
        }
        new.push_str(&text);
    }
    (old, new)
}

fn time_in_process(name: &str, old: &str, new: &str, runs: u32) {
    let start = Instant::now();
    let mut summary = None;
    for _ in 0..runs {
        let cmp = compare(old, new);
        let json = render::json::render(&cmp).unwrap_or_default();
        std::hint::black_box(json);
        summary = Some(cmp.summary);
    }
    let ms = start.elapsed().as_secs_f64() * 1000.0 / f64::from(runs);
    println!(
        "{name:<34} {:>8} B  {ms:>9.2} ms/run  {:?}",
        old.len() + new.len(),
        summary.unwrap_or_default()
    );
}

/// Wall-clock milliseconds (best of `runs`) and peak RSS in KiB (when /usr/bin/time exists).
fn time_command(program: &str, args: &[&str], runs: u32) -> Option<(f64, Option<u64>)> {
    let mut best = f64::INFINITY;
    for _ in 0..runs {
        let start = Instant::now();
        let status = Command::new(program)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .ok()?;
        status.code()?;
        best = best.min(start.elapsed().as_secs_f64() * 1000.0);
    }
    let rss = Path::new("/usr/bin/time").exists().then(|| {
        let out = Command::new("/usr/bin/time")
            .arg("-f")
            .arg("%M")
            .arg(program)
            .args(args)
            .stdout(Stdio::null())
            .output()
            .ok()?;
        String::from_utf8_lossy(&out.stderr)
            .lines()
            .last()?
            .trim()
            .parse::<u64>()
            .ok()
    });
    Some((best, rss.flatten()))
}

fn main() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff/mnda");
    let read = |name: &str| std::fs::read_to_string(corpus.join(name)).unwrap_or_default();
    println!("== in process: segment + align + redline + JSON ==");
    for (a, b) in [
        ("2021-07-12", "2021-07-19"),
        ("2021-07-19", "2022-06-07"),
        ("2021-07-12", "2022-06-07"),
    ] {
        let old = read(&format!("mnda-{a}.md"));
        let new = read(&format!("mnda-{b}.md"));
        time_in_process(&format!("MNDA {a} → {b}"), &old, &new, 50);
    }
    let (old, new) = contract_pair(300, 400, 7);
    time_in_process("Japanese, 300 articles", &old, &new, 10);
    let (old, new) = contract_pair(10_000, 500, 11);
    time_in_process("Japanese, 10,000 articles", &old, &new, 1);
    let rewritten: String = new.replace('乙', "受託者").replace('甲', "委託者");
    time_in_process("10,000 articles, all rewritten", &old, &rewritten, 1);
    let same: String = (0..5000)
        .map(|i| format!("{i}. 同一の条項本文。\n"))
        .collect();
    let fewer: String = (1..5000)
        .map(|i| format!("{i}. 同一の条項本文。\n"))
        .collect();
    time_in_process("5,000 identical clauses", &same, &fewer, 1);

    println!("\n== large pair: chotatsu diff --format json vs git diff --word-diff ==");
    let dir = std::env::temp_dir().join(format!("chotatsu-bench-{}", std::process::id()));
    if std::fs::create_dir_all(&dir).is_err() {
        println!("cannot create {}", dir.display());
        return;
    }
    let (o, n) = (dir.join("old.md"), dir.join("new.md"));
    if std::fs::write(&o, &old)
        .and_then(|()| std::fs::write(&n, &new))
        .is_err()
    {
        println!("cannot write the pair to {}", dir.display());
        return;
    }
    println!("pair: {} + {} bytes, 10,000 articles", old.len(), new.len());
    let (o, n) = (o.to_string_lossy(), n.to_string_lossy());
    let chotatsu = env!("CARGO_BIN_EXE_chotatsu");
    let ours = time_command(chotatsu, &["diff", "--format", "json", &o, &n], 3);
    let git = time_command(
        "git",
        &["diff", "--no-index", "--word-diff", "--no-color", &o, &n],
        3,
    );
    let show = |name: &str, r: Option<(f64, Option<u64>)>| match r {
        Some((ms, rss)) => println!(
            "{name:<34} {ms:>9.1} ms   peak RSS {}",
            rss.map_or("n/a".to_string(), |k| format!(
                "{:.1} MB",
                k as f64 / 1024.0
            ))
        ),
        None => println!("{name:<34} not available"),
    };
    show("chotatsu diff --format json", ours);
    show("git diff --no-index --word-diff", git);
    if let (Some((a, _)), Some((b, _))) = (ours, git) {
        println!("ratio git / chotatsu: {:.2}x", b / a);
    }
    if std::env::var_os("CHOTATSU_BENCH_KEEP").is_some() {
        println!("pair kept in {} (CHOTATSU_BENCH_KEEP)", dir.display());
    } else {
        let _ = std::fs::remove_dir_all(&dir);
    }
}
