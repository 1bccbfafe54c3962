//! Panics inside the PDF libraries turned into errors, quietly.
//!
//! pdf-extract and lopdf panic on malformed input by design; [`contained`] runs a call
//! into them with `catch_unwind` and keeps the panic message off standard error. A leaf
//! module so that everything reading a PDF (`pdf`, `pdf_guard`) can use it without
//! depending on each other.

use std::any::Any;
use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe, PanicHookInfo};
use std::sync::{Arc, Mutex};

/// Runs `f` with panics caught and their message kept off standard error; a panic
/// comes back as `Err` with its message.
pub fn contained<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    let _quiet = QuietPanics::enter();
    panic::catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        format!(
            "the PDF reader failed with an internal error ({})",
            panic_message(payload.as_ref())
        )
    })
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "no message".into()
    }
}

type Hook = Box<dyn Fn(&PanicHookInfo<'_>) + Sync + Send + 'static>;

/// Threads inside [`contained`] at the moment, and the hook that was installed before
/// the first of them entered.
static HOOK: Mutex<(usize, Option<Arc<Hook>>)> = Mutex::new((0, None));

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// While any thread is inside [`contained`], the panic hook is a filter that stays
/// silent for those threads and passes every other thread's panic to the previous
/// hook; when the last one leaves, the previous hook is put back. (Swapping the hook
/// per call would race between threads converting PDFs in parallel.)
struct QuietPanics {
    was_quiet: bool,
}

impl QuietPanics {
    fn enter() -> QuietPanics {
        let mut state = HOOK.lock().unwrap_or_else(|e| e.into_inner());
        if state.0 == 0 {
            let previous: Arc<Hook> = Arc::new(panic::take_hook());
            let inner = Arc::clone(&previous);
            panic::set_hook(Box::new(move |info| {
                if !QUIET.with(Cell::get) {
                    inner(info);
                }
            }));
            state.1 = Some(previous);
        }
        state.0 += 1;
        QuietPanics {
            was_quiet: QUIET.with(|q| q.replace(true)),
        }
    }
}

impl Drop for QuietPanics {
    fn drop(&mut self) {
        QUIET.with(|q| q.set(self.was_quiet));
        let mut state = HOOK.lock().unwrap_or_else(|e| e.into_inner());
        state.0 -= 1;
        if state.0 == 0 {
            if let Some(previous) = state.1.take() {
                // Dropping the filter releases its handle on the previous hook.
                drop(panic::take_hook());
                match Arc::try_unwrap(previous) {
                    Ok(hook) => panic::set_hook(hook),
                    Err(shared) => panic::set_hook(Box::new(move |info| shared(info))),
                }
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Tests that enter `contained` take this, so that the one looking at the global
    /// hook state sees it at rest.
    pub(crate) static HOOK_TESTS: Mutex<()> = Mutex::new(());

    #[test]
    fn a_panic_is_an_error_with_its_message_and_the_hook_comes_back() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static SEEN: AtomicUsize = AtomicUsize::new(0);
        let _one = HOOK_TESTS.lock().unwrap_or_else(|e| e.into_inner());
        panic::set_hook(Box::new(|_| {
            SEEN.fetch_add(1, Ordering::SeqCst);
        }));

        let r: Result<(), String> = contained(|| panic!("missing width for 65"));
        let why = r.unwrap_err();
        assert!(why.contains("missing width for 65"), "{why}");
        assert_eq!(contained(|| 7), Ok(7));
        // Threads panicking inside `contained` at the same time: all silent, and the
        // hook that was there before is back when the last one leaves.
        let threads: Vec<_> = (0..4)
            .map(|t| {
                std::thread::spawn(move || {
                    for i in 0..50 {
                        let r: Result<(), String> = contained(|| panic!("thread {t} call {i}"));
                        assert!(r.unwrap_err().contains(&format!("thread {t} call {i}")));
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().expect("no thread died");
        }
        let silent = SEEN.load(Ordering::SeqCst);
        // A panic outside `contained` reaches the previous hook again.
        let _ = panic::catch_unwind(|| panic!("outside"));
        let after = SEEN.load(Ordering::SeqCst);
        drop(panic::take_hook()); // back to the default hook

        assert_eq!(silent, 0, "a contained panic reached the hook");
        assert_eq!(after, 1, "the previous hook was not restored");
        assert!(!QUIET.with(Cell::get));
        let state = HOOK.lock().unwrap_or_else(|e| e.into_inner());
        assert_eq!(state.0, 0);
        assert!(state.1.is_none());
    }
}
