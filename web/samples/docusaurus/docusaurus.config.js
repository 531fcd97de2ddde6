// A minimal Docusaurus site showing the stsplay embed as an MDX component.
// Build: npm ci && npx docusaurus build   (CI: cargo xtask test)
export default {
  title: "stsplay embed sample (Docusaurus)",
  url: "https://docs.example",
  baseUrl: "/",
  onBrokenLinks: "throw",
  // Where the playground is served (index.html, embed.js, posters/): copy dist/ there.
  customFields: { stsplay: "https://stsplay.example/" },
  presets: [
    [
      "classic",
      {
        docs: { routeBasePath: "/", sidebarPath: false },
        blog: false,
        pages: false,
      },
    ],
  ],
};
