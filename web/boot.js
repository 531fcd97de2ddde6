// Starts the playground from a file rather than an inline script, so the page's
// Content-Security-Policy can say `script-src 'self' 'wasm-unsafe-eval'` and nothing else.
// Trunk.toml's `pattern_script` replaces trunk's inline loader with this file and passes the
// hashed names of the wasm-bindgen glue and the wasm module in data attributes.
// `stsplay-painted`: after the frame that shows the app (crates/app/src/first_view.rs).
const tag = document.querySelector("script[data-stsplay-js][data-stsplay-wasm]");
if (tag) {
  new MutationObserver((_, o) => {
    if (document.getElementById("boot")) return;
    o.disconnect();
    requestAnimationFrame(() => setTimeout(() => performance.mark("stsplay-painted")));
  }).observe(document.body, { childList: true });
  const glue = await import(tag.dataset.stsplayJs);
  const wasm = await glue.default({ module_or_path: tag.dataset.stsplayWasm });
  dispatchEvent(new CustomEvent("TrunkApplicationStarted", { detail: { wasm } }));
}
