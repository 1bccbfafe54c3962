//! End to end over many files: a 200-file `convert --out-dir` batch through the library's
//! batch API (discovery, parallel conversion, atomic writes with fsync, the report), on
//! 1 and 2 worker threads. The inputs are the fixtures, each copy made different by a
//! trailing line of spaces (a text dump) so that no two inputs are byte-identical; a
//! fifth are the PDF fixture. The baseline in the same run reads the same 200 files and
//! counts their lines: the least any batch converter must do.

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use tulossopimus::batch::{self, BatchOptions};
use tulossopimus::worker::{self, WorkerConfig};

const FILES: usize = 200;

const TEXTS: [(&str, &[u8]); 4] = [
    (
        "keha",
        include_bytes!("../fixtures/keha-tulossopimus-2026-2029.txt"),
    ),
    (
        "vesilaitos",
        include_bytes!("../fixtures/vesilaitos-tulossopimus-2027-2030.txt"),
    ),
    (
        "arkisto",
        include_bytes!("../fixtures/arkisto-tulossopimus-2026-2029.txt"),
    ),
    (
        "vayla",
        include_bytes!("../fixtures/pdf/vayla-tulossopimus-2026-2029.pdf-extract.txt"),
    ),
];
const PDF: &[u8] = include_bytes!("../fixtures/pdf/vayla-tulossopimus-2026-2029.pdf");

/// Writes the 200 inputs; returns their directory and total size.
fn inputs(root: &Path) -> (PathBuf, u64) {
    let dir = root.join("in");
    std::fs::create_dir_all(&dir).expect("input dir");
    let mut total = 0;
    for n in 0..FILES {
        let (name, bytes) = if n % 5 == 4 {
            (format!("{n:03}-vayla.pdf"), PDF.to_vec())
        } else {
            let (stem, text) = TEXTS[n % TEXTS.len()];
            let mut bytes = text.to_vec();
            bytes.extend_from_slice(b"\n");
            bytes.extend(std::iter::repeat_n(b' ', n + 1));
            bytes.extend_from_slice(b"\n");
            (format!("{n:03}-{stem}.txt"), bytes)
        };
        total += bytes.len() as u64;
        std::fs::write(dir.join(name), bytes).expect("write input");
    }
    (dir, total)
}

fn bench(c: &mut Criterion) {
    let root =
        std::env::temp_dir().join(format!("tulossopimus-bench-batch-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let (dir, total) = inputs(&root);
    let out = root.join("out");

    let mut g = c.benchmark_group("batch200");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(total));
    g.bench_function("baseline_read_lines", |b| {
        b.iter(|| {
            let mut lines = 0;
            for e in std::fs::read_dir(&dir).expect("list") {
                let bytes = std::fs::read(e.expect("entry").path()).expect("read");
                lines += bytes.iter().filter(|&&b| b == b'\n').count();
            }
            black_box(lines)
        })
    });
    // The CLI's default isolates PDFs in workers of the real binary; in-process is the
    // library's way, and their difference is the isolation's cost on a whole batch.
    let worker = WorkerConfig::new(
        PathBuf::from(env!("CARGO_BIN_EXE_tulossopimus")),
        worker::DEFAULT_TIMEOUT,
        worker::DEFAULT_MAX_MEMORY,
    );
    for (jobs, isolated) in [(1, true), (2, true), (2, false)] {
        let name = if isolated {
            format!("convert_jobs{jobs}")
        } else {
            format!("convert_jobs{jobs}_in_process")
        };
        g.bench_function(name, |b| {
            b.iter(|| {
                let options = BatchOptions {
                    out_dir: out.clone(),
                    jobs,
                    force: true,
                    retry_failed: false,
                    pretty: false,
                    convert: Default::default(),
                    isolation: isolated.then(|| worker.clone()),
                };
                let (todo, early) = batch::collect(std::slice::from_ref(&dir), &out);
                let report = batch::run(todo, early, &options, &|_| {})
                    .expect("batch runs")
                    .report;
                assert_eq!(report.summary.failed, 0);
                black_box(report.summary.total)
            })
        });
    }
    g.finish();
    let _ = std::fs::remove_dir_all(&root);
}

criterion_group!(benches, bench);
criterion_main!(benches);
