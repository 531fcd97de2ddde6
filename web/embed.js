/*
 * <sts-playground>: the stsplay playground on any page, with one script tag.
 *
 *   <script src="https://PLAYGROUND/embed.js" defer></script>
 *   <sts-playground example="seed" view="diagram+console" autoplay>
 *     <a href="https://PLAYGROUND/#example=seed">Open the StatefulSet playground</a>
 *   </sts-playground>
 *
 * Attributes: example, tour (ids; the frame starts the tour), view (diagram, console, diagram+console, full), autoplay (not with a tour),
 * speed (events, 0.5, 1, 4, 16 ...), theme (light, dark, auto), height (CSS pixels: a fixed
 * height; without it the frame follows its content), run-blocks (a CSS selector of code
 * blocks on this page that get a "Run in stsplay" button). Inline files:
 * <script type="text/yaml" data-file="NAME">...</script>; an inline script of console lines:
 * <script type="text/x-stsplay">...</script>. Without JavaScript the children show: the link.
 *
 * Until it scrolls into view (or is clicked) an embed shows a poster: the example's diagram,
 * a static SVG image. Then it loads the playground in a sandboxed iframe; the engine is the
 * same file for every embed, so a page with several pays for it once.
 *
 * Safety: nothing from this page becomes markup (text and attributes are set through the DOM);
 * attribute values are checked against fixed spellings before they go into the frame's URL;
 * messages are JSON strings of protocol 1, accepted only from our own frame's window and origin
 * and of the exact shapes of crates/share/src/message.rs. The frame gets `allow-scripts` and,
 * only when the playground is on another origin than this page, `allow-same-origin` (so the
 * browser caches the engine across embeds; on the same origin it would let the frame reach this
 * page, so there the frame stays opaque). It never gets forms, popups, top navigation or
 * permissions. The embedded playground does not use its storage.
 */
(function () {
  "use strict";
  if (!window.customElements || customElements.get("sts-playground")) {
    return;
  }
  var PROTOCOL = 1;
  var script = document.currentScript;
  // The playground is the directory embed.js is served from.
  var BASE = new URL(".", script && script.src ? script.src : location.href);
  var PLAYGROUND_ORIGIN = BASE.origin;
  var SAME_ORIGIN = PLAYGROUND_ORIGIN === location.origin;
  var VIEWS = ["diagram", "console", "diagram+console", "full"];
  var THEMES = ["light", "dark", "auto"];
  var ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
  var SPEED = /^(events|[0-9]{0,3}(\.[0-9]{1,2})?x?)$/;
  var MAX_HEIGHT = 4000;
  var MIN_HEIGHT = 160;
  var DEFAULT_HEIGHT = 520;
  var MAX_FILES = 64;
  var MAX_BYTES = 4 << 20;
  var embeds = [];

  function css(el, styles) {
    // CSSOM, not style attributes or <style>: works under the host page's own strict CSP.
    for (var k in styles) {
      el.style.setProperty(k, styles[k]);
    }
    return el;
  }

  function el(tag, text) {
    var e = document.createElement(tag);
    if (text) {
      e.textContent = text;
    }
    return e;
  }

  // Common leading indentation removed and blank edges trimmed: inline YAML is usually indented
  // to the surrounding HTML, and YAML is indentation-sensitive.
  function dedent(text) {
    var lines = text.replace(/\r\n?/g, "\n").split("\n");
    while (lines.length && !lines[0].trim()) lines.shift();
    while (lines.length && !lines[lines.length - 1].trim()) lines.pop();
    var indent = null;
    lines.forEach(function (l) {
      if (!l.trim()) return;
      var n = l.match(/^[ \t]*/)[0].length;
      indent = indent === null ? n : Math.min(indent, n);
    });
    return lines
      .map(function (l) {
        return l.slice(indent || 0);
      })
      .join("\n") + (lines.length ? "\n" : "");
  }

  function warn(host, what) {
    if (window.console) console.warn("<sts-playground>: " + what, host);
  }

  class StsPlayground extends HTMLElement {
    connectedCallback() {
      if (this._embed) return;
      var self = this;
      // Children (inline files, the fallback link) are parsed after the start tag: wait for
      // them when the script runs before the element is complete.
      if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", function () {
          if (!self._embed && self.isConnected) self._embed = new Embed(self);
        });
      } else {
        this._embed = new Embed(this);
      }
    }
  }

  function Embed(host) {
    this.host = host;
    this.frame = null;
    this.ready = false;
    this.queue = [];
    this.config = readConfig(host);
    this.inline = readInline(host);
    this.runButtons = [];
    embeds.push(this);
    this.render();
    this.attachRunBlocks();
  }

  function readConfig(host) {
    var c = { params: ["embed"], label: "stsplay playground" };
    function attr(name, ok, key) {
      var v = host.getAttribute(name);
      if (v === null) return null;
      v = v.trim();
      if (!ok(v)) {
        warn(host, "ignoring " + name + "=" + JSON.stringify(v.slice(0, 60)));
        return null;
      }
      c.params.push((key || name) + "=" + encodeURIComponent(v));
      return v;
    }
    c.example = attr("example", function (v) { return ID.test(v); });
    c.tour = attr("tour", function (v) { return ID.test(v); });
    attr("view", function (v) { return VIEWS.indexOf(v) >= 0; });
    attr("theme", function (v) { return THEMES.indexOf(v) >= 0; });
    attr("speed", function (v) { return v !== "" && SPEED.test(v); });
    if (host.hasAttribute("autoplay") && host.getAttribute("autoplay") !== "false") {
      c.params.push("autoplay");
    }
    var h = host.getAttribute("height");
    c.fixedHeight = null;
    if (h !== null) {
      var px = parseInt(h, 10);
      if (/^[0-9]{2,4}(px)?$/.test(h.trim()) && px >= MIN_HEIGHT && px <= MAX_HEIGHT) {
        c.fixedHeight = px;
      } else {
        warn(host, "ignoring height=" + JSON.stringify(h.slice(0, 60)) + " (CSS pixels, " + MIN_HEIGHT + "-" + MAX_HEIGHT + ")");
      }
    }
    if (c.example) c.label = "stsplay playground: " + c.example;
    if (c.tour) c.label += (c.example ? ", " : ": ") + "tour " + c.tour;
    return c;
  }

  function readInline(host) {
    var files = [];
    var bytes = 0;
    var scripts = [];
    Array.prototype.forEach.call(host.children, function (child) {
      if (child.tagName !== "SCRIPT") return;
      var type = (child.getAttribute("type") || "").trim().toLowerCase();
      if (type === "text/yaml" || type === "application/yaml" || type === "text/x-yaml") {
        var name = (child.getAttribute("data-file") || "").trim();
        if (!name || name.length > 128 || /[\u0000-\u001f\u007f/]/.test(name) || name === "." || name === "..") {
          warn(host, "an inline file needs a plain data-file name");
          return;
        }
        if (files.length >= MAX_FILES || files.some(function (f) { return f.name === name; })) {
          warn(host, "ignoring the inline file " + JSON.stringify(name) + " (repeated, or too many files)");
          return;
        }
        var text = dedent(child.textContent);
        bytes += text.length;
        files.push({ name: name, text: text });
      } else if (type === "text/x-stsplay") {
        scripts.push(dedent(child.textContent));
      }
    });
    if (bytes > MAX_BYTES) {
      warn(host, "inline files are larger than " + MAX_BYTES + " bytes; they are not sent");
      files = [];
    }
    if (!files.length && !scripts.length) return null;
    return { files: files, script: scripts.join("\n") };
  }

  Embed.prototype.src = function () {
    var params = this.config.params.slice();
    params.push("host=" + encodeURIComponent(location.origin));
    if (this.inline) params.push("init");
    return new URL("#" + params.join("&"), BASE).href;
  };

  Embed.prototype.fullLink = function () {
    var p = [];
    if (this.config.example) p.push("example=" + this.config.example);
    if (this.config.tour) p.push("tour=" + this.config.tour);
    return new URL(p.length ? "#" + p.join("&") : "", BASE).href;
  };

  Embed.prototype.render = function () {
    var host = this.host;
    // A shadow root: the light-DOM children (fallback link, inline scripts) stay for
    // readers without JavaScript and are not rendered here; the page's CSS cannot reach in.
    var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
    css(host, { display: "block", position: "relative" });
    var box = css(el("div"), {
      position: "relative",
      width: "100%",
      height: (this.config.fixedHeight || DEFAULT_HEIGHT) + "px",
      border: "1px solid #c8ccd4",
      "border-radius": "6px",
      overflow: "hidden",
      background: "#f6f7f9",
      "box-sizing": "border-box",
    });
    this.box = box;
    var poster = css(el("div"), {
      position: "absolute",
      inset: "0",
      display: "flex",
      "flex-direction": "column",
      "align-items": "center",
      "justify-content": "center",
      gap: "12px",
      font: "14px/1.4 system-ui, sans-serif",
      color: "#1f2430",
    });
    if (this.config.example) {
      var img = css(el("img"), {
        "max-width": "92%",
        "max-height": "70%",
        "object-fit": "contain",
      });
      img.alt = "Diagram of the " + this.config.example + " example";
      img.decoding = "async";
      img.src = new URL("posters/" + this.config.example + ".svg", BASE).href;
      img.addEventListener("error", function () {
        img.remove();
      });
      poster.appendChild(img);
    }
    var self = this;
    var load = css(el("button", "▶ Open the playground here"), {
      font: "inherit",
      padding: "6px 14px",
      border: "1px solid #3b6fd8",
      "border-radius": "4px",
      background: "#fff",
      color: "#1d4fb8",
      cursor: "pointer",
    });
    load.type = "button";
    load.setAttribute("aria-label", "Load the " + this.config.label);
    load.addEventListener("click", function () {
      self.load();
    });
    poster.appendChild(load);
    this.loadButton = load;
    var open = el("a", "Open in stsplay ↗");
    open.href = this.fullLink();
    open.target = "_blank";
    open.rel = "noopener";
    css(open, { color: "#1d4fb8" });
    poster.appendChild(open);
    this.poster = poster;
    box.appendChild(poster);
    this.status = css(el("div"), {
      position: "absolute",
      width: "1px",
      height: "1px",
      overflow: "hidden",
      clip: "rect(0 0 0 0)",
    });
    this.status.setAttribute("role", "status");
    box.appendChild(this.status);
    root.appendChild(box);
    if ("IntersectionObserver" in window) {
      var io = new IntersectionObserver(
        function (entries) {
          if (entries.some(function (e) { return e.isIntersecting; })) {
            io.disconnect();
            self.load();
          }
        },
        { rootMargin: "200px" }
      );
      io.observe(host);
      this.observer = io;
    } else {
      this.load();
    }
  };

  Embed.prototype.load = function () {
    if (this.frame) return;
    if (this.observer) this.observer.disconnect();
    var f = el("iframe");
    f.setAttribute(
      "sandbox",
      SAME_ORIGIN ? "allow-scripts" : "allow-scripts allow-same-origin"
    );
    f.setAttribute("allow", "");
    f.referrerPolicy = "strict-origin";
    f.title = this.config.label;
    f.src = this.src();
    css(f, {
      position: "absolute",
      inset: "0",
      width: "100%",
      height: "100%",
      border: "0",
      background: "transparent",
    });
    // Hidden behind the poster until the playground says it is ready (or, failing that, a
    // while after its page loaded), so the reader sees the diagram rather than a blank frame.
    css(f, { opacity: "0" });
    this.frame = f;
    this.box.appendChild(f);
    if (this.loadButton) {
      this.loadButton.textContent = "Loading the playground…";
      this.loadButton.disabled = true;
    }
    var self = this;
    f.addEventListener("load", function () {
      setTimeout(function () {
        self.reveal();
      }, 8000);
      setTimeout(function () {
        if (self.ready) return;
        // Seen on the playground's own origin when the host sends no CORS header: the opaque
        // frame's module and wasm requests are refused (README, "Hosting").
        warn(self.host, "the playground has not started in its frame after 30 s" + (SAME_ORIGIN ?
          "; on its own origin the host must send Access-Control-Allow-Origin: * for its .js and .wasm" : ""));
      }, 30000);
    });
  };

  Embed.prototype.reveal = function () {
    if (this.poster) {
      this.poster.remove();
      this.poster = null;
    }
    if (this.frame) this.frame.style.setProperty("opacity", "1");
  };

  // Messages from our frames: the exact sender window, our origin (or "null" for an opaque
  // frame), a short JSON string of protocol 1 and a known shape; anything else is dropped.
  window.addEventListener("message", function (e) {
    var embed = null;
    for (var i = 0; i < embeds.length; i++) {
      if (embeds[i].frame && e.source === embeds[i].frame.contentWindow) embed = embeds[i];
    }
    if (!embed) return;
    if (e.origin !== (SAME_ORIGIN ? "null" : PLAYGROUND_ORIGIN)) return;
    if (typeof e.data !== "string" || e.data.length > 200) return;
    var m;
    try {
      m = JSON.parse(e.data);
    } catch (_) {
      return;
    }
    if (!m || typeof m !== "object" || m.stsplay !== PROTOCOL || typeof m.type !== "string") return;
    var keys = Object.keys(m).sort().join(",");
    if (m.type === "ready" && keys === "stsplay,type") {
      embed.onReady();
    } else if (m.type === "height" && keys === "px,stsplay,type" && Number.isInteger(m.px) && m.px >= 0 && m.px <= 10000) {
      embed.onHeight(m.px);
    } else if (m.type === "ran" && keys === "lines,ok,stsplay,type" && typeof m.ok === "boolean" && Number.isInteger(m.lines)) {
      embed.onRan(m.lines, m.ok);
    }
  });

  Embed.prototype.post = function (message) {
    if (!this.frame || !this.frame.contentWindow) return;
    // An opaque frame has no origin to name; otherwise only our playground may read it.
    this.frame.contentWindow.postMessage(
      JSON.stringify(message),
      SAME_ORIGIN ? "*" : PLAYGROUND_ORIGIN
    );
  };

  Embed.prototype.send = function (message) {
    if (this.ready) {
      this.post(message);
    } else {
      this.queue.push(message);
      this.load();
    }
  };

  Embed.prototype.onReady = function () {
    if (this.ready) return;
    this.ready = true;
    this.reveal();
    if (this.inline) {
      this.post({ stsplay: PROTOCOL, type: "init", files: this.inline.files, script: this.inline.script });
    }
    var q = this.queue;
    this.queue = [];
    for (var i = 0; i < q.length; i++) this.post(q[i]);
  };

  Embed.prototype.onHeight = function (px) {
    if (this.config.fixedHeight) return;
    var h = Math.max(MIN_HEIGHT, Math.min(MAX_HEIGHT, px));
    this.box.style.setProperty("height", h + "px");
  };

  Embed.prototype.onRan = function (lines, ok) {
    this.status.textContent = ok
      ? "stsplay ran " + lines + (lines === 1 ? " line" : " lines")
      : "stsplay: a line failed; see the embedded console";
  };

  // run-blocks="SELECTOR": a "Run in stsplay" button beside each matching code block.
  Embed.prototype.attachRunBlocks = function () {
    var selector = this.host.getAttribute("run-blocks");
    if (!selector) return;
    var blocks;
    try {
      blocks = document.querySelectorAll(selector);
    } catch (_) {
      warn(this.host, "run-blocks is not a valid CSS selector");
      return;
    }
    var self = this;
    Array.prototype.forEach.call(blocks, function (code) {
      if (code.hasAttribute("data-stsplay-run") || self.host.contains(code)) return;
      code.setAttribute("data-stsplay-run", "");
      var button = el("button", "▶");
      button.type = "button";
      button.className = "stsplay-run";
      button.setAttribute("aria-label", "Run in stsplay");
      button.title = "Run in stsplay";
      css(button, {
        font: "12px/1 system-ui, sans-serif",
        padding: "3px 8px",
        margin: "0 0 4px 0",
        border: "1px solid #3b6fd8",
        "border-radius": "4px",
        background: "#fff",
        color: "#1d4fb8",
        cursor: "pointer",
      });
      button.addEventListener("click", function () {
        self.send({ stsplay: PROTOCOL, type: "run", text: code.textContent });
        if (self.host.scrollIntoView) self.host.scrollIntoView({ block: "nearest", behavior: "smooth" });
      });
      var block = code.parentElement && code.parentElement.tagName === "PRE" ? code.parentElement : code;
      block.parentNode.insertBefore(button, block);
      self.runButtons.push(button);
    });
  };

  customElements.define("sts-playground", StsPlayground);
})();
