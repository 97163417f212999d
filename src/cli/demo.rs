//! `rodedraad demo`: the whole pipeline on the embedded sample data.
//!
//! ```text
//! rodedraad demo [--uitvoer reports/demo]
//! ```
//! What it writes is listed in [`crate::pipeline::demo`].

use crate::error::Result;
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct DemoArgs {
    /// Uitvoermap.
    #[arg(
        long = "uitvoer",
        alias = "out",
        value_name = "MAP",
        default_value = "reports/demo"
    )]
    pub out: PathBuf,
}

pub fn run(a: DemoArgs) -> Result<i32> {
    crate::pipeline::demo(&a.out, &mut |line| eprintln!("{line}"))?;
    Ok(0)
}
