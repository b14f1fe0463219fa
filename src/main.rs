use clap::Parser;

fn main() {
    let cli = aibom::cli::Cli::parse();
    std::process::exit(aibom::cli::run(cli));
}
