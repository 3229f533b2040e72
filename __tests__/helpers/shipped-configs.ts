import * as fs from "fs";
import * as path from "path";
import { loadConfig } from "../../config/load-config";
import { AppConfig } from "../../config/types";
import { configFrom } from "./synth";

const ROOT = path.resolve(__dirname, "..", "..");

/** Every shipped config, by name: the embedded default, then envs/*.json in name order. */
export const SHIPPED_CONFIGS: [string, AppConfig][] = [
  ["default", configFrom()],
  ...fs.readdirSync(path.join(ROOT, "envs")).filter((f) => f.endsWith(".json")).sort()
    .map((f): [string, AppConfig] => [`envs/${f}`, loadConfig({ CONFIG: `envs/${f}` }, ROOT)]),
];
