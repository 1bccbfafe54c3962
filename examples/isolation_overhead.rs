//! Isolation overhead without criterion: the 40-page PDF converted in-process and in a
//! warm worker, alternately (so that load on a shared machine hits both alike); prints
//! the minimum and median wall-clock time of each, and the CPU time of all rounds
//! (for isolation: this process and the worker, read from /proc), and their ratios.
//! `cargo build --release && cargo run --release --example isolation_overhead -- [ROUNDS]`
use std::time::{Duration, Instant};
use tulossopimus::worker::{Pool, WorkerConfig, DEFAULT_MAX_MEMORY};

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .map_or(40, |s| s.parse().expect("ROUNDS"));
    let pdf = std::fs::read("fixtures/bench/vayla-40-sivua.pdf").expect("fixture");
    let exe = std::env::current_exe().expect("exe");
    // target/release/examples/isolation_overhead -> target/release/tulossopimus
    let bin = exe
        .parent()
        .and_then(|p| p.parent())
        .expect("dir")
        .join("tulossopimus");
    let pool = Pool::new(WorkerConfig::new(
        bin,
        Duration::from_secs(60),
        DEFAULT_MAX_MEMORY,
    ));
    let options = Default::default();
    pool.convert("v.pdf", &pdf, &options).expect("warm-up");
    let worker = worker_pid();
    let (mut inp, mut iso) = (Vec::new(), Vec::new());
    let (mut cpu_in, mut cpu_iso) = (0.0, 0.0);
    for _ in 0..rounds {
        let (t, c) = (Instant::now(), cpu(None));
        tulossopimus::convert_bytes("v.pdf", &pdf, &options).expect("converts");
        inp.push(t.elapsed());
        cpu_in += cpu(None) - c;
        let (t, c, w) = (Instant::now(), cpu(None), cpu(Some(worker)));
        pool.convert("v.pdf", &pdf, &options).expect("converts");
        iso.push(t.elapsed());
        cpu_iso += cpu(None) - c + cpu(Some(worker)) - w;
    }
    inp.sort();
    iso.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let (a, b) = (ms(inp[0]), ms(iso[0]));
    let (c, d) = (ms(inp[rounds / 2]), ms(iso[rounds / 2]));
    println!("in-process: min {a:.1} ms, median {c:.1} ms");
    println!("isolated:   min {b:.1} ms, median {d:.1} ms");
    println!("ratio: min {:.3}, median {:.3}", b / a, d / c);
    println!(
        "CPU over {rounds} rounds: in-process {cpu_in:.2} s, isolated {cpu_iso:.2} s, ratio {:.3}",
        cpu_iso / cpu_in
    );
}

/// The pool's one worker: the only child of this process.
fn worker_pid() -> u32 {
    for task in std::fs::read_dir("/proc/self/task")
        .expect("tasks")
        .flatten()
    {
        let children = std::fs::read_to_string(task.path().join("children")).unwrap_or_default();
        if let Some(pid) = children.split_whitespace().next() {
            return pid.parse().expect("pid");
        }
    }
    panic!("no worker process")
}

/// User + system CPU seconds of this process (`None`) or of `pid`, from /proc (clock
/// ticks of 1/100 s; summed over many rounds).
fn cpu(pid: Option<u32>) -> f64 {
    let path = pid.map_or("/proc/self/stat".to_string(), |p| format!("/proc/{p}/stat"));
    let stat = std::fs::read_to_string(path).expect("stat");
    let fields: Vec<f64> = stat[stat.rfind(')').expect("comm") + 2..]
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0.0))
        .collect();
    (fields[11] + fields[12]) / 100.0
}
