//! Input formats beyond CSV (XLSX with Excel dates, Parquet) and `rodedraad init`.

mod common;
use common::*;

const ROWS: &[[&str; 5]] = &[
    [
        "C-1",
        "2025-03-03",
        "wijkteam",
        "invordering.uitstel",
        "Uitstel van betaling gevraagd",
    ],
    [
        "C-2",
        "2025-04-10",
        "Sociaal raadslieden",
        "toeslagen.terugvordering",
        "Terugvordering huurtoeslag",
    ],
    [
        "C-3",
        "2025-05-20",
        "onbekend type",
        "toeslagen.voorschot",
        "Voorschot verlaagd",
    ],
];

#[test]
fn xlsx_with_excel_serial_dates_is_read_from_the_named_sheet() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let dir = tmp("xlsx");
    let f = dir.join("casussen.xlsx");
    let mut wb = Workbook::new();
    let _ = wb.add_worksheet().set_name("Toelichting").unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("Casussen").unwrap();
    let date = Format::new().set_num_format("dd-mm-yyyy");
    for (j, h) in [
        "casus_id",
        "ontvangen_op",
        "aandrager_type",
        "thema",
        "samenvatting",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, j as u16, *h).unwrap();
    }
    for (i, r) in ROWS.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, r[0]).unwrap();
        let d = chrono::NaiveDate::parse_from_str(r[1], "%Y-%m-%d").unwrap();
        use chrono::Datelike;
        let x = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8).unwrap();
        ws.write_datetime_with_format(row, 1, &x, &date).unwrap();
        ws.write_string(row, 2, r[2]).unwrap();
        ws.write_string(row, 3, r[3]).unwrap();
        ws.write_string(row, 4, r[4]).unwrap();
    }
    wb.save(&f).unwrap();
    let cfg = dir.join("rodedraad.toml");
    std::fs::write(&cfg, "[invoer]\nblad = \"Casussen\"\n").unwrap();
    let out = dir.join("uit");
    let o = run(&[
        "check",
        "--cases",
        f.to_str().unwrap(),
        "--config",
        cfg.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--exportdatum",
        "2026-10-31",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let c = read_json(&out.join("controle.json"));
    assert_eq!(c["invoer"][0]["gelezen"], 3);
    assert_eq!(
        c["invoer"][0]["geaccepteerd"], 2,
        "the unknown aandrager type goes to quarantine"
    );
    let q = std::fs::read_to_string(out.join("quarantaine-casussen.csv")).unwrap();
    assert!(
        q.contains(",4,aandrager_type,"),
        "row 4 as Excel shows it: {q}"
    );
    // A missing sheet is a clear error.
    std::fs::write(&cfg, "[invoer]\nblad = \"Bestaat niet\"\n").unwrap();
    let o = run(&[
        "check",
        "--cases",
        f.to_str().unwrap(),
        "--config",
        cfg.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains("Casussen"),
        "lists the sheets: {}",
        stderr(&o)
    );
}

#[test]
fn parquet_is_read_with_typed_columns() {
    use polars::prelude::*;
    use polars_io::prelude::ParquetWriter;
    let dir = tmp("parquet");
    let f = dir.join("casussen.parquet");
    let dates: Vec<chrono::NaiveDate> = ROWS
        .iter()
        .map(|r| chrono::NaiveDate::parse_from_str(r[1], "%Y-%m-%d").unwrap())
        .collect();
    let mut df = DataFrame::new(
        3,
        vec![
            Column::new(
                "casus_id".into(),
                ROWS.iter().map(|r| r[0]).collect::<Vec<_>>(),
            ),
            DateChunked::from_naive_date("ontvangen_op".into(), dates)
                .into_series()
                .into_column(),
            Column::new(
                "aandrager_type".into(),
                ROWS.iter().map(|r| r[2]).collect::<Vec<_>>(),
            ),
            Column::new(
                "thema".into(),
                ROWS.iter().map(|r| r[3]).collect::<Vec<_>>(),
            ),
            Column::new("complexiteit".into(), [1i64, 2, 3]),
        ],
    )
    .unwrap();
    ParquetWriter::new(std::fs::File::create(&f).unwrap())
        .finish(&mut df)
        .unwrap();
    let out = dir.join("uit");
    let o = run(&[
        "check",
        "--cases",
        f.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--exportdatum",
        "2026-10-31",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let c = read_json(&out.join("controle.json"));
    assert_eq!(
        (
            c["invoer"][0]["gelezen"].as_u64(),
            c["invoer"][0]["geaccepteerd"].as_u64()
        ),
        (Some(3), Some(2))
    );
}

#[test]
fn init_proposes_a_mapping_for_the_excel_style_export() {
    let dir = tmp("init");
    let toml = dir.join("rodedraad.toml");
    let o = run(&[
        "init",
        "--cases",
        &sample("excel/casussen.csv"),
        "--signals",
        &sample("excel/signalen.csv"),
        "--out",
        toml.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let t = std::fs::read_to_string(&toml).unwrap();
    assert!(t.contains("scheidingsteken = \";\""), "{t}");
    assert!(t.contains("codering = \"windows-1252\""));
    assert!(t.contains("\"%d-%m-%Y\""));
    assert!(t.contains("\"Datum ontvangen\" = \"ontvangen_op\""), "{t}");
    assert!(t.contains("[casussen.waarden.aandrager_type]"));
    assert!(
        t.contains("# BESLIS"),
        "places where a person must decide are marked"
    );
    // Refuses to overwrite.
    let o = run(&[
        "init",
        "--cases",
        &sample("excel/casussen.csv"),
        "--out",
        toml.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    // The proposal is a valid configuration that check can use.
    let o = run(&[
        "check",
        "--cases",
        &sample("excel/casussen.csv"),
        "--config",
        toml.to_str().unwrap(),
        "--out",
        dir.join("uit").to_str().unwrap(),
        "--exportdatum",
        "2026-10-31",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}
