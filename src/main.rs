//! The `rodedraad` binary: a thin shell around [`rodedraad::cli`].
fn main() {
    std::process::exit(rodedraad::cli::main());
}
