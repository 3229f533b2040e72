import * as fs from "fs";
import * as path from "path";
import { DEFAULT_CONFIG } from "../../config/default-config";
import { parseConfig } from "../../config/parse-config";
import { AppConfig } from "../../config/types";
import { App } from "cdktf";
import { buildApp, buildFleet, BuiltApp, BuiltFleet, buildStacks, stackNamesOf } from "../../stacks/build-app";
import { synthesizeAtomically } from "../../synth/synthesize";
import { tempDir } from "./temp";

/** A fresh, mutable copy of the embedded default config. */
export function defaultRaw(): any {
  return JSON.parse(JSON.stringify(DEFAULT_CONFIG));
}

/** Expiration dates are checked against this instant, not the wall clock, so tests never expire. */
const TEST_NOW = new Date("2026-06-01T00:00:00Z");

export function configFrom(mutate: (raw: any) => void = () => undefined): AppConfig {
  const raw = defaultRaw();
  mutate(raw);
  return parseConfig(raw, "test config", TEST_NOW);
}

export interface Synthesized extends BuiltApp {
  readonly outdir: string;
  /** Parsed cdk.tf.json of a stack. */
  stackJson(stack: "platform" | "workload"): any;
  /** Raw cdk.tf.json text of a stack, for Testing matchers. */
  stackText(stack: "platform" | "workload"): string;
  manifest(): any;
}

/**
 * Builds and synthesizes the whole app into a temporary folder. Cross-stack values resolve
 * only during app.synth(), so every workload assertion goes through this.
 */
export function synthApp(config: AppConfig = configFrom()): Synthesized {
  const outdir = tempDir();
  const built = buildApp(config, { outdir });
  built.app.synth();
  const file = (stack: string) => path.join(outdir, "stacks", stack, "cdk.tf.json");
  return {
    ...built,
    outdir,
    stackJson: (stack) => JSON.parse(fs.readFileSync(file(stack), "utf8")),
    stackText: (stack) => fs.readFileSync(file(stack), "utf8"),
    manifest: () => JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")),
  };
}

/**
 * Synthesizes the app `build` makes as `npm run synth` does (staged, HCL repaired, stack READMEs),
 * as JSON or HCL, into `cdktf.out` in a fresh temporary folder, and returns that output folder.
 * cdktf reads the format from SYNTH_HCL_OUTPUT, which is put back afterwards.
 */
export function synthesizeInto(build: (outdir: string) => App, format: "json" | "hcl"): string {
  const outdir = path.join(tempDir(), "cdktf.out");
  const previous = process.env.SYNTH_HCL_OUTPUT;
  process.env.SYNTH_HCL_OUTPUT = String(format === "hcl");
  try {
    synthesizeAtomically(build, outdir);
  } finally {
    if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = previous;
  }
  return outdir;
}

/** The whole app for `config`, through synthesizeInto. */
export function synthOutput(config: AppConfig, format: "json" | "hcl"): string {
  return synthesizeInto((dir) => buildStacks(config, { outdir: dir }).app, format);
}

export interface SynthesizedFleet extends BuiltFleet {
  readonly outdir: string;
  stackJson(stack: string): any;
  manifest(): any;
}

/** synthApp for a config with clusters. */
export function synthFleet(config: AppConfig): SynthesizedFleet {
  const outdir = tempDir();
  const built = buildFleet(config, { outdir });
  built.app.synth();
  return { ...built, outdir, ...readers(outdir) };
}

/** Any config, one cluster or a fleet: the stack names it produced, and their JSON. */
export function synthAny(config: AppConfig): { outdir: string; stacks: string[]; stackJson(stack: string): any; manifest(): any } {
  const outdir = tempDir();
  buildStacks(config, { outdir }).app.synth();
  return { outdir, stacks: stackNamesOf(config), ...readers(outdir) };
}

function readers(outdir: string) {
  return {
    stackJson: (stack: string) => JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")),
    manifest: () => JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")),
  };
}

/** What this test file synthesized once, by helper and config (each test file has its own modules). */
const shared = new Map<string, unknown>();

function once<T>(helper: string, config: AppConfig, synth: () => T): T {
  const key = `${helper}\0${JSON.stringify(config)}`;
  if (!shared.has(key)) shared.set(key, synth());
  return shared.get(key) as T;
}

/**
 * synthApp, made once per test file for each config and shared by the tests that only read its
 * output. A test that writes into the output folder, or changes the constructs, synthesizes its
 * own with synthApp.
 */
export function sharedSynthApp(config: AppConfig = configFrom()): Synthesized {
  return once("synthApp", config, () => synthApp(config));
}

/** synthAny, made once per test file for each config, for tests that only read it (see sharedSynthApp). */
export function sharedSynthAny(config: AppConfig): ReturnType<typeof synthAny> {
  return once("synthAny", config, () => synthAny(config));
}

/** synthOutput, made once per test file for each config and format, for tests that only read it (see sharedSynthApp). */
export function sharedSynthOutput(config: AppConfig, format: "json" | "hcl"): string {
  return once(`synthOutput ${format}`, config, () => synthOutput(config, format));
}

/** Every resource of one type in a synthesized stack, as a list. */
export function resourcesOf(stackJson: any, type: string): any[] {
  return Object.values(stackJson.resource?.[type] ?? {});
}

export function dataOf(stackJson: any, type: string): any[] {
  return Object.values(stackJson.data?.[type] ?? {});
}

/** Stack JSON with cdktf's per-resource metadata removed (for snapshots that survive path changes). */
export function withoutMetadata(json: any): any {
  return JSON.parse(JSON.stringify(json, (key, value) => (key === "//" ? undefined : value)));
}
