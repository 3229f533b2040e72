import { spawnSync } from "child_process";
import * as path from "path";
import { classFieldSemantics } from "./helpers/class-fields";

const ROOT = path.resolve(__dirname, "..");

// The app (scripts/ts-register.js) and the tests (scripts/jest-transform.js) transpile with the
// same sucrase options (scripts/sucrase-options.js), so the tests run the code the app runs.
test("the app's loader and jest give class fields the same semantics: define, as tsc for ES2022", () => {
  const probe = `process.stdout.write(require(${JSON.stringify(path.join(__dirname, "helpers", "class-fields.ts"))}).classFieldSemantics())`;
  const app = spawnSync(process.execPath, ["-r", "./scripts/ts-register.js", "-e", probe], { cwd: ROOT, encoding: "utf8" });
  expect(app.stderr).toBe("");
  expect(app.stdout).toBe("define");
  expect(classFieldSemantics()).toBe("define");
});
