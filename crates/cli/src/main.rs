//! `stsplay`: the playground in a terminal.
fn main() {
    println!("stsplay {}", env!("CARGO_PKG_VERSION"));
}
