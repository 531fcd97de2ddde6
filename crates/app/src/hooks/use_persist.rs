use std::cell::Cell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use yew::prelude::*;

use crate::state::AppState;
use crate::storage::{self, Saved};

/// Save the work a moment after it changes (files, journal, settings); `notice` hears what went
/// wrong, and `None` once a save succeeds after a failure.
#[hook]
pub fn use_persist(state: AppState, enabled: bool, notice: Callback<Option<String>>) {
    let failed = use_mut_ref(|| Cell::new(false));
    let key = (
        state.log_len,
        Rc::as_ptr(&state.files) as usize,
        state.active.clone(),
        state.script_pos,
        state.theme,
        state.speed,
    );
    use_effect_with(key, move |_| {
        let timer = enabled.then(|| {
            Timeout::new(300, move || match storage::save(&Saved::of(&state)) {
                Ok(()) => {
                    if failed.borrow().replace(false) {
                        notice.emit(None);
                    }
                }
                Err(e) => {
                    failed.borrow().set(true);
                    notice.emit(Some(e));
                }
            })
        });
        move || drop(timer)
    });
}
