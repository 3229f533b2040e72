import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");

/** The documentation: README.md (the front page) and every page of docs/, relative to the project. */
export function docFiles(): string[] {
  const pages = fs.readdirSync(path.join(ROOT, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => path.join("docs", f));
  return ["README.md", ...pages];
}

/** A documentation file's text, by its path relative to the project (e.g. "docs/configuration.md"). */
export function readDoc(file: string): string {
  return fs.readFileSync(path.join(ROOT, file), "utf8");
}
