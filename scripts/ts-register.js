/**
 * Loads the app's TypeScript for `npm run synth` and for the cdktf CLI (cdktf.json "app")
 * without a type-check: each .ts file is transpiled by sucrase once and the JavaScript is cached
 * by path, size, mtime and the transform (scripts/sucrase-options.js), so a warm synth never loads a transpiler. Type errors are `tsc --noEmit`'s job (CI runs it).
 */
"use strict";
const fs = require("fs");
const path = require("path");
const crypto = require("crypto");
const Module = require("module");
const { SUCRASE_OPTIONS, SUCRASE_KEY } = require("./sucrase-options");

const CACHE = path.join(__dirname, "..", "node_modules", ".cache", "ts-register");
let sucrase;

function transpile(source, filename) {
  sucrase ??= require("sucrase");
  return sucrase.transform(source, { ...SUCRASE_OPTIONS, filePath: filename }).code;
}

Module._extensions[".ts"] = function loadTypeScript(module, filename) {
  const stat = fs.statSync(filename);
  const key = crypto.createHash("sha1").update(`${SUCRASE_KEY}\0${filename}\0${stat.size}\0${stat.mtimeMs}`).digest("hex");
  const cached = path.join(CACHE, `${key}.js`);
  let code;
  try {
    code = fs.readFileSync(cached, "utf8");
  } catch {
    code = transpile(fs.readFileSync(filename, "utf8"), filename);
    fs.mkdirSync(CACHE, { recursive: true });
    fs.writeFileSync(`${cached}.${process.pid}`, code);
    fs.renameSync(`${cached}.${process.pid}`, cached);
  }
  module._compile(code, filename);
};
