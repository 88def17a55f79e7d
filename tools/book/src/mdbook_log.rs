//! Capturing what mdBook logs while it builds.
//!
//! mdBook reports many broken things (a missing include file, a template
//! problem) as log events and still returns `Ok`. Its own crates log through
//! `tracing`; the `handlebars` templates it renders with log through `log`.
//! [`capture`] records WARN and ERROR events from both for the duration of one
//! closure on the current thread, so a test can fail on them and parallel
//! tests do not see each other's events.

use std::cell::RefCell;
use std::fmt;
use std::sync::{Arc, Mutex, Once};

/// One WARN or ERROR event logged during a captured call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEvent {
    /// `"WARN"` or `"ERROR"`.
    pub level: String,
    /// The module that logged it (for example `mdbook_driver::builtin_preprocessors::links`).
    pub target: String,
    /// The message with any extra fields appended.
    pub message: String,
}

impl fmt::Display for LogEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.level, self.target, self.message)
    }
}

type Sink = Arc<Mutex<Vec<LogEvent>>>;

/// Runs `body`, returning its result and the WARN/ERROR events logged by
/// `tracing` or `log` on this thread meanwhile.
pub fn capture<T>(body: impl FnOnce() -> T) -> (T, Vec<LogEvent>) {
    install_log_bridge();
    let sink: Sink = Arc::default();
    let dispatch = tracing::Dispatch::new(Collector { sink: sink.clone() });
    let previous = LOG_SINK.with(|slot| slot.replace(Some(sink.clone())));
    let result = tracing::dispatcher::with_default(&dispatch, body);
    LOG_SINK.with(|slot| *slot.borrow_mut() = previous);
    let events = std::mem::take(&mut *sink.lock().unwrap_or_else(|e| e.into_inner()));
    (result, events)
}

fn push(sink: &Sink, event: LogEvent) {
    sink.lock().unwrap_or_else(|e| e.into_inner()).push(event);
}

/// A `tracing` subscriber that keeps WARN and ERROR events and ignores spans.
struct Collector {
    sink: Sink,
}

impl tracing::Subscriber for Collector {
    fn enabled(&self, metadata: &tracing::Metadata<'_>) -> bool {
        // In `tracing`, more severe levels compare as smaller.
        *metadata.level() <= tracing::Level::WARN
    }

    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }

    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}

    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}

    fn event(&self, event: &tracing::Event<'_>) {
        let mut message = MessageVisitor(String::new());
        event.record(&mut message);
        push(
            &self.sink,
            LogEvent {
                level: event.metadata().level().to_string(),
                target: event.metadata().target().to_string(),
                message: message.0,
            },
        );
    }

    fn enter(&self, _: &tracing::span::Id) {}

    fn exit(&self, _: &tracing::span::Id) {}
}

struct MessageVisitor(String);

impl tracing::field::Visit for MessageVisitor {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn fmt::Debug) {
        use fmt::Write;
        if !self.0.is_empty() {
            self.0.push(' ');
        }
        if field.name() == "message" {
            let _ = write!(self.0, "{value:?}");
        } else {
            let _ = write!(self.0, "{}={value:?}", field.name());
        }
    }
}

thread_local! {
    // The sink of the `capture` call running on this thread, if any.
    static LOG_SINK: RefCell<Option<Sink>> = const { RefCell::new(None) };
}

/// The `log` crate allows one global logger; it forwards to the sink of the
/// current thread's `capture` call and drops everything else.
struct LogBridge;

impl log::Log for LogBridge {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.level() <= log::Level::Warn
    }

    fn log(&self, record: &log::Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        LOG_SINK.with(|slot| {
            if let Some(sink) = slot.borrow().as_ref() {
                push(
                    sink,
                    LogEvent {
                        level: record.level().to_string(),
                        target: record.target().to_string(),
                        message: record.args().to_string(),
                    },
                );
            }
        });
    }

    fn flush(&self) {}
}

fn install_log_bridge() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // If the program installed its own logger first, `log` events are
        // theirs; mdBook's own crates log through `tracing`, which still works.
        if log::set_logger(&LogBridge).is_ok() {
            log::set_max_level(log::LevelFilter::Warn);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracing_and_log_warnings_are_captured_and_info_is_not() {
        let ((), events) = capture(|| {
            tracing::info!("not interesting");
            tracing::warn!("a tracing warning");
            log::error!("a log error");
        });
        let messages: Vec<_> = events.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(messages, ["a tracing warning", "a log error"]);
        assert_eq!(events[1].level, "ERROR");
    }

    #[test]
    fn events_outside_a_capture_are_not_kept() {
        tracing::warn!("before");
        let ((), events) = capture(|| ());
        assert!(events.is_empty(), "{events:?}");
    }
}
