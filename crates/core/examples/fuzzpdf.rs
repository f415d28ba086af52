fn main() {
    let path = std::env::args().nth(1).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let mut seed: u64 = std::env::args().nth(2).map_or(0x9E3779B97F4A7C15, |s| s.parse().unwrap());
    let mut rnd = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let (mut ok, mut err) = (0, 0);
    for _ in 0..2000 {
        let mut b = bytes.clone();
        let n = 1 + rnd() % 8;
        for _ in 0..n {
            let i = (rnd() as usize) % b.len();
            match rnd() % 3 {
                0 => b[i] = rnd() as u8,
                1 => {
                    b.truncate(i.max(10));
                }
                _ => b[i] = b"()<>[]/ 0123456789TjTJ"[(rnd() % 22) as usize],
            }
        }
        let t = std::time::Instant::now();
        match vetted_core::ingest::read(&b, Some("f.pdf"), &vetted_core::Limits::default()) {
            Ok(d) => {
                ok += 1;
                let plan = vetted_core::RedactionPlan {
                    ranges: if d.visible_char_len() > 3 {
                        vec![vetted_core::PlannedRange { start: 1, end: 3, reason: "x".into() }]
                    } else {
                        vec![]
                    },
                    ..Default::default()
                };
                let _ =
                    vetted_core::redact(&b, vetted_core::Format::Pdf, &plan, &vetted_core::Limits::default());
            }
            Err(e) => {
                err += 1;
                if e.message().contains("safely") {
                    eprintln!("PANIC-CAUGHT");
                }
            }
        }
        if t.elapsed().as_secs() > 2 {
            eprintln!("SLOW {:?}", t.elapsed());
        }
    }
    eprintln!("ok {ok} err {err}");
}
