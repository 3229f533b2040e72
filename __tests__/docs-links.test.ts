import * as fs from "fs";
import * as path from "path";
import { docFiles, readDoc } from "./helpers/docs";
import { tempDir } from "./helpers/temp";

const ROOT = path.resolve(__dirname, "..");

/** Markdown without its fenced code blocks, where `[x](y)` and `# x` are not links or headings. */
function withoutCode(text: string): string {
  return text.replace(/^ *```[^\n]*\n[\s\S]*?^ *```[^\n]*$/gm, "");
}

/**
 * The anchors GitHub gives a page's headings (github-slugger): the heading's text, lower-cased,
 * without punctuation, spaces as hyphens; a repeated one gets -1, -2, ...
 */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const [, heading] of withoutCode(markdown).matchAll(/^#{1,6} +(.+?) *#* *$/gm)) {
    const text = heading.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1");
    const slug = text.toLowerCase().replace(/[\u2000-\u206F\u2E00-\u2E7F\\'!"#$%&()*+,./:;<=>?@[\]^`{|}~]/g, "").replace(/ /g, "-");
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** Every relative link of `file` (a path under `root`) whose file or #anchor does not exist. */
function brokenLinks(root: string, file: string): string[] {
  const text = fs.readFileSync(path.join(root, file), "utf8");
  const broken: string[] = [];
  for (const [, target] of withoutCode(text).matchAll(/\]\(([^)\s]+)(?: "[^"]*")?\)/g)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: and the like
    const [link, anchor] = target.split("#", 2);
    const linked = link === "" ? path.join(root, file) : path.resolve(root, path.dirname(file), decodeURIComponent(link));
    if (!fs.existsSync(linked)) {
      broken.push(`${file}: ${target} (no file ${path.relative(root, linked)})`);
    } else if (anchor !== undefined && !anchorsOf(fs.readFileSync(linked, "utf8")).has(anchor)) {
      broken.push(`${file}: ${target} (no heading #${anchor} in ${path.relative(root, linked)})`);
    }
  }
  return broken;
}

test("every relative link and #anchor in README.md and docs/ resolves", () => {
  expect(docFiles().flatMap((file) => brokenLinks(ROOT, file))).toEqual([]);
});

test("the link check reports a missing file, a missing heading and a missing anchor on the same page", () => {
  const root = tempDir("docs-links-");
  fs.mkdirSync(path.join(root, "docs"));
  fs.writeFileSync(path.join(root, "docs", "a.md"), "# A page\n\n## `npm run x`: it works\n");
  fs.writeFileSync(path.join(root, "README.md"), [
    "[ok](docs/a.md#npm-run-x-it-works) [ok](#top) [web](https://example.com/#x)",
    "[gone](docs/b.md) [no heading](docs/a.md#nothing) [no anchor here](#nowhere)",
    "```sh", "[inside code](docs/ignored.md)", "```", "# Top",
  ].join("\n"));
  expect(brokenLinks(root, "README.md")).toEqual([
    "README.md: docs/b.md (no file docs/b.md)",
    "README.md: docs/a.md#nothing (no heading #nothing in docs/a.md)",
    "README.md: #nowhere (no heading #nowhere in README.md)",
  ]);
});

test("the anchors of repeated headings are numbered as GitHub numbers them", () => {
  expect([...anchorsOf("## Limits\n## Limits\n### Driver 1.5 or 1.6\n")]).toEqual(["limits", "limits-1", "driver-15-or-16"]);
});

test("the README is a front page of at most 300 lines, whose map links every page of docs/", () => {
  const readme = readDoc("README.md");
  expect(readme.split("\n").length).toBeLessThanOrEqual(300);
  const pages = docFiles().filter((f) => f !== "README.md");
  expect(pages.filter((page) => !readme.includes(`](${page})`))).toEqual([]);
});
