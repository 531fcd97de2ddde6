//! Saving a text as a file the browser downloads (the "Export for kind" script). The text is a
//! Blob's content, never markup.

use wasm_bindgen::JsCast;

/// Offer `text` as a download named `name`. Errors are returned as a sentence to show.
pub fn save_text(name: &str, text: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let parts = js_sys_array(text);
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("text/x-shellscript;charset=utf-8");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts)
        .map_err(|_| "the browser refused to make the file")?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "the browser refused to make the file")?;
    let a = document
        .create_element("a")
        .map_err(|_| "cannot create a link")?
        .dyn_into::<web_sys::HtmlAnchorElement>()
        .map_err(|_| "cannot create a link")?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

fn js_sys_array(text: &str) -> wasm_bindgen::JsValue {
    let arr = web_sys::js_sys::Array::new();
    arr.push(&wasm_bindgen::JsValue::from_str(text));
    arr.into()
}
