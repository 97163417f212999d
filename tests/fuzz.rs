//! Fuzzing the input side with proptest: the CSV reader, the XLSX reader, mapping and
//! validation, and the config loader, each fed mutations of the files in
//! `tests/corpus/` (and the sample configs). Every run must end in a table or a clear
//! Dutch error with the documented exit code: never a panic, never an internal error
//! (exit 1), never a row lost.
//!
//! `cargo test --release --test fuzz` runs a short round (a few seconds, fixed seed). The
//! long runs are ignored by default; each is sized with `FUZZ_CASES` (cases for that
//! target) and draws a fresh random seed, printed at the start and the end (`FUZZ_SEED`
//! replays one). Run one target at a time:
//!
//! ```text
//! FUZZ_CASES=2000000 cargo test --release --test fuzz long_run_csv -- --ignored --nocapture
//! ```
//!
//! Every case is timed. One that takes longer than `FUZZ_LIMIT_MS` (2.000 ms) stops the
//! run: its input is saved (the path and the seed are printed) and the process exits
//! with code 70, since an endless loop cannot be interrupted from inside. At the end of
//! each round the slowest case is reported and saved too (`FUZZ_OUT` names the folder).
//!
//! Why proptest and not cargo-fuzz: cargo-fuzz needs the nightly compiler with
//! sanitizer instrumentation, which means building polars and typst a second time (about
//! half an hour on two cores) for every change; proptest runs in the normal test build.

mod common;
use common::root;
use proptest::prelude::*;
use proptest::test_runner::{Config as PtConfig, TestRunner};
use rodedraad::config::Config;
use rodedraad::ingest::{read, spec::Entity, validate};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The seed files of one target: every file in `tests/corpus/` (and below) with one of `exts`.
fn seeds(exts: &[&str]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut stack = vec![root().join("tests/corpus")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if exts.iter().any(|x| p.extension().is_some_and(|e| e == *x)) {
                let mut b = std::fs::read(&p).unwrap();
                b.truncate(3_000);
                out.push(b);
            }
        }
    }
    out.sort();
    assert!(!out.is_empty(), "no seeds for {exts:?}");
    out
}

/// Byte strings that break readers: quotes, line ends, delimiters, BOMs, NUL, high bytes.
const TOKENS: &[&[u8]] = &[
    b"\"",
    b"\"\"",
    b"\n",
    b"\r\n",
    b"\r",
    b",",
    b";",
    b"\t",
    b"|",
    b"\xEF\xBB\xBF",
    b"\xFF\xFE",
    b"\0",
    b"\xE9",
    b"\xC3",
    b"=cmd|",
    b"-2025-01-01",
    b"0000-00-00",
    b"99999999999999999999",
    b"[",
    b"]",
    b"=",
    b"\\",
    b"'",
    b"#",
    // Leading underscores: the reader's own columns start with "__" (a header like that
    // once made the reader loop for ever).
    b"__",
    b"_",
];

/// One edit of a seed: replace, insert, delete, insert a token, or repeat a slice.
#[derive(Debug, Clone)]
enum Edit {
    Set(usize, u8),
    Insert(usize, u8),
    Delete(usize),
    Token(usize, usize),
    Repeat(usize, usize, u8),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(p, b)| Edit::Set(p, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(p, b)| Edit::Insert(p, b)),
        any::<usize>().prop_map(Edit::Delete),
        (any::<usize>(), any::<usize>()).prop_map(|(p, t)| Edit::Token(p, t)),
        (any::<usize>(), 1usize..64, 1u8..20).prop_map(|(p, l, n)| Edit::Repeat(p, l, n)),
    ]
}

fn apply(seed: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut b = seed.to_vec();
    for e in edits {
        let at = |p: usize, len: usize| if len == 0 { 0 } else { p % (len + 1) };
        match *e {
            Edit::Set(p, x) if !b.is_empty() => {
                let i = p % b.len();
                b[i] = x;
            }
            Edit::Insert(p, x) => b.insert(at(p, b.len()), x),
            Edit::Delete(p) if !b.is_empty() => {
                b.remove(p % b.len());
            }
            Edit::Token(p, t) => {
                let i = at(p, b.len());
                let tok = TOKENS[t % TOKENS.len()];
                b.splice(i..i, tok.iter().copied());
            }
            Edit::Repeat(p, l, n) if !b.is_empty() => {
                let i = p % b.len();
                let piece: Vec<u8> = b[i..(i + l).min(b.len())].to_vec();
                for _ in 0..n {
                    b.splice(i..i, piece.iter().copied());
                }
            }
            _ => {}
        }
    }
    b
}

/// A mutated seed: which seed, and up to 8 edits.
fn mutated(n_seeds: usize) -> impl Strategy<Value = (usize, Vec<Edit>)> {
    (0..n_seeds, proptest::collection::vec(edit(), 0..8))
}

static RUNS: AtomicU64 = AtomicU64::new(0);

/// Every this many executions a round prints how far it is.
const PROGRESS: u64 = 25_000;

/// The case being run now, watched by [`watchdog`]: target, round seed, start, input.
struct Running {
    target: &'static str,
    seed: u64,
    started: Instant,
    input: Vec<u8>,
}

/// The running case of each test thread (the long rounds may run side by side).
static CURRENT: Mutex<BTreeMap<String, Running>> = Mutex::new(BTreeMap::new());

fn thread_key() -> String {
    format!("{:?}", std::thread::current().id())
}

/// The longest one case may take (wall clock), `FUZZ_LIMIT_MS` or 2 s. An input that reads
/// in milliseconds when mutated a little must not take seconds: that is quadratic or
/// endless behaviour (a CI run hung over 5 minutes on such an input).
fn limit() -> Duration {
    let ms = std::env::var("FUZZ_LIMIT_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    Duration::from_millis(ms)
}

/// Where slow inputs are kept: `FUZZ_OUT`, or the test build's own temporary folder.
fn out_dir() -> PathBuf {
    let d = std::env::var_os("FUZZ_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fuzz"));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn save(kind: &str, target: &str, seed: u64, input: &[u8]) -> PathBuf {
    let p = out_dir().join(format!("{kind}-{target}-{seed}.bin"));
    std::fs::write(&p, input).unwrap();
    p
}

/// A thread that ends the whole test process, after saving the input, when one case runs
/// longer than [`limit`]: a hang cannot be interrupted from inside the case, and proptest
/// would otherwise go on (or shrink) for ever.
fn watchdog() {
    static STARTED: OnceLock<()> = OnceLock::new();
    STARTED.get_or_init(|| {
        let limit = limit();
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_millis(100));
            let guard = CURRENT.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(r) = guard.values().find(|r| r.started.elapsed() > limit) {
                let p = save("traag", r.target, r.seed, &r.input);
                eprintln!(
                    "fuzz {}: één geval duurt langer dan {:.1} s (zaad {}, {} bytes); invoer bewaard in {}\n\
                     opnieuw: FUZZ_SEED={} FUZZ_CASES=... cargo test --release --test fuzz -- --ignored",
                    r.target,
                    limit.as_secs_f64(),
                    r.seed,
                    r.input.len(),
                    p.display(),
                    r.seed,
                );
                std::process::exit(70);
            }
        });
    });
}

/// The round's random seed: `FUZZ_SEED` to replay a round, a fresh one for a long run
/// (`FUZZ_CASES` set), and a fixed one for the short round in the normal suite, so CI is
/// replayable. Printed with every round.
fn round_seed() -> u64 {
    if let Some(s) = std::env::var("FUZZ_SEED").ok().and_then(|v| v.parse().ok()) {
        return s;
    }
    if std::env::var_os("FUZZ_CASES").is_none() {
        return 20261130;
    }
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    nanos ^ (u64::from(std::process::id()) << 32)
}

/// Runs `check` on `cases` mutations of `seeds`; returns the number of executions. Each
/// case is timed: the slowest is reported (and its input saved) at the end, and a case
/// over [`limit`] stops the process (see [`watchdog`]).
fn fuzz(
    name: &'static str,
    cases: u32,
    seeds: &[Vec<u8>],
    check: impl Fn(&[u8]) -> Result<(), TestCaseError>,
) -> u64 {
    watchdog();
    let before = RUNS.load(Ordering::Relaxed);
    let seed = round_seed();
    eprintln!("fuzz {name}: {cases} gevallen, zaad {seed}");
    let mut runner = TestRunner::new(PtConfig {
        cases,
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(seed),
        ..PtConfig::default()
    });
    let started = Instant::now();
    let slowest: Mutex<(Duration, Vec<u8>)> = Mutex::new((Duration::ZERO, Vec::new()));
    runner
        .run(&mutated(seeds.len()), |(s, edits)| {
            let done = RUNS.fetch_add(1, Ordering::Relaxed) + 1 - before;
            if done.is_multiple_of(PROGRESS) {
                // A long run that is stopped early still documents what it did.
                eprintln!(
                    "fuzz {name}: {done} uitvoeringen zonder fout na {:.0} s (zaad {seed})",
                    started.elapsed().as_secs_f64()
                );
            }
            let input = apply(&seeds[s], &edits);
            let t0 = Instant::now();
            CURRENT.lock().unwrap().insert(
                thread_key(),
                Running {
                    target: name,
                    seed,
                    started: t0,
                    input: input.clone(),
                },
            );
            let outcome = check(&input);
            CURRENT.lock().unwrap().remove(&thread_key());
            let took = t0.elapsed();
            let mut slow = slowest.lock().unwrap();
            if took > slow.0 {
                *slow = (took, input.clone());
            }
            drop(slow);
            outcome.map_err(|e| {
                TestCaseError::fail(format!(
                    "{e}\ninvoer: {:?}",
                    String::from_utf8_lossy(&input)
                ))
            })
        })
        .unwrap_or_else(|e| panic!("{name} (zaad {seed}): {e}"));
    let n = RUNS.load(Ordering::Relaxed) - before;
    let (took, input) = slowest.into_inner().unwrap();
    let kept = save("traagste", name, seed, &input);
    eprintln!(
        "fuzz {name}: {n} uitvoeringen zonder fout in {:.1} s (zaad {seed}); traagste geval {:.0} ms, {} bytes: {}",
        started.elapsed().as_secs_f64(),
        took.as_secs_f64() * 1000.0,
        input.len(),
        kept.display()
    );
    n
}

fn csv_target(bytes: &[u8]) -> Result<(), TestCaseError> {
    match read::read_csv_bytes(bytes, "auto", "auto", Path::new("f.csv")) {
        Ok(t) => {
            prop_assert_eq!(t.df.height(), t.df.column(read::ROW).unwrap().len());
            prop_assert!(t.df.height() >= 1);
        }
        Err(e) => prop_assert_eq!(e.exit_code(), 3, "{}", e),
    }
    Ok(())
}

fn xlsx_target(bytes: &[u8]) -> Result<(), TestCaseError> {
    if let Err(e) = read::read_spreadsheet(bytes, Path::new("f.xlsx"), None) {
        prop_assert_eq!(e.exit_code(), 3, "{}", e);
    }
    Ok(())
}

fn validation_target(bytes: &[u8]) -> Result<(), TestCaseError> {
    let cfg = Config::default_config();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
    let Ok(raw) = read::read_csv_bytes(bytes, "auto", "auto", Path::new("f.csv")) else {
        return Ok(());
    };
    for entity in [Entity::Cases, Entity::Signals] {
        match validate::validate(&raw, entity, &cfg, today) {
            Ok(v) => {
                let s = &v.summary;
                prop_assert_eq!(s.gelezen, s.geaccepteerd + s.in_quarantaine);
                prop_assert_eq!(s.gelezen, raw.df.height());
            }
            Err(e) => prop_assert_eq!(e.exit_code(), 3, "{}", e),
        }
    }
    Ok(())
}

fn config_target(bytes: &[u8]) -> Result<(), TestCaseError> {
    let text = String::from_utf8_lossy(bytes);
    if let Err(e) = Config::from_toml_str(&text) {
        prop_assert_eq!(e.exit_code(), 4, "{}", e);
        let m = e.to_string();
        for english in ["invalid type", "TOML parse error", "expected u64"] {
            prop_assert!(!m.contains(english), "{}", m);
        }
    }
    Ok(())
}

fn config_seeds() -> Vec<Vec<u8>> {
    let mut s = seeds(&["toml"]);
    for p in [
        "sample-data/excel/rodedraad.toml",
        "sample-data/cfpb/rodedraad.toml",
    ] {
        s.push(std::fs::read(root().join(p)).unwrap());
    }
    s
}

#[test]
fn short_round_over_every_target() {
    fuzz("csv", 3_000, &seeds(&["csv"]), csv_target);
    fuzz("xlsx", 1_000, &seeds(&["xlsx"]), xlsx_target);
    fuzz("validatie", 150, &seeds(&["csv"]), validation_target);
    fuzz("configuratie", 400, &config_seeds(), config_target);
}

fn long_cases(default: u32) -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
#[ignore = "lange fuzzrun: FUZZ_CASES=N cargo test --release --test fuzz -- --ignored --nocapture"]
fn long_run_csv() {
    fuzz("csv", long_cases(1_000_000), &seeds(&["csv"]), csv_target);
}

#[test]
#[ignore = "lange fuzzrun"]
fn long_run_xlsx() {
    fuzz(
        "xlsx",
        long_cases(1_000_000),
        &seeds(&["xlsx"]),
        xlsx_target,
    );
}

#[test]
#[ignore = "lange fuzzrun"]
fn long_run_validation() {
    fuzz(
        "validatie",
        long_cases(20_000),
        &seeds(&["csv"]),
        validation_target,
    );
}

#[test]
#[ignore = "lange fuzzrun"]
fn long_run_config() {
    fuzz(
        "configuratie",
        long_cases(1_000_000),
        &config_seeds(),
        config_target,
    );
}
