// Times the reference renderer editorjs-html on one Editor.js document.
// Usage: node render.js DOCUMENT.json [RUNS]   Prints one JSON object on stdout.
"use strict";

const fs = require("fs");
const path = require("path");
const edjsHTML = require("editorjs-html");

const documentPath = process.argv[2];
const runs = Math.max(1, Number(process.argv[3] || 15));
const data = JSON.parse(fs.readFileSync(documentPath, "utf8"));

// editorjs-html 4 parses paragraph, header, list (v1 and nested v2), quote, code, delimiter,
// image and YouTube/Vimeo embeds, and logs an error for every block of another type. These
// plugins render the other standard types the way its own parsers do (template strings, no
// sanitizing), so it does comparable work for every block instead of printing 10,000 errors.
const builtIn = edjsHTML();
const cells = (row, tag) => row.map((cell) => `<${tag}>${cell}</${tag}>`).join("");
const plugins = {
  checklist: ({ data }) =>
    `<ul>${data.items.map((item) => `<li>${item.checked ? "☑" : "☐"} ${item.text}</li>`).join("")}</ul>`,
  table: ({ data }) =>
    `<table>${data.content
      .map((row, index) => `<tr>${cells(row, data.withHeadings && index === 0 ? "th" : "td")}</tr>`)
      .join("")}</table>`,
  "simple-image": ({ data }) => `<img src="${data.url}" alt="${data.caption || "Image"}" />`,
  embed: (block) =>
    ["youtube", "vimeo"].includes(block.data.service)
      ? builtIn.parseBlock(block)
      : `<a href="${block.data.source}">${block.data.source}</a>`,
  warning: ({ data }) => `<div><strong>${data.title}</strong><p>${data.message}</p></div>`,
  raw: ({ data }) => data.html,
  attaches: ({ data }) =>
    `<a href="${data.file.url}">${data.title || data.file.name}</a> (${data.file.extension}, ${data.file.size} B)`,
  linkTool: ({ data }) =>
    `<a href="${data.link}"><b>${data.meta.title}</b><p>${data.meta.description}</p></a>`,
};
const parser = edjsHTML(plugins);

const times = [];
let html = "";
for (let run = 0; run < runs; run += 1) {
  const start = process.hrtime.bigint();
  html = parser.parse(data);
  times.push(Number(process.hrtime.bigint() - start) / 1e6);
}
const sorted = [...times].sort((a, b) => a - b);
const middle = Math.floor(sorted.length / 2);
const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
const pkg = JSON.parse(
  fs.readFileSync(path.join(path.dirname(require.resolve("editorjs-html")), "..", "package.json"), "utf8"),
);
process.stdout.write(
  JSON.stringify({
    renderer: `editorjs-html ${pkg.version}`,
    node: process.version,
    runs,
    first_ms: times[0],
    median_ms: median,
    html_chars: html.length,
  }) + "\n",
);
