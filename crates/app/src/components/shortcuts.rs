use yew::prelude::*;

use super::modal::modal;
use crate::effects::SHORTCUTS;

pub struct ShortcutsProps {
    pub on_close: Callback<()>,
}

/// The shortcuts dialog's id.
pub const SHORTCUTS_DIALOG: &str = "shortcuts-dialog";

/// The `?` overlay: every keyboard shortcut.
// Not inlined into `App::view`, so the release build can move it to the second wasm module
// when a first visit does not show it (issue #17, xtask/src/split.rs).
#[inline(never)]
pub fn shortcuts_dialog(props: &ShortcutsProps) -> Html {
    let body = html! {
        <>
            <table class="keys">
                <tbody>
                    { for SHORTCUTS.iter().map(|(k, what, _)| html! {
                        <tr><th scope="row"><kbd>{ *k }</kbd></th><td>{ *what }</td></tr>
                    }) }
                    <tr><th scope="row"><kbd>{"← →"}</kbd></th><td>{"On the timeline: previous / next event (Home, End, Page Up/Down too)"}</td></tr>
                    <tr><th scope="row"><kbd>{"↑ ↓ Tab"}</kbd></th><td>{"In the console: history, completion; Ctrl+L clears"}</td></tr>
                    <tr><th scope="row"><kbd>{"Tab Ctrl+Z Ctrl+F"}</kbd></th><td>{"In the editor: indent (Shift+Tab out), undo (Ctrl+Shift+Z / Ctrl+Y redo), find"}</td></tr>
                </tbody>
            </table>
            <p class="muted">{"Single-key shortcuts work when the focus is not in a text field."}</p>
        </>
    };
    modal(
        SHORTCUTS_DIALOG,
        "Keyboard shortcuts",
        &props.on_close,
        body,
    )
}
