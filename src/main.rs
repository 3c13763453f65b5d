//! The `candor` command: parse arguments, call the library, print, exit.

mod cli;

// A run makes millions of small allocations (each case's strings, lists
// and template values); the system allocator spent a seventh of `check`'s
// time in them. Transparent huge pages are left off: they added a fifth to
// a rebuild's memory for no time saved.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::run()
}
