use std::rc::Rc;

use yew::prelude::*;

use crate::state::{FILES, Files};
use crate::storage;

/// Save the seed files whenever they change; `notice` hears what went wrong (or `None`).
#[hook]
pub fn use_persist(files: Rc<Files>, notice: Callback<Option<String>>) {
    use_effect_with(files, move |files| {
        let mut problem = None;
        for name in FILES {
            if let Some(text) = files.get(name)
                && let Err(e) = storage::save_file(name, text)
            {
                problem = Some(e);
            }
        }
        notice.emit(problem);
    });
}
