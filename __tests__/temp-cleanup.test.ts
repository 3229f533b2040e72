import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { azureStack, kubernetesStack } from "./helpers/stacks";
import { synthApp } from "./helpers/synth";

/** Folders the helpers made in this file; the helpers' own afterAll (registered first) removes them. */
const made: string[] = [];

describe("test helpers", () => {
  test("synthesize into temporary folders that stay readable while the file's tests run", () => {
    const s = synthApp();
    made.push(s.outdir, (azureStack().node.root as App).outdir, (kubernetesStack().node.root as App).outdir);
    expect(fs.existsSync(path.join(s.outdir, "manifest.json"))).toBe(true);
    expect(made.every((dir) => fs.existsSync(dir))).toBe(true);
  });
});

// Runs after the helpers' afterAll (jest runs afterAll hooks in the order they were registered).
afterAll(() => {
  expect(made).toHaveLength(3);
  expect(made.filter((dir) => fs.existsSync(dir))).toEqual([]);
});
