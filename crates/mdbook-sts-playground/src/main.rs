//! `mdbook-sts-playground`: run by mdBook as a preprocessor (see the crate docs and
//! web/samples/mdbook/book.toml).

use std::io::{Read, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `mdbook-sts-playground supports RENDERER`: the embed is HTML.
    if args.first().map(String::as_str) == Some("supports") {
        return if args.get(1).map(String::as_str) == Some("html") {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        };
    }
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        eprintln!("mdbook-sts-playground: cannot read stdin: {e}");
        return ExitCode::FAILURE;
    }
    match mdbook_sts_playground::run(&input) {
        Ok(out) => {
            let mut stdout = std::io::stdout();
            if stdout
                .write_all(out.as_bytes())
                .and_then(|_| stdout.flush())
                .is_err()
            {
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("mdbook-sts-playground: {e}");
            ExitCode::FAILURE
        }
    }
}
