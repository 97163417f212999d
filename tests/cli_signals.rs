//! End-to-end tests of `rodedraad signals`: import, promote, status and the exports.

mod common;
use common::*;

#[test]
fn import_is_idempotent_promote_is_stable_and_exports_are_written() {
    let dir = tmp("signals");
    let reg = dir.join("register.sqlite");
    let r = reg.to_str().unwrap();
    let sig = sample("signalen.csv");
    let o = run(&[
        "signals",
        "import",
        "--signals",
        &sig,
        "--register",
        r,
        "--op",
        "2026-10-31",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("427 nieuw"), "{}", stderr(&o));
    let o = run(&[
        "signals",
        "import",
        "--signals",
        &sig,
        "--register",
        r,
        "--op",
        "2026-11-01",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(
        stderr(&o).contains("0 nieuw, 0 gewijzigd, 427 ongewijzigd"),
        "importing twice changes nothing: {}",
        stderr(&o)
    );

    // A newer export: one signal changes status and gets feedback.
    let src = std::fs::read_to_string(&sig).unwrap();
    let mut lines: Vec<String> = src.lines().map(str::to_string).collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let status_col = header.iter().position(|h| *h == "status").unwrap();
    let mut rdr = csv::Reader::from_reader(src.as_bytes());
    let first: Vec<String> = rdr
        .records()
        .next()
        .unwrap()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let id = first[0].clone();
    let mut changed = first.clone();
    changed[status_col] = "afgerond".into();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&changed).unwrap();
    lines[1] = String::from_utf8(w.into_inner().unwrap())
        .unwrap()
        .trim_end()
        .to_string();
    let newer = dir.join("signalen-nieuw.csv");
    std::fs::write(&newer, lines.join("\n") + "\n").unwrap();
    let o = run(&[
        "signals",
        "import",
        "--signals",
        newer.to_str().unwrap(),
        "--register",
        r,
        "--op",
        "2026-11-02",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(
        stderr(&o).contains("1 gewijzigd") || first[status_col] == "afgerond",
        "{}",
        stderr(&o)
    );

    // Promote a thread from the analysis, twice: same signal id.
    let an = dir.join("analyse");
    let draden = analyse_sample(&an, "2026-Q3", &[]);
    let draad = draden[0]["id"].as_str().unwrap().to_string();
    let d = an.join("rode-draden.json");
    for _ in 0..2 {
        let o = run(&[
            "signals",
            "promote",
            "--draad",
            &draad,
            "--draden",
            d.to_str().unwrap(),
            "--naar",
            "ibtd",
            "--eigenaar",
            "Team SCO",
            "--register",
            r,
            "--op",
            "2026-11-03",
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(
            stderr(&o).contains(&format!("RD-{draad}")),
            "{}",
            stderr(&o)
        );
    }
    let o = run(&[
        "signals",
        "promote",
        "--draad",
        "RD-bestaatniet",
        "--draden",
        d.to_str().unwrap(),
        "--register",
        r,
    ]);
    assert_eq!(o.status.code(), Some(2));

    let o = run(&[
        "signals",
        "status",
        "--peildatum",
        "2026-11-03",
        "--json",
        "--register",
        r,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let st: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(st["per_ontvanger"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["ontvanger"] == "ibtd"));
    assert!(!st["open"].as_array().unwrap().is_empty());

    let exp = dir.join("export");
    for naar in ["ksm", "ibtd"] {
        let o = run(&[
            "signals",
            "export",
            "--naar",
            naar,
            "--peildatum",
            "2026-11-03",
            "--out",
            exp.to_str().unwrap(),
            "--register",
            r,
        ]);
        assert_eq!(o.status.code(), Some(0), "{naar}: {}", stderr(&o));
    }
    let ksm = std::fs::read_to_string(exp.join("ksm-export.csv")).unwrap();
    assert!(
        ksm.starts_with("SignaalID,DatumMelding,"),
        "layout from the config"
    );
    assert!(ksm.contains(&id));
    assert_eq!(
        ksm.lines().count(),
        1 + 427 + 1,
        "all signals plus the promoted thread"
    );
    let o = run(&[
        "signals",
        "export",
        "--naar",
        "ksm",
        "--sinds",
        "2026-11-03",
        "--out",
        dir.join("sinds").to_str().unwrap(),
        "--register",
        r,
    ]);
    assert_eq!(o.status.code(), Some(0));
    let since = std::fs::read_to_string(dir.join("sinds/ksm-export.csv")).unwrap();
    assert_eq!(
        since.lines().count(),
        2,
        "only what changed since: the promoted thread\n{since}"
    );
    assert!(exp.join("ibtd-overzicht.xlsx").exists() && exp.join("ibtd-overzicht.json").exists());
}

#[test]
fn a_transition_that_skips_needs_a_reason_and_is_recorded() {
    let dir = tmp("transition");
    let reg = dir.join("register.sqlite");
    let r = reg.to_str().unwrap();
    let an = dir.join("analyse");
    let draad = analyse_sample(&an, "2026-Q3", &[])[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let d = an.join("rode-draden.json");
    let o = run(&[
        "signals",
        "promote",
        "--draad",
        &draad,
        "--draden",
        d.to_str().unwrap(),
        "--register",
        r,
        "--op",
        "2026-11-01",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let id = format!("RD-{draad}");
    let overgang = |extra: &[&str]| {
        let mut args = vec!["signals", "overgang", "--signaal", &id, "--register", r];
        args.extend(extra);
        run(&args)
    };
    // nieuw -> afgerond skips steps: refused without a reason ...
    let o = overgang(&["--naar", "afgerond", "--op", "2026-11-02"]);
    assert_eq!(o.status.code(), Some(8), "{}", stderr(&o));
    // ... the next step is fine ...
    let o = overgang(&[
        "--naar",
        "in_analyse",
        "--door",
        "analist",
        "--op",
        "2026-11-02",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // ... and a skip with a reason is recorded with that reason.
    let o = overgang(&[
        "--naar",
        "afgerond",
        "--reden",
        "dubbel met een eerder signaal",
        "--op",
        "2026-11-03",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("in_analyse -> afgerond")
            && stderr(&o).contains("dubbel met een eerder signaal"),
        "{}",
        stderr(&o)
    );
}
