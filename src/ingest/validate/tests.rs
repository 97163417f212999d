//! Tests of the validation rules: the rules themselves, escalation dates, exports from
//! elsewhere, and properties over random text.

use super::*;

/// The values of one column as text, a missing value as "" (for the tests below).
fn column_texts(df: &DataFrame, name: &str) -> Vec<String> {
    df.column(name)
        .unwrap()
        .cast(&DataType::String)
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|x| x.unwrap_or("").to_string())
        .collect()
}

mod rules {
    use super::*;

    fn validate_csv(csv: &str, cfg: &Config) -> Result<Validated> {
        let raw = crate::ingest::read::read_csv_bytes(
            csv.as_bytes(),
            "auto",
            "auto",
            std::path::Path::new("t.csv"),
        )?;
        let today = NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
        validate(&raw, Entity::Cases, cfg, today)
    }

    const HEAD: &str = "casus_id,ontvangen_op,aandrager_type,thema\n";

    fn received(v: &Validated) -> Vec<String> {
        let c = v.accepted.column("ontvangen_op").unwrap();
        c.date()
            .unwrap()
            .as_date_iter()
            .map(|d| d.map(|d| d.to_string()).unwrap_or_default())
            .collect()
    }

    #[test]
    fn free_text_is_trimmed_and_blank_is_missing_whether_a_column_needs_it_or_not() {
        let csv = "casus_id,ontvangen_op,aandrager_type,thema,samenvatting,geleerde_les\n \
                   C-1 ,2025-01-02,wijkteam,toeslagen,Schoon,\"  rand  \"\n\
                   C-2,2025-01-03,wijkteam,toeslagen,Ook schoon,\"   \"\n\
                   C-3,2025-01-04,wijkteam,toeslagen,,x\n";
        let v = validate_csv(csv, &Config::default_config()).unwrap();
        let texts = |c: &str| -> Vec<Option<String>> {
            let col = v.accepted.column(c).unwrap();
            col.str()
                .unwrap()
                .iter()
                .map(|x| x.map(str::to_string))
                .collect()
        };
        let some = |s: &str| Some(s.to_string());
        assert_eq!(
            texts("samenvatting"),
            [some("Schoon"), some("Ook schoon"), None]
        );
        assert_eq!(texts("geleerde_les"), [some("rand"), None, some("x")]);
        assert_eq!(texts("casus_id"), [some("C-1"), some("C-2"), some("C-3")]);
    }

    #[test]
    fn a_us_column_is_read_month_first_as_a_whole() {
        let csv = format!("{HEAD}C-1,01/07/2015 12:35:56 PM,wijkteam,toeslagen\nC-2,01/13/2015 08:00:00 AM,wijkteam,toeslagen\n");
        let v = validate_csv(&csv, &Config::default_config()).unwrap();
        assert_eq!(received(&v), ["2015-01-07", "2015-01-13"]);
        assert!(v.summary.datumformaten["ontvangen_op"]
            .starts_with("%m/%d/%Y (maand/dag/jaar, gekozen"));
    }

    #[test]
    fn an_ambiguous_column_stops_with_the_config_line_and_the_config_line_settles_it() {
        let csv =
            format!("{HEAD}C-1,01/02/2025,wijkteam,toeslagen\nC-2,03/04/2025,wijkteam,toeslagen\n");
        let e = validate_csv(&csv, &Config::default_config()).unwrap_err();
        assert_eq!(e.exit_code(), 3);
        let m = e.to_string();
        assert!(
            m.contains("[casussen.datumformaat]\nontvangen_op = \"%d/%m/%Y\""),
            "{m}"
        );
        let cfg = Config::from_toml_str("[casussen.datumformaat]\nontvangen_op = \"%m/%d/%Y\"\n")
            .unwrap();
        let v = validate_csv(&csv, &cfg).unwrap();
        assert_eq!(received(&v), ["2025-01-02", "2025-03-04"]);
        assert!(v.summary.datumformaten["ontvangen_op"].ends_with("uit de configuratie)"));
    }

    #[test]
    fn a_value_in_another_notation_is_quarantined_not_guessed() {
        let csv = format!("{HEAD}C-1,2025-03-01,wijkteam,toeslagen\nC-2,2025-03-02,wijkteam,toeslagen\nC-3,04-03-2025,wijkteam,toeslagen\n");
        let v = validate_csv(&csv, &Config::default_config()).unwrap();
        assert_eq!(received(&v), ["2025-03-01", "2025-03-02"]);
        let reason = column_texts(&v.quarantine, "reden").remove(0);
        assert!(
            reason.contains(
                "\"04-03-2025\" is geen geldige datum in de notatie van deze kolom, %Y-%m-%d"
            ),
            "{reason}"
        );
    }

    #[test]
    fn patterns_one_column_into_two_fields_and_a_theme_from_two_columns() {
        let cfg = Config::from_toml_str(
            r#"
[casussen.kolommen]
"CASE_ENQUIRY_ID" = "casus_id"
"OPEN_DT" = "ontvangen_op"
"CLOSURE_REASON" = ["uitkomst", "samenvatting"]
[casussen.vast]
aandrager_type = "wijkteam"
[casussen.samengesteld]
thema = ["SUBJECT", "TYPE"]
[casussen.waarden.uitkomst]
"^Case Closed.*Resolved" = "opgelost"
"^Case Closed.*Invalid" = "ingetrokken"
"Case Noted" = "lopend"
[taxonomie.thema]
"street_lights" = "Street Lights"
"street_lights.street_light_outage" = "Street Light Outage"
"public_works" = "Public Works"
"#,
        )
        .unwrap();
        let csv = "CASE_ENQUIRY_ID,OPEN_DT,SUBJECT,TYPE,CLOSURE_REASON\n\
            1,2025-03-01,Street Lights,Street Light Outage,Case Closed. Case Resolved. Lamp replaced\n\
            2,2025-03-02,Public Works,,Case Noted\n\
            3,2025-03-03,Street Lights,Graffiti,Case Closed. Case Invalid.\n\
            4,2025-03-04,,,Case Closed. Case Invalid. Resolved\n\
            5,2025-03-05,Public Works,,Something else\n";
        let v = validate_csv(csv, &cfg).unwrap();
        let col = |n: &str| column_texts(&v.accepted, n);
        assert_eq!(col("casus_id"), ["1", "2"]);
        assert_eq!(
            col("thema"),
            ["street_lights.street_light_outage", "public_works"]
        );
        assert_eq!(col("uitkomst"), ["opgelost", "lopend"]);
        assert_eq!(
            col("samenvatting")[0],
            "Case Closed. Case Resolved. Lamp replaced"
        );
        let reasons = column_texts(&v.quarantine, "reden");
        assert!(
            reasons[0].contains("\"street_lights.graffiti\""),
            "{reasons:?}"
        );
        assert!(
            reasons[1].contains("thema: verplicht veld is leeg"),
            "{reasons:?}"
        );
        assert!(reasons[1].contains("twee patronen"), "{reasons:?}");
        assert!(
            reasons[2].contains("onbekende waarde \"Something else\""),
            "{reasons:?}"
        );
        assert!(
            v.summary
                .waarschuwingen
                .iter()
                .all(|w| !w.contains("SUBJECT")),
            "{:?}",
            v.summary.waarschuwingen
        );
    }

    #[test]
    fn a_repeated_id_names_the_first_row_with_it_wherever_it_stands() {
        let csv = format!(
            "{HEAD}C-2,2025-01-01,wijkteam,toeslagen\nC-1,2025-01-02,wijkteam,toeslagen\n \
             C-1 ,2025-01-03,wijkteam,toeslagen\n,2025-01-04,wijkteam,toeslagen\n\
             ,2025-01-05,wijkteam,toeslagen\nC-2,2025-01-06,wijkteam,toeslagen\n\
             C-1,2025-01-07,wijkteam,toeslagen\nC-3,2025-01-08,wijkteam,toeslagen\n"
        );
        let v = validate_csv(&csv, &Config::default_config()).unwrap();
        let q = |c: &str| column_texts(&v.quarantine, c);
        assert_eq!(q("rij"), ["4", "5", "6", "7", "8"]);
        let reasons = q("reden");
        assert_eq!(
            reasons[0],
            "casus_id: dubbel; dezelfde id staat al in rij 3"
        );
        // Rows without an id are not each other's repeats.
        assert_eq!(
            reasons[1],
            "casus_id: verplicht veld is leeg; vul het in de bron in"
        );
        assert_eq!(reasons[2], reasons[1]);
        assert_eq!(
            reasons[3],
            "casus_id: dubbel; dezelfde id staat al in rij 2"
        );
        assert_eq!(
            reasons[4],
            "casus_id: dubbel; dezelfde id staat al in rij 3"
        );
        let ids = column_texts(&v.accepted, "casus_id");
        assert_eq!(ids, ["C-2", "C-1", "C-3"]);
        // Ids that rise until one repeats: the repeat is still found.
        let csv = format!(
            "{HEAD}A-1,2025-01-01,wijkteam,toeslagen\nA-2,2025-01-02,wijkteam,toeslagen\n\
             A-2,2025-01-03,wijkteam,toeslagen\nA-3,2025-01-04,wijkteam,toeslagen\n"
        );
        let v = validate_csv(&csv, &Config::default_config()).unwrap();
        assert_eq!(v.summary.in_quarantaine, 1);
        let reason = column_texts(&v.quarantine, "reden").remove(0);
        assert_eq!(reason, "casus_id: dubbel; dezelfde id staat al in rij 3");
    }

    #[test]
    fn quarantine_is_the_same_whether_rows_come_in_file_order_or_not() {
        let csv = format!(
            "{HEAD}C-1,2025-01-01,wijkteam,toeslagen\nC-2,2025-02-30,wijkteam,toeslagen\n\
             C-3,2025-01-03,onbekend,toeslagen\nC-1,2025-01-04,wijkteam,toeslagen,teveel\n\
             C-5,2025-01-05,wijkteam,toeslagen\n,,,\n"
        );
        let raw = crate::ingest::read::read_csv_bytes(
            csv.as_bytes(),
            "auto",
            "auto",
            std::path::Path::new("t.csv"),
        )
        .unwrap();
        let mut reversed = raw.clone();
        reversed.df = reversed.df.reverse();
        let today = NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
        let cfg = Config::default_config();
        let in_order = validate(&raw, Entity::Cases, &cfg, today).unwrap();
        let backwards = validate(&reversed, Entity::Cases, &cfg, today).unwrap();
        assert_eq!(in_order.quarantine.height(), 4);
        assert!(in_order.quarantine.equals_missing(&backwards.quarantine));
        assert!(in_order.accepted.equals_missing(&backwards.accepted));
        let rows: Vec<u32> = in_order
            .quarantine
            .column("rij")
            .unwrap()
            .u32()
            .unwrap()
            .into_no_null_iter()
            .collect();
        assert_eq!(rows, [3, 4, 5, 7]);
        assert_eq!(
            column_texts(&in_order.quarantine, "extra velden")[2],
            "teveel"
        );
    }

    #[test]
    fn a_column_mixing_orders_is_refused() {
        let csv =
            format!("{HEAD}C-1,13/01/2025,wijkteam,toeslagen\nC-2,01/13/2025,wijkteam,toeslagen\n");
        let e = validate_csv(&csv, &Config::default_config()).unwrap_err();
        assert!(e.to_string().contains("mengt twee volgordes"), "{e}");
    }

    #[test]
    fn booleans_and_integers() {
        assert_eq!(parse_bool("Ja"), Some(true));
        assert_eq!(parse_bool(" NEE "), Some(false));
        assert_eq!(parse_bool("1"), Some(true));
        assert_eq!(parse_bool("misschien"), None);
        assert_eq!(parse_int("7"), Some(7));
        assert_eq!(parse_int("7,0"), Some(7));
        assert_eq!(parse_int("7,5"), None);
    }

    #[test]
    fn code_matching_with_mapping_wildcard_and_suggestion() {
        let known: Vec<String> = vec!["dienst_toeslagen".into(), "belastingdienst".into()];
        let mut m = BTreeMap::new();
        m.insert("DT".to_string(), "dienst_toeslagen".to_string());
        let cm = CodeMatcher::new(Some(&m), &known);
        assert_eq!(
            cm.code("Dienst Toeslagen", "dienst", "casussen").unwrap(),
            "dienst_toeslagen"
        );
        assert_eq!(
            cm.code("dt", "dienst", "casussen").unwrap(),
            "dienst_toeslagen"
        );
        let e = cm.code("Belastingdiest", "dienst", "casussen").unwrap_err();
        assert!(e.contains("bedoelt u \"belastingdienst\""), "{e}");
        m.insert("*".into(), "belastingdienst".into());
        let cm = CodeMatcher::new(Some(&m), &known);
        assert_eq!(
            cm.code("iets anders", "dienst", "casussen").unwrap(),
            "belastingdienst"
        );
    }
}

mod escalation_date {
    use super::*;

    fn check(rows: &str) -> Validated {
        let csv = format!("casus_id,ontvangen_op,aandrager_type,thema,triage_op,triage_besluit,geescaleerd,geescaleerd_op,uitkomst,afgerond_op\n{rows}");
        let raw = crate::ingest::read::read_csv_bytes(
            csv.as_bytes(),
            "auto",
            "auto",
            std::path::Path::new("e.csv"),
        )
        .unwrap();
        let cfg = Config::default_config();
        validate(
            &raw,
            Entity::Cases,
            &cfg,
            NaiveDate::from_ymd_opt(2026, 10, 31).unwrap(),
        )
        .unwrap()
    }

    fn reasons(v: &Validated) -> Vec<String> {
        column_texts(&v.quarantine, "reden")
    }

    #[test]
    fn an_escalation_date_out_of_order_is_quarantined_with_a_dutch_reason() {
        let v = check(
            "A,2026-02-01,wijkteam,toeslagen.terugvordering,2026-02-03,behandelen,ja,2026-01-15,,\n\
             B,2026-02-01,wijkteam,toeslagen.terugvordering,2026-02-03,behandelen,ja,2026-02-02,,\n\
             C,2026-02-01,wijkteam,toeslagen.terugvordering,2026-02-03,behandelen,ja,2026-05-01,opgelost,2026-04-01\n\
             D,2026-02-01,wijkteam,toeslagen.terugvordering,2026-02-03,behandelen,nee,2026-03-01,,\n\
             E,2026-02-01,wijkteam,toeslagen.terugvordering,2026-02-03,behandelen,ja,2026-03-01,opgelost,2026-04-01\n\
             F,2026-02-01,wijkteam,toeslagen.terugvordering,2026-02-03,behandelen,ja,,opgelost,2026-04-01\n\
             G,2026-02-01,wijkteam,toeslagen.terugvordering,2026-02-03,behandelen,ja,2026-11-15,,\n",
        );
        assert_eq!((v.summary.geaccepteerd, v.summary.in_quarantaine), (2, 5));
        let r = reasons(&v);
        assert!(
            r[0].contains("geescaleerd_op: ligt vóór ontvangen_op"),
            "{}",
            r[0]
        );
        assert!(
            r[1].contains("geescaleerd_op: ligt vóór triage_op"),
            "{}",
            r[1]
        );
        assert!(
            r[2].contains("geescaleerd_op: ligt na afgerond_op"),
            "{}",
            r[2]
        );
        assert!(
            r[3].contains("ingevuld terwijl geescaleerd nee is"),
            "{}",
            r[3]
        );
        assert!(
            r[4].contains("geescaleerd_op: datum ligt na de exportdatum"),
            "{}",
            r[4]
        );
        let ids = column_texts(&v.accepted, "casus_id");
        assert_eq!(ids, ["E", "F"]);
        let d = v.accepted.column("geescaleerd_op").unwrap();
        assert_eq!(d.dtype(), &DataType::Date);
        assert_eq!(d.null_count(), 1);
    }
}

mod foreign_export {
    //! Rules on exports from elsewhere: English headers, US dates, no triage.
    use super::*;

    fn validate_with(csv: &str, toml: &str) -> Result<Validated> {
        let raw = crate::ingest::read::read_csv_bytes(
            csv.as_bytes(),
            "auto",
            "auto",
            std::path::Path::new("requests.csv"),
        )?;
        let cfg = Config::from_toml_str(toml)?;
        validate(
            &raw,
            Entity::Cases,
            &cfg,
            NaiveDate::from_ymd_opt(2024, 12, 31).unwrap(),
        )
    }

    fn dates(v: &Validated, column: &str) -> Vec<String> {
        v.accepted
            .column(column)
            .unwrap()
            .date()
            .unwrap()
            .as_date_iter()
            .map(|d| d.map(|d| d.to_string()).unwrap_or_default())
            .collect()
    }

    const MAPPING: &str = r#"
[casussen.kolommen]
"Case ID" = "casus_id"
"Opened" = ["ontvangen_op", "triage_op"]
"Closed" = "afgerond_op"
"Category" = "thema"
"Status" = "uitkomst"
[casussen.waarden.uitkomst]
"Closed" = "opgelost"
"Open" = "lopend"
[casussen.vast]
aandrager_type = "burger_zelf"
[taxonomie.thema]
pothole = "Pothole"
"#;

    #[test]
    fn a_format_set_for_one_target_of_a_header_is_read_for_the_other_too() {
        // Every day is 12 or less: from the values alone the order cannot be chosen.
        let csv = "Case ID,Opened,Closed,Category,Status\n\
                   A,01/02/2024 10:00 AM,,Pothole,Open\n\
                   B,03/04/2024 08:00 AM,,Pothole,Open\n";
        for (set, other) in [("ontvangen_op", "triage_op"), ("triage_op", "ontvangen_op")] {
            let toml = format!("{MAPPING}[casussen.datumformaat]\n{set} = \"%m/%d/%Y\"\n");
            let v = validate_with(csv, &toml).unwrap();
            assert_eq!(dates(&v, "ontvangen_op"), ["2024-01-02", "2024-03-04"]);
            assert_eq!(dates(&v, "triage_op"), ["2024-01-02", "2024-03-04"]);
            assert!(
                v.summary.datumformaten[other].contains(&format!("zoals {set} uit dezelfde kop")),
                "{:?}",
                v.summary.datumformaten
            );
        }
        // Two different formats set for the two targets: each keeps its own.
        let toml = format!(
            "{MAPPING}[casussen.datumformaat]\nontvangen_op = \"%m/%d/%Y\"\ntriage_op = \"%d/%m/%Y\"\n"
        );
        let v = validate_with(csv, &toml).unwrap();
        assert_eq!(dates(&v, "triage_op"), ["2024-02-01", "2024-04-03"]);
        // Without any format the shared header is refused, not guessed.
        assert_eq!(validate_with(csv, MAPPING).unwrap_err().exit_code(), 3);
    }

    #[test]
    fn an_open_case_with_a_closing_date_is_quarantined() {
        let csv = "Case ID,Opened,Closed,Category,Status\n\
                   A,01/13/2024 10:00 AM,01/20/2024 09:00 AM,Pothole,Closed\n\
                   B,01/14/2024 10:00 AM,01/21/2024 09:00 AM,Pothole,Open\n\
                   C,01/15/2024 10:00 AM,,Pothole,Open\n\
                   D,01/16/2024 10:00 AM,01/22/2024 09:00 AM,Pothole,\n";
        let v = validate_with(csv, MAPPING).unwrap();
        assert_eq!((v.summary.geaccepteerd, v.summary.in_quarantaine), (2, 2));
        let reasons = column_texts(&v.quarantine, "reden");
        for r in &reasons {
            assert!(
                r.starts_with("afgerond_op: ingevuld terwijl uitkomst geen einduitkomst is"),
                "{r}"
            );
        }
        let ids = column_texts(&v.quarantine, "Case ID");
        assert_eq!(ids, ["B", "D"]);
    }

    #[test]
    fn missing_triage_is_warned_about_by_name() {
        let csv = "Case ID,Opened,Closed,Category,Status\n\
                   A,01/13/2024 10:00 AM,,Pothole,Open\n";
        let toml = MAPPING.replace(
            "\"Opened\" = [\"ontvangen_op\", \"triage_op\"]",
            "\"Opened\" = \"ontvangen_op\"",
        );
        let v = validate_with(csv, &toml).unwrap();
        let w = v.summary.waarschuwingen.join("\n");
        assert!(
            w.contains("triage_op en triage_besluit hebben bij geen enkele casus een waarde"),
            "{w}"
        );
        // Only the decision missing: named alone.
        let v = validate_with(csv, MAPPING).unwrap();
        let w = v.summary.waarschuwingen.join("\n");
        assert!(
            w.contains("triage_besluit heeft bij geen enkele casus"),
            "{w}"
        );
        assert!(!w.contains("triage_op"), "{w}");
        // Both present: no warning.
        let toml = MAPPING.replace(
            "aandrager_type = \"burger_zelf\"\n",
            "aandrager_type = \"burger_zelf\"\ntriage_besluit = \"behandelen\"\n",
        );
        let v = validate_with(csv, &toml).unwrap();
        assert!(
            v.summary
                .waarschuwingen
                .iter()
                .all(|w| !w.contains("triage")),
            "{:?}",
            v.summary.waarschuwingen
        );
    }

    #[test]
    fn unused_headers_are_one_line_naming_the_first_few() {
        assert_eq!(unused_warning(&[]), None);
        let one = unused_warning(&["Owner".to_string()]).unwrap();
        assert_eq!(
            one,
            "kolom \"Owner\" wordt niet gebruikt (geen canonieke kolom en niet gemapt)"
        );
        let three: Vec<String> = ["A", "B", "C"].iter().map(|s| s.to_string()).collect();
        assert!(unused_warning(&three)
            .unwrap()
            .ends_with(": \"A\", \"B\" en \"C\""));
        let many: Vec<String> = (1..=29).map(|i| format!("K{i}")).collect();
        let w = unused_warning(&many).unwrap();
        assert!(
            w.starts_with("29 kolommen worden niet gebruikt")
                && w.contains("\"K5\" en nog 24")
                && !w.contains("K6"),
            "{w}"
        );
        // The summary keeps every header.
        let mut csv = String::from("casus_id,ontvangen_op,aandrager_type,thema");
        for h in &many {
            csv.push(',');
            csv.push_str(h);
        }
        csv.push_str("\nA,2024-01-13,wijkteam,toeslagen");
        csv.push_str(&",x".repeat(many.len()));
        csv.push('\n');
        let v = validate_with(&csv, "").unwrap();
        assert_eq!(v.summary.ongebruikte_kolommen, many);
        let lines = v
            .summary
            .waarschuwingen
            .iter()
            .filter(|w| w.contains("niet gebruikt"))
            .count();
        assert_eq!(lines, 1, "{:?}", v.summary.waarschuwingen);
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Whatever the cell contents, validation accounts for every row and never panics.
        #[test]
        fn every_row_is_accounted_for(rows in proptest::collection::vec(("[A-Za-z0-9-]{0,6}", "[0-9/-]{0,11}", "[a-z_ ]{0,20}", "[a-z._]{0,30}", "[0-9a-z]{0,3}"), 1..30)) {
            let mut csv = String::from("casus_id,ontvangen_op,aandrager_type,thema,complexiteit\n");
            for (a, b, c, d, e) in &rows {
                csv.push_str(&format!("{a},{b},{c},{d},{e}\n"));
            }
            let cfg = Config::default_config();
            let today = NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
            if let Ok(raw) = crate::ingest::read::read_csv_bytes(csv.as_bytes(), "auto", "auto", std::path::Path::new("p.csv")) {
                match validate(&raw, Entity::Cases, &cfg, today) {
                    Ok(v) => {
                        prop_assert_eq!(v.summary.gelezen, v.summary.geaccepteerd + v.summary.in_quarantaine);
                        prop_assert_eq!(v.summary.gelezen, raw.df.height());
                    }
                    // A date column that fits two orders (no day above 12) is refused as a
                    // whole, with the config line to add: nothing is read, so nothing is lost.
                    Err(crate::error::Error::Input { message, .. }) => {
                        prop_assert!(message.contains("meer dan één notatie"), "{}", message);
                    }
                    Err(e) => prop_assert!(false, "{}", e),
                }
            }
        }

        /// The passes over the columns run in parallel: on any export, broken or not, one
        /// thread and several give the same accepted rows, quarantine, summary or error.
        #[test]
        fn threads_do_not_change_the_outcome(rows in proptest::collection::vec(("[A-C]-[0-9]{1,2}", "(2025-0[1-9]-[0-2][0-9]|[0-9]{2}/[0-9]{2}/2025|x|)", "(wijkteam|sociaal_raadslid| Wijkteam |onbekend|)", "(toeslagen.terugvordering|toeslagen|ib|[a-z]{0,4})", "( ?[a-z ]{0,12}|)", "(ja|nee|J|2|)", "(2025-0[1-9]-[0-2][0-9]|)"), 1..40)) {
            let mut csv = String::from("casus_id,ontvangen_op,aandrager_type,thema,samenvatting,spoed,triage_op\n");
            for (a, b, c, d, e, f, g) in &rows {
                csv.push_str(&format!("{a},{b},{c},{d},{e},{f},{g}\n"));
            }
            let cfg = Config::default_config();
            let today = NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
            if let Ok(raw) = crate::ingest::read::read_csv_bytes(csv.as_bytes(), "auto", "auto", std::path::Path::new("p.csv")) {
                let one = validate_on(&raw, Entity::Cases, &cfg, today, 1);
                for threads in [2, 5] {
                    let many = validate_on(&raw, Entity::Cases, &cfg, today, threads);
                    match (&one, &many) {
                        (Ok(a), Ok(b)) => {
                            prop_assert!(a.accepted.equals_missing(&b.accepted), "{} threads: accepted differs", threads);
                            prop_assert!(a.quarantine.equals_missing(&b.quarantine), "{} threads: quarantine differs", threads);
                            prop_assert_eq!(&a.summary, &b.summary);
                        }
                        (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
                        _ => prop_assert!(false, "{} threads: one run failed and the other did not", threads),
                    }
                }
            }
        }
    }
}
