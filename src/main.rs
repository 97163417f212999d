//! The `rodedraad` binary: a thin shell around [`rodedraad::cli`].
fn main() {
    // A closed pipe (`rodedraad controleer --json | head -1`) ends the program quietly, as it
    // does for other command-line tools, instead of a panic on the next print.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of SIGPIPE before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    rodedraad::cli::install_panic_hook();
    std::process::exit(rodedraad::cli::main());
}
