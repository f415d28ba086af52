fn main() {
    let path = std::env::args().nth(1).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let t = std::time::Instant::now();
    match vetted_core::ingest::read(&bytes, Some(&path), &vetted_core::Limits::default()) {
        Ok(doc) => {
            eprintln!("{:?} hidden={}", t.elapsed(), doc.hidden_items().len());
            for h in doc.hidden_items().iter().take(8) {
                eprintln!("  {:?} {}", h.kind, h.label);
            }
            print!("{}", doc.visible_text());
        }
        Err(e) => eprintln!("ERR {:?} {}", e.kind(), e),
    }
}
