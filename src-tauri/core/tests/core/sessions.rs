//! Sessions through the engine alone, with late wake-ups.

/// Every built-in routine, run through the engine with every wake-up late by 0-40 ms (a
/// busy machine): the phases come in the expanded order with their full lengths, and the
/// session ends exactly its total length after it began: lateness never accumulates.
#[test]
fn built_in_routines_run_on_time_even_with_late_wake_ups() {
    use chrono::{FixedOffset, TimeZone};
    use limber_core::catalog::Catalog;
    use limber_core::routine::expand;
    use limber_core::session::{Session, SessionEffect};
    use limber_core::Now;
    let catalog = Catalog::builtin().unwrap();
    let tz = FixedOffset::east_opt(3600).unwrap();
    let origin = tz.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap();
    let at = |ms: u64| Now::new(ms, origin + chrono::Duration::milliseconds(ms as i64));
    let mut jitter: u64 = 7;
    for routine in &catalog.routines {
        let phases = expand(routine);
        let total_ms: u64 = phases.iter().map(|p| p.duration_ms).sum();
        assert_eq!(
            total_ms,
            u64::from(routine.total_s) * 1000,
            "{}",
            routine.id
        );
        let mut session = Session::start(
            routine.clone(),
            catalog.exercises_of(routine),
            false,
            &at(0),
        );
        let mut seen = vec![0usize];
        let mut now = 0u64;
        let record = loop {
            let wait = session
                .time_to_deadline(&at(now))
                .unwrap()
                .num_milliseconds() as u64;
            jitter = (jitter * 1_103_515_245 + 12_345) % 2_147_483_648;
            now += wait + jitter % 41;
            match session.handle_timeout(&at(now)).as_slice() {
                [SessionEffect::PhaseStarted { index }] => {
                    seen.push(*index);
                    // The phase that just began ends on the original schedule.
                    let planned_end: u64 = phases[..=*index].iter().map(|p| p.duration_ms).sum();
                    let left = session
                        .time_to_deadline(&at(now))
                        .unwrap()
                        .num_milliseconds() as u64;
                    assert_eq!(now + left, planned_end, "{} phase {index}", routine.id);
                }
                [SessionEffect::Finished(record)] => break record.clone(),
                other => panic!("{other:?}"),
            }
        };
        assert_eq!(
            seen,
            (0..phases.len()).collect::<Vec<_>>(),
            "{}",
            routine.id
        );
        // The record keeps whole seconds.
        assert_eq!(
            ((record.ended_at - record.started_at).num_milliseconds() as u64).div_ceil(1000) * 1000,
            total_ms,
            "{}",
            routine.id
        );
        assert_eq!(record.steps_done as usize, routine.steps.len());
    }
}
