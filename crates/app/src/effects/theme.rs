use crate::state::Theme;

/// Put the theme on `<html data-theme>` (the CSS follows the system when it is `auto`).
pub fn set_theme(theme: Theme) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-theme", theme.id());
    }
}
