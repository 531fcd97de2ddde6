// Starts the playground from a file rather than an inline script, so the page's
// Content-Security-Policy can say `script-src 'self' 'wasm-unsafe-eval'` and nothing else.
// Trunk.toml's `pattern_script` replaces trunk's inline loader with this file and passes the
// hashed names of the wasm-bindgen glue and the wasm module in data attributes.
// `stsplay-painted`: after the frame that shows the app (crates/app/src/first_view.rs).
//
// The second module (issue #17, xtask/src/split.rs): the release wasm `app-…_bg.wasm` holds what
// a first visit runs; `app-…_bg.2.wasm` (named by `data-stsplay-wasm2`, which the build adds) the
// rest. It is fetched and linked when the page is idle after start. It is fetched at once, in
// parallel with the first, and linked before start when the start runs more than a first
// visit: the address has a fragment (a share link, an embed) or there is stored work (its
// history is replayed; a returning visitor usually has both modules in the HTTP cache). A call
// into it before it is linked loads it synchronously (`split.load`, imported by the first
// module). `window.__stsplay_split` says what happened (read by tests/e2e/tests/split.rs);
// `?prefetch=off` in the address turns the idle fetch off (for that test).
const tag = document.querySelector("script[data-stsplay-js][data-stsplay-wasm]");
if (tag) {
  const state = (window.__stsplay_split = { linked: false, demand: 0, idle: false, error: null });
  const url = tag.dataset.stsplayWasm2;
  let primary = null;
  const get = () =>
    fetch(url)
      .then((r) => (r.ok ? r.arrayBuffer() : Promise.reject(new Error(`${url}: HTTP ${r.status}`))))
      .then((b) => WebAssembly.compile(b));
  const failed = (e) => ((state.error = String(e)), null);
  let stored = false;
  try {
    stored = localStorage.getItem("stsplay.v1") !== null;
  } catch (_) {
    // storage refused (a sandboxed embed, strict privacy settings): nothing stored
  }
  const early = url && (location.hash.length > 1 || stored) ? get().catch(failed) : null;
  const link = (module) => {
    if (state.linked) return;
    new WebAssembly.Instance(module, { primary });
    primary.__split_loaded.value = 1;
    state.linked = true;
  };
  // A call into the secondary before the idle fetch linked it: a synchronous request (binary
  // through a user-defined charset; a synchronous request cannot ask for an ArrayBuffer).
  const load = () => {
    if (state.linked) return;
    const x = new XMLHttpRequest();
    x.open("GET", url, false);
    x.overrideMimeType("text/plain; charset=x-user-defined");
    x.send();
    if (x.status !== 200) {
      state.error = `${url}: HTTP ${x.status}`;
      throw new Error(`stsplay: cannot load the rest of the playground (${state.error}); reload the page`);
    }
    const s = x.responseText, b = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 255;
    link(new WebAssembly.Module(b));
    state.demand++;
    state.stack = new Error().stack; // which function asked (names with STSPLAY_SPLIT=names)
  };
  const prof = { mark: (i) => (window.__stsplay_profile ??= new Set()).add(i) };
  const extend = (imports) => ({ ...imports, split: { load }, prof });
  const { instantiate, instantiateStreaming } = WebAssembly;
  const keep = async (r) => {
    primary = (r.instance || r).exports;
    const module = early && (await early);
    if (module) link(module);
    return r;
  };
  WebAssembly.instantiateStreaming = (src, imports) => instantiateStreaming(src, extend(imports)).then(keep);
  WebAssembly.instantiate = (src, imports) => instantiate(src, extend(imports)).then(keep);

  new MutationObserver((_, o) => {
    if (document.getElementById("boot")) return;
    o.disconnect();
    requestAnimationFrame(() => setTimeout(() => performance.mark("stsplay-painted")));
  }).observe(document.body, { childList: true });
  const glue = await import(tag.dataset.stsplayJs);
  const wasm = await glue.default({ module_or_path: tag.dataset.stsplayWasm });
  Object.assign(WebAssembly, { instantiate, instantiateStreaming });
  dispatchEvent(new CustomEvent("TrunkApplicationStarted", { detail: { wasm } }));

  const off = new URLSearchParams(location.search).get("prefetch") === "off";
  if (url && !early && !off && primary && "__split_loaded" in primary) {
    const idle = window.requestIdleCallback || ((f) => setTimeout(f, 200));
    idle(
      () => {
        state.idle = true;
        get().then(link).catch(failed);
      },
      { timeout: 2000 },
    );
  }
}
