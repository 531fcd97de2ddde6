use gloo_timers::callback::Interval;
use yew::prelude::*;

/// Call `cb` every `ms` milliseconds while `active` (Play's timer). The timer is dropped, and
/// so stopped, when `active` or `ms` change or the component goes away.
#[hook]
pub fn use_interval(active: bool, ms: u32, cb: Callback<()>) {
    use_effect_with((active, ms), move |(active, ms)| {
        let timer = active.then(|| Interval::new(*ms, move || cb.emit(())));
        move || drop(timer)
    });
}
