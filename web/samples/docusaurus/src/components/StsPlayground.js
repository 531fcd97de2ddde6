/*
 * <StsPlayground>: the stsplay embed (web/embed.js's <sts-playground>) as an MDX component.
 *
 *   import StsPlayground from "@site/src/components/StsPlayground";
 *   <StsPlayground example="seed" view="diagram+console" autoplay runBlocks="pre.language-bash code" />
 *   <StsPlayground view="console" files={{ "web.yaml": `...` }} script={`kubectl apply -f web.yaml`} />
 *
 * Props: example, tour, view, theme, speed, height, autoplay, runBlocks (a CSS selector of this
 * page's code blocks that get a "Run in stsplay" button), files ({ name: text }), script
 * (console lines), playground (overrides customFields.stsplay). The server-rendered page holds
 * the fallback link; in the browser the component builds the element through the DOM (files and
 * script go in as textContent, never as markup) and loads embed.js once.
 */
import React, { useEffect, useRef } from "react";
import useDocusaurusContext from "@docusaurus/useDocusaurusContext";

const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

function playgroundBase(explicit, siteConfig) {
  const base = explicit || (siteConfig.customFields || {}).stsplay;
  if (!base) {
    throw new Error("StsPlayground: set customFields.stsplay (the playground's URL) in docusaurus.config.js");
  }
  return base.endsWith("/") ? base : base + "/";
}

export default function StsPlayground(props) {
  const { siteConfig } = useDocusaurusContext();
  const base = playgroundBase(props.playground, siteConfig);
  const ref = useRef(null);
  const link = [];
  if (props.example && ID.test(props.example)) link.push("example=" + props.example);
  if (props.tour && ID.test(props.tour)) link.push("tour=" + props.tour);
  const href = base + (link.length ? "#" + link.join("&") : "");
  const key = JSON.stringify(props);

  useEffect(() => {
    if (!document.querySelector("script[data-stsplay-embed]")) {
      const s = document.createElement("script");
      s.src = base + "embed.js";
      s.defer = true;
      s.setAttribute("data-stsplay-embed", "");
      document.head.appendChild(s);
    }
    const el = document.createElement("sts-playground");
    const attrs = {
      example: props.example,
      tour: props.tour,
      view: props.view,
      theme: props.theme,
      speed: props.speed,
      height: props.height,
      "run-blocks": props.runBlocks,
    };
    for (const [k, v] of Object.entries(attrs)) {
      if (v !== undefined && v !== null && v !== "") el.setAttribute(k, String(v));
    }
    if (props.autoplay) el.setAttribute("autoplay", "");
    for (const [name, text] of Object.entries(props.files || {})) {
      const s = document.createElement("script");
      s.type = "text/yaml";
      s.setAttribute("data-file", name);
      s.textContent = String(text);
      el.appendChild(s);
    }
    if (props.script) {
      const s = document.createElement("script");
      s.type = "text/x-stsplay";
      s.textContent = String(props.script);
      el.appendChild(s);
    }
    const host = ref.current;
    host.replaceChildren(el);
    return () => host.replaceChildren();
  }, [key, base]);

  return (
    <div ref={ref}>
      <a href={href}>Open the StatefulSet playground (stsplay)</a>
    </div>
  );
}
