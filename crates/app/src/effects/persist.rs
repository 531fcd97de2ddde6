use std::cell::Cell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use yew::Callback;

use crate::state::AppState;
use crate::storage::{self, Saved};

/// Saves the work a moment after it changes (files, journal, settings); `notice` hears what
/// went wrong, and `None` once a save succeeds after a failure.
#[derive(Default)]
pub struct Persist {
    failed: Rc<Cell<bool>>,
    /// The pending save; dropping it cancels it.
    timer: Option<Timeout>,
}

impl Persist {
    /// What, when it changes, is saved: the journal's length, the files, the tab in front, the
    /// script's position, the theme and the speed.
    pub fn key(
        state: &AppState,
    ) -> (
        usize,
        usize,
        String,
        usize,
        crate::state::Theme,
        crate::state::Speed,
    ) {
        (
            state.log_len,
            Rc::as_ptr(&state.files) as usize,
            state.active.clone(),
            state.script_pos,
            state.theme,
            state.speed,
        )
    }

    /// The state's key changed: cancel the pending save and, when `enabled`, save `state` in
    /// 300 ms.
    pub fn changed(
        &mut self,
        state: Rc<AppState>,
        enabled: bool,
        notice: Callback<Option<String>>,
    ) {
        self.timer = None;
        let failed = self.failed.clone();
        self.timer = enabled.then(|| {
            Timeout::new(300, move || match storage::save(&Saved::of(&state)) {
                Ok(()) => {
                    if failed.replace(false) {
                        notice.emit(None);
                    }
                }
                Err(e) => {
                    failed.set(true);
                    notice.emit(Some(e));
                }
            })
        });
    }
}
