//! Cost of the calendar operations, as a table of nanoseconds per call.
//!
//! `cargo bench -p vn-calendar`. No benchmarking framework: each operation runs over a fixed
//! pseudo-random set of dates, with `black_box` keeping the work from being optimised away.
use std::hint::black_box;
use std::time::{Duration, Instant};

use vn_calendar::{Calendar, Date, from_lunar, to_lunar};

const CALLS: usize = 1_000_000;

/// Dates spread over 1901–2198 by a fixed linear congruential sequence, so every run measures
/// the same work and the branch predictor cannot learn an order.
fn dates(count: usize) -> Vec<Date> {
    let first = Date::from_ymd(1901, 1, 1).unwrap().days_since_epoch();
    let span = Date::from_ymd(2198, 12, 31).unwrap().days_since_epoch() - first;
    let mut state: u64 = 0x2395_2022;
    (0..count)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            let offset = (state >> 33) as i32 % span;
            Date::from_days_since_epoch(first + offset).unwrap()
        })
        .collect()
}

fn row(name: &str, calls: usize, elapsed: Duration) {
    let ns = elapsed.as_nanos() as f64 / calls as f64;
    println!("{name:<44} {calls:>10} {ns:>12.1}");
}

fn measure<T>(name: &str, inputs: &[T], mut op: impl FnMut(&T)) {
    let start = Instant::now();
    for input in inputs {
        op(input);
    }
    row(name, inputs.len(), start.elapsed());
}

fn main() {
    println!("{:<44} {:>10} {:>12}", "operation", "calls", "ns/call");

    let start = Instant::now();
    black_box(to_lunar(black_box(Date::from_ymd(2026, 5, 4).unwrap())).unwrap());
    row("first to_lunar (builds lunar table)", 1, start.elapsed());

    let start = Instant::now();
    let calendar = black_box(Calendar::new());
    row("Calendar::new (rules 1900-2199 + data)", 1, start.elapsed());

    let days = dates(CALLS);
    measure("to_lunar", &days, |&d| {
        black_box(to_lunar(black_box(d)).unwrap());
    });
    let lunar: Vec<_> = days.iter().map(|&d| to_lunar(d).unwrap()).collect();
    measure("from_lunar", &lunar, |&l| {
        black_box(from_lunar(black_box(l)).unwrap());
    });
    measure("is_working_day", &days, |&d| {
        black_box(calendar.is_working_day(black_box(d)).unwrap());
    });
    measure("add_working_days(d, 10)", &days, |&d| {
        black_box(calendar.add_working_days(black_box(d), 10).unwrap());
    });
    measure("working_days_between(d, d + 365)", &days, |&d| {
        black_box(
            calendar
                .working_days_between(black_box(d), d + 365)
                .unwrap(),
        );
    });
    let naive = &days[..CALLS / 10];
    measure(
        "(for scale) 365 is_working_day calls in a row",
        naive,
        |&d| {
            let mut count = 0;
            for i in 1..=365 {
                count += usize::from(calendar.is_working_day(d + i).unwrap());
            }
            black_box(count);
        },
    );
}
