//! The layer order of the library, held by a test.
//!
//! Data flows one way: cli -> pipeline -> render, export -> protect -> analyse
//! -> register, ingest, sample -> model, config, util (and the other leaf
//! modules). A module may use modules of its own layer or lower, never higher,
//! and the graph of top-level modules has no cycle. The test reads every
//! `crate::` path in `src/` (in `use` lines, grouped imports and inline paths;
//! comments and doc examples are skipped).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Layers from the bottom (0) up.
fn layer(module: &str) -> Option<usize> {
    Some(match module {
        "util" | "error" | "model" | "config" | "nl" | "labels" | "output" => 0,
        "ingest" | "register" | "sample" => 1,
        "analyse" => 2,
        "protect" => 3,
        "render" | "export" => 4,
        "pipeline" => 5,
        "cli" => 6,
        _ => return None,
    })
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The top-level module a file in `src/` belongs to (`src/analyse/text.rs` -> `analyse`).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel
        .components()
        .next()?
        .as_os_str()
        .to_string_lossy()
        .to_string();
    let name = first.trim_end_matches(".rs").to_string();
    (name != "lib" && name != "main").then_some(name)
}

/// Code lines without comments (line and doc comments) and without `#[cfg(test)]` modules' text
/// kept: test code must respect the layers as well.
fn code_lines(text: &str) -> Vec<(usize, String)> {
    text.lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let t = l.trim_start();
            if t.starts_with("//") {
                return None;
            }
            let code = match l.find("//") {
                Some(pos) if !l[..pos].contains('"') => &l[..pos],
                _ => l,
            };
            Some((i + 1, code.to_string()))
        })
        .collect()
}

/// Top-level modules named by `crate::` paths in `code`, including grouped imports
/// (`use crate::{a::x, b}`), spread over several lines.
fn referenced(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(pos) = rest.find("crate::") {
        let after = &rest[pos + 7..];
        if let Some(group) = after.strip_prefix('{') {
            // Grouped: take every first path segment at depth 0 of the group.
            let mut depth = 0;
            let mut seg = String::new();
            let mut first = true;
            for c in group.chars() {
                match c {
                    '{' => {
                        depth += 1;
                        first = false;
                    }
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        if !seg.is_empty() {
                            out.insert(seg.clone());
                        }
                        seg.clear();
                        first = true;
                    }
                    ':' => {
                        if depth == 0 && first && !seg.is_empty() {
                            out.insert(seg.clone());
                        }
                        first = false;
                    }
                    c if (c.is_alphanumeric() || c == '_') && depth == 0 && first => seg.push(c),
                    _ => {}
                }
            }
            if first && !seg.is_empty() {
                out.insert(seg);
            }
        } else {
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
        rest = &rest[pos + 7..];
    }
    out
}

/// Every (from, to, file, line) edge between different top-level modules.
fn edges() -> Vec<(String, String, String, usize)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let Some(from) = module_of(&src, &f) else {
            continue;
        };
        let text = std::fs::read_to_string(&f).unwrap();
        // Join lines so that a grouped `use crate::{...}` over several lines is one string.
        let lines = code_lines(&text);
        let joined: String = lines
            .iter()
            .map(|(_, l)| l.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        for to in referenced(&joined) {
            if to == from || to == "self" || to == "super" {
                continue;
            }
            let line = lines
                .iter()
                .find(|(_, l)| l.contains(&format!("crate::{to}")) || l.contains(&to))
                .map(|(n, _)| *n)
                .unwrap_or(0);
            let rel = f.strip_prefix(&src).unwrap().display().to_string();
            out.push((from.clone(), to, rel, line));
        }
    }
    out
}

#[test]
fn every_module_has_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let unknown: BTreeSet<String> = files
        .iter()
        .filter_map(|f| module_of(&src, f))
        .filter(|m| layer(m).is_none())
        .collect();
    assert!(
        unknown.is_empty(),
        "modules without a layer in tests/architectuur.rs: {unknown:?}"
    );
}

#[test]
fn imports_never_climb_the_layer_order() {
    let bad: Vec<String> = edges()
        .into_iter()
        .filter(|(from, to, _, _)| match (layer(from), layer(to)) {
            (Some(a), Some(b)) => b > a,
            _ => true,
        })
        .map(|(from, to, file, line)| format!("src/{file}:{line}: {from} -> {to}"))
        .collect();
    assert!(
        bad.is_empty(),
        "imports that climb the layers:\n{}",
        bad.join("\n")
    );
}

#[test]
fn neighbours_above_the_bottom_layer_do_not_know_each_other() {
    // render and export, register and ingest and sample: siblings, never each other's users.
    let bad: Vec<String> = edges()
        .into_iter()
        .filter(|(from, to, _, _)| {
            matches!((layer(from), layer(to)), (Some(a), Some(b)) if a == b && a > 0)
        })
        .map(|(from, to, file, line)| format!("src/{file}:{line}: {from} -> {to}"))
        .collect();
    assert!(
        bad.is_empty(),
        "imports between neighbours:\n{}",
        bad.join("\n")
    );
}

#[test]
fn no_cycle_between_top_level_modules() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, to, _, _) in edges() {
        graph.entry(from).or_default().insert(to);
    }
    // Depth-first search for a back edge.
    fn visit(
        n: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match state.get(n) {
            Some(1) => {
                let start = path.iter().position(|p| p == n).unwrap();
                let mut cycle = path[start..].to_vec();
                cycle.push(n.to_string());
                return Some(cycle);
            }
            Some(2) => return None,
            _ => {}
        }
        state.insert(n.to_string(), 1);
        path.push(n.to_string());
        for m in g.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, g, state, path) {
                return Some(c);
            }
        }
        path.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in graph.keys() {
        if let Some(c) = visit(n, &graph, &mut state, &mut Vec::new()) {
            panic!("cycle between modules: {}", c.join(" -> "));
        }
    }
}

#[test]
fn the_reader_sees_grouped_and_inline_paths() {
    let r =
        referenced("use crate::{analyse::x, config::{A, B}, model};\nlet y = crate::nl::int(3);");
    let want: BTreeSet<String> = ["analyse", "config", "model", "nl"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(r, want);
}

#[test]
fn the_check_catches_a_climbing_import() {
    // A render file importing cli must be reported: the check can fail.
    assert!(layer("render").unwrap() < layer("cli").unwrap());
    assert!(layer("register").unwrap() < layer("analyse").unwrap());
    assert!(layer("analyse").unwrap() < layer("protect").unwrap());
}

#[test]
fn the_library_names_no_file_outside_the_repository() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let bad: Vec<String> = files
        .iter()
        .filter(|f| {
            let t = std::fs::read_to_string(f).unwrap();
            t.contains("DOMAIN.md") || t.contains("../shared") || t.contains("STACK.md")
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        bad.is_empty(),
        "files citing documents outside the repository: {bad:?}"
    );
}
