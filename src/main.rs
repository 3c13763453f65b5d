//! The `candor` command: parse arguments, call the library, print, exit.

mod cli;

// A run makes millions of small allocations (each case's strings, lists
// and template values); the system allocator spent a seventh of `check`'s
// time in them. Transparent huge pages are off (the `no_thp` feature):
// with them a one-case rebuild took 130 MiB instead of 112, in the same time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::run()
}
