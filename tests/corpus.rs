//! The broken-input sweep: every case in the table of `tests/corpus/README.md` ("De
//! kapotte-invoersweep") is run with the release binary, and its exit code and messages
//! are checked. The table is the single list: a case added there is tested here.

mod common;
use common::{bin, root};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// One row of the table.
#[derive(Debug)]
struct Case {
    name: String,
    steps: Vec<String>,
    code: i32,
    expect: Vec<String>,
    forbid: Vec<String>,
}

/// The backticked spans of a table cell, each with whether `niet` stands before it.
fn spans(cell: &str) -> Vec<(bool, String)> {
    let mut out = Vec::new();
    let mut rest = cell;
    while let Some(a) = rest.find('`') {
        let before = rest[..a].trim_end();
        let Some(b) = rest[a + 1..].find('`') else {
            break;
        };
        out.push((before.ends_with("niet"), rest[a + 1..a + 1 + b].to_string()));
        rest = &rest[a + 2 + b..];
    }
    out
}

fn cases() -> Vec<Case> {
    let readme = std::fs::read_to_string(root().join("tests/corpus/README.md")).unwrap();
    let table = readme
        .split("## De kapotte-invoersweep")
        .nth(1)
        .expect("the sweep section in tests/corpus/README.md");
    let mut out = Vec::new();
    for line in table.lines().filter(|l| l.starts_with('|')) {
        let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
        if cells.len() != 4 || cells[2] == "code" || cells[2].starts_with("---") {
            continue;
        }
        let command = spans(cells[1]).into_iter().next().expect("a command").1;
        let (forbid, expect): (Vec<_>, Vec<_>) = spans(cells[3]).into_iter().partition(|s| s.0);
        out.push(Case {
            name: cells[0].to_string(),
            steps: command.split(" && ").map(str::to_string).collect(),
            code: cells[2].parse().expect("an exit code"),
            expect: expect.into_iter().map(|s| s.1).collect(),
            forbid: forbid.into_iter().map(|s| s.1).collect(),
        });
    }
    out
}

/// Splits a step into arguments (no quoting is needed in the table).
fn args(step: &str, out: &Path) -> Vec<String> {
    step.split_whitespace()
        .map(|a| a.replace("{uit}", &out.display().to_string()))
        .collect()
}

/// Everything a case produced: stdout, stderr, and every file under `dir` with its text.
fn everything(stdout: &[u8], stderr: &[u8], dir: &Path) -> String {
    let mut s = String::from_utf8_lossy(stdout).into_owned();
    s.push_str(&String::from_utf8_lossy(stderr));
    let mut stack = vec![dir.to_path_buf()];
    let mut files: Vec<PathBuf> = Vec::new();
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            // Folders are listed too (a leftover staging folder must show).
            let rel = p.strip_prefix(dir).unwrap().display().to_string();
            s.push_str(&format!("\nbestand: {rel}\n"));
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    for f in files {
        if let Ok(t) = std::fs::read_to_string(&f) {
            s.push_str(&t);
        }
    }
    s
}

/// The longest one step may take: a hang (an input that makes a reader loop) fails its
/// case instead of the whole suite waiting for ever.
const LIMIT: Duration = Duration::from_secs(180);

/// Runs `cmd` like `Command::output`, but kills it and fails after `limit`.
fn output_within(mut cmd: Command, limit: Duration) -> Result<Output, String> {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    let read = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut b = Vec::new();
            let _ = r.read_to_end(&mut b);
            b
        })
    };
    let out = read(Box::new(child.stdout.take().unwrap()));
    let err = read(Box::new(child.stderr.take().unwrap()));
    let started = Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait().map_err(|e| e.to_string())? {
            break st;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("took longer than {} s: killed", limit.as_secs()));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Ok(Output {
        status,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    })
}

fn run_case(c: &Case, out: &Path) -> Result<(), String> {
    let corpus = root().join("tests/corpus");
    let (last, before) = c.steps.split_last().unwrap();
    for step in before {
        let a = args(step, out);
        match a[0].as_str() {
            "mkdir" => std::fs::create_dir_all(&a[1]).unwrap(),
            "copy" => {
                std::fs::create_dir_all(Path::new(&a[2]).parent().unwrap()).unwrap();
                std::fs::copy(corpus.join(&a[1]), &a[2]).unwrap();
            }
            _ => {
                let mut cmd = bin();
                cmd.current_dir(&corpus).args(&a);
                let o = output_within(cmd, LIMIT)?;
                if o.status.code() != Some(0) {
                    return Err(format!(
                        "step `{step}` failed: {}",
                        String::from_utf8_lossy(&o.stderr)
                    ));
                }
            }
        }
    }
    let mut cmd = bin();
    cmd.current_dir(&corpus).args(args(last, out));
    let o = output_within(cmd, LIMIT)?;
    let all = everything(&o.stdout, &o.stderr, out);
    let mut problems = Vec::new();
    if o.status.code() != Some(c.code) {
        problems.push(format!("exit {:?}, expected {}", o.status.code(), c.code));
    }
    for e in &c.expect {
        if !all.contains(e.as_str()) {
            problems.push(format!("missing: {e}"));
        }
    }
    for f in &c.forbid {
        if all.contains(f.as_str()) {
            problems.push(format!("present but forbidden: {f}"));
        }
    }
    let printed = [o.stdout.as_slice(), o.stderr.as_slice()].concat();
    let printed = String::from_utf8_lossy(&printed);
    for bad in [
        "panicked",
        "\0",
        "PolarsError",
        "invalid type",
        "expected u64",
        "RUST_BACKTRACE",
    ] {
        if printed.contains(bad) {
            problems.push(format!("printed {bad:?}"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}\n    stderr: {}",
            problems.join("\n    "),
            String::from_utf8_lossy(&o.stderr)
        ))
    }
}

#[test]
fn every_case_of_the_sweep_gives_its_exit_code_and_message() {
    let cases = cases();
    assert!(cases.len() >= 30, "only {} cases in the table", cases.len());
    let base = std::env::temp_dir().join(format!("rodedraad-corpus-{}", std::process::id()));
    let mut failures = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        let out = base.join(format!("geval-{i}"));
        let _ = std::fs::remove_dir_all(&out);
        std::fs::create_dir_all(&out).unwrap();
        if let Err(e) = run_case(c, &out) {
            failures.push(format!("{} ({}):\n    {e}", c.name, c.steps.join(" && ")));
        }
    }
    let _ = std::fs::remove_dir_all(&base);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_table_parser_reads_commands_codes_and_negations() {
    let s = spans("`een` niet `twee` `drie`");
    assert_eq!(
        s,
        vec![
            (false, "een".to_string()),
            (true, "twee".to_string()),
            (false, "drie".to_string())
        ]
    );
    let cs = cases();
    assert!(cs
        .iter()
        .all(|c| !c.steps.is_empty() && !c.expect.is_empty()));
    assert!(cs.iter().any(|c| c.code == 3) && cs.iter().any(|c| c.code == 4));
}
