fn main() {
    let path = std::env::args().nth(1).unwrap_or_default();
    let bytes = std::fs::read(&path).unwrap_or_default();
    match cairn_ingest::parse(&bytes) {
        Ok(p) => {
            println!("{:#?}", p.strategy);
            for d in p.diagnostics {
                println!("{d:?}");
            }
        }
        Err(e) => println!("error: {e}"),
    }
}
