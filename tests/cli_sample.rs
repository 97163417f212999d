//! `rodedraad sample`: the generator reproduces the committed sample data byte for byte,
//! so a change in the generator that alters the data cannot go unnoticed.

mod common;
use common::*;
use std::path::Path;

/// The files of a canonical sample with its Excel-style variant.
const SAMPLE_FILES: &[&str] = &[
    "casussen.csv",
    "signalen.csv",
    "geplante-draden.json",
    "excel/casussen.csv",
    "excel/signalen.csv",
    "excel/rodedraad.toml",
];

/// The files of the null sample (no Excel variant).
const NULL_FILES: &[&str] = &["casussen.csv", "signalen.csv", "geplante-draden.json"];

fn generate(out: &Path, extra: &[&str]) {
    let out_s = out.display().to_string();
    let mut args = vec!["sample", "--seed", "2025", "--out", &out_s];
    args.extend(extra);
    let o = run(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// Every file in `dir` and its subfolders, relative to `dir`, sorted.
fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if p.is_dir() {
            out.extend(files_under(&p).into_iter().map(|f| format!("{name}/{f}")));
        } else {
            out.push(name);
        }
    }
    out.sort();
    out
}

fn assert_same_bytes(generated: &Path, committed: &str, files: &[&str]) {
    let mut expected: Vec<String> = files.iter().map(|f| f.to_string()).collect();
    expected.sort();
    assert_eq!(files_under(generated), expected, "files written");
    for f in files {
        let got = std::fs::read(generated.join(f)).unwrap();
        let want = std::fs::read(sample(&format!("{committed}{f}"))).unwrap();
        let first_diff = got.iter().zip(&want).position(|(a, b)| a != b);
        assert!(
            got == want,
            "{f}: {} bytes generated, {} committed, first difference at {first_diff:?}",
            got.len(),
            want.len()
        );
    }
}

#[test]
fn the_committed_sample_is_reproduced_byte_for_byte() {
    let out = tmp("sample-vast");
    generate(&out, &[]);
    assert_same_bytes(&out, "", SAMPLE_FILES);
    std::fs::remove_dir_all(out).unwrap();
}

#[test]
fn the_committed_null_sample_is_reproduced_byte_for_byte() {
    let out = tmp("sample-nul");
    generate(&out, &["--zonder-draden", "--excel", "false"]);
    assert_same_bytes(&out, "nul/", NULL_FILES);
    std::fs::remove_dir_all(out).unwrap();
}
