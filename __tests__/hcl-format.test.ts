import * as fs from "fs";
import * as path from "path";
import { stackNamesOf } from "../stacks/build-app";
import { formatHcl, hclExpression, unwrapInterpolationOnly } from "../synth/hcl-fixups";
import { SHIPPED_CONFIGS } from "./helpers/shipped-configs";
import { configFrom, synthOutput } from "./helpers/synth";
import { canSynthesize } from "./helpers/terraform";

// Required untyped: its typings pull in lib.dom, which doubles `tsc --noEmit` time.
const { parse } = require("@cdktf/hcl2json") as { parse(file: string, hcl: string): Promise<any> };

// terraform fmt -check on every shipped config's HCL: terraform/hcl-format.test.ts (npm run test:terraform).

const cdkTf = (outdir: string, stack: string) => fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf"), "utf8");

describe("formatHcl", () => {
  test("writes an interpolation-only string as its bare expression", () => {
    expect(unwrapInterpolationOnly('name = "${azurerm_resource_group.group.name}"')).toBe("name = azurerm_resource_group.group.name");
    expect(unwrapInterpolationOnly('ip_rules = "${concat(["203.0.113.0/24"], var.deployer_ip_ranges)}"'))
      .toBe('ip_rules = concat(["203.0.113.0/24"], var.deployer_ip_ranges)');
    expect(unwrapInterpolationOnly('"${azurerm_subnet.cluster.id}",')).toBe("azurerm_subnet.cluster.id,");
  });

  test("keeps templates that hold more than one interpolation, or text around it", () => {
    for (const kept of [
      'scope = "${azurerm_key_vault.vault.id}/secrets/api-key"',
      'name = "${var.a}${var.b}"',
      'name = "prefix-${var.a}"',
      'name = "$${literal}"',
      'command = "echo \\"${var.a}\\""',
      'x = "${join(",", ["a"])}-suffix"',
    ]) {
      expect(unwrapInterpolationOnly(kept)).toBe(kept);
    }
  });

  test("indents by nesting, aligns = over consecutive one-line attributes, and leaves multi-line values out of the run", () => {
    const raw = [
      'resource "x" "y" {',
      "a = 1",
      "longer_name = \"v\"",
      "tags = {",
      "k = \"v\"",
      "}",
      "b = {",
      "c = 1",
      "}",
      "}",
    ].join("\n");
    expect(formatHcl(raw)).toBe([
      'resource "x" "y" {',
      "  a           = 1",
      "  longer_name = \"v\"",
      "  tags = {",
      "    k = \"v\"",
      "  }",
      "  b = {",
      "    c = 1",
      "  }",
      "}",
      "",
    ].join("\n"));
  });

  test("writes empty blocks, objects and lists on one line, without blank lines", () => {
    expect(formatHcl('provider "azurerm" {\nfeatures {\n\n}\n}\nvariable "v" {\ndefault = [\n]\n}\ndata "a" "b" {\n}\n')).toBe([
      'provider "azurerm" {',
      "  features {}",
      "}",
      "",
      'variable "v" {',
      "  default = []",
      "}",
      "",
      'data "a" "b" {}',
      "",
    ].join("\n"));
  });

  test("separates top-level blocks by exactly one blank line and keeps none inside a block", () => {
    expect(formatHcl('terraform {\nbackend "local" {\npath = "p"\n}\n\n\nrequired_version = ">= 1.11"\n}\nprovider "a" {\n}')).toBe(
      'terraform {\n  backend "local" {\n    path = "p"\n  }\n  required_version = ">= 1.11"\n}\n\nprovider "a" {}\n');
  });

  test("writes a short list of plain items on one line, and keeps long or nested lists multi-line", () => {
    expect(formatHcl('x {\nshort = [\n"a",\n"b"\n]\nrefs = [\ndefault_node_pool[0].node_count,\n]\n}')).toBe(
      'x {\n  short = ["a", "b"]\n  refs  = [default_node_pool[0].node_count]\n}\n');
    const long = Array.from({ length: 8 }, (_v, i) => `"item-number-${i}"`);
    expect(formatHcl(`long = [\n${long.join(",\n")}\n]`)).toBe(`long = [\n${long.map((l) => `  ${l}`).join(",\n")}\n]\n`);
    expect(formatHcl('nested = [\n{\na = 1\n},\n]')).toBe("nested = [\n  {\n    a = 1\n  },\n]\n");
  });

  test("leaves heredoc bodies as they are", () => {
    expect(formatHcl('locals {\nx = <<EOF\n  kept   as is\n\n"${var.a}"\nEOF\ny = 1\n}')).toBe(
      'locals {\n  x = <<EOF\n  kept   as is\n\n"${var.a}"\nEOF\n  y = 1\n}\n');
  });

  test("hclExpression writes JSON data as an HCL object with bare identifier keys", () => {
    expect(formatHcl(`m = ${hclExpression({ apiVersion: "v1", "a.b/c": [{ k: "${var.x}" }], empty: {}, none: [] })}`)).toBe([
      "m = {",
      '  apiVersion = "v1"',
      '  "a.b/c" = [',
      "    {",
      "      k = var.x",
      "    },",
      "  ]",
      "  empty = {}",
      "  none  = []",
      "}",
      "",
    ].join("\n"));
  });
});


for (const [name, config] of SHIPPED_CONFIGS) {
  // Skipped, not failed, where this config cannot be synthesized (see canSynthesize).
  (canSynthesize(config) ? describe : describe.skip)(`HCL of ${name}`, () => {
    let outdir: string;
    beforeAll(() => {
      outdir = synthOutput(config, "hcl");
    });

    test.each(stackNamesOf(config))("%s: no interpolation-only string and no blank line inside a block", (stack) => {
      const hcl = cdkTf(outdir, stack);
      expect(hcl.split("\n").filter((line) => /"\$\{[^"]*\}"/.test(line) && unwrapInterpolationOnly(line.trim()) !== line.trim())).toEqual([]);
      expect(hcl).not.toMatch(/[{[]\n\s*\n/);
      expect(hcl).not.toMatch(/\n\n\s+\S/);
    });

    test.each(stackNamesOf(config))("%s: names every provider by its full source", async (stack) => {
      const [terraform] = (await parse("cdk.tf", cdkTf(outdir, stack))).terraform;
      const sources = Object.values<any>(terraform.required_providers[0]).map((p) => p.source);
      expect(sources.length).toBeGreaterThan(0);
      for (const source of sources) expect(source).toMatch(/^hashicorp\/(azurerm|kubernetes|helm|time)$/);
    });
  });
}

test("HCL is byte-identical when synthesized again", () => {
  const [first, second] = [synthOutput(configFrom(), "hcl"), synthOutput(configFrom(), "hcl")];
  for (const stack of ["platform", "workload"]) expect(cdkTf(second, stack)).toBe(cdkTf(first, stack));
});
