import * as fs from "fs";
import * as path from "path";
import { loadConfig } from "../config/load-config";
import { synthApp } from "./helpers/synth";

const ROOT = path.resolve(__dirname, "..");
const ENVS = fs.readdirSync(path.join(ROOT, "envs")).filter((f) => f.endsWith(".json"));

describe("shipped example configs", () => {
  test.each(ENVS)("envs/%s parses and synthesizes without a baseline error", (file) => {
    const config = loadConfig({ CONFIG: `envs/${file}` }, ROOT);
    const s = synthApp(config);
    const manifest = s.manifest();
    const errors = Object.values(manifest.stacks).flatMap((st: any) => st.annotations).filter((a: any) => a.level === "@cdktf/error");
    expect(errors).toEqual([]);
  });

  test("the README's complete example is envs/example.json", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const block = /<!-- example-config -->\s*```json\n([\s\S]*?)```/.exec(readme);
    expect(block).not.toBeNull();
    expect(JSON.parse(block![1])).toEqual(JSON.parse(fs.readFileSync(path.join(ROOT, "envs/example.json"), "utf8")));
  });

  test("the README's two set-up commands are the package scripts that exist", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const scripts = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts;
    expect(readme).toContain("npm ci && npm run synth");
    expect(readme).toContain("npm test ");
    expect(scripts.synth).toBe("node -r ./scripts/ts-register.js main.ts synth");
    expect(scripts.test).toBe("jest");
  });
});
