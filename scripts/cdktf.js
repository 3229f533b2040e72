#!/usr/bin/env node
/**
 * `npm run deploy|diff|destroy|output -- <stacks> [cdktf options]`: runs the cdktf CLI, which
 * re-synthesizes through cdktf.json "app" with this environment, so the CONFIG you set reaches
 * that synth (and main.ts refuses if cdktf.out came from another config). It also removes three
 * harmless but error-looking kinds of output (docs/troubleshooting.md):
 * - CHECKPOINT_DISABLE: cdktf and terraform look up new versions at checkpoint-api.hashicorp.com
 *   and log "[ERROR] ... getaddrinfo ENOTFOUND" where that host is unreachable.
 * - A TF_CLI_CONFIG_FILE naming a missing file makes terraform print "Unable to open CLI
 *   configuration file" as an [ERROR] on every call. Terraform then runs with no CLI config, so
 *   pointing it at the empty os.devNull changes nothing but the message.
 * - Output that is not a terminal (CI logs, `| tee`) gets no spinner escape codes: cdktf's ink
 *   renderer draws only final frames when CI is set (not for a deploy or destroy that waits for
 *   approval, which needs the interactive prompt), and `--no-color` drops Terraform's colour codes.
 */
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

/** The cdktf command line and environment for `command` run with `args`. */
function cdktfInvocation(command, args, env, isTTY) {
  const runEnv = { ...env, CHECKPOINT_DISABLE: env.CHECKPOINT_DISABLE ?? "1" };
  if (runEnv.TF_CLI_CONFIG_FILE && !fs.existsSync(runEnv.TF_CLI_CONFIG_FILE)) runEnv.TF_CLI_CONFIG_FILE = os.devNull;
  const extra = [];
  if (!isTTY) {
    const waitsForApproval = ["deploy", "destroy"].includes(command) && !args.includes("--auto-approve");
    if (!waitsForApproval && runEnv.CI === undefined) runEnv.CI = "true";
    if (command !== "output" && !args.includes("--no-color")) extra.push("--no-color");
  }
  return { argv: [command, ...args, ...extra], env: runEnv };
}

/**
 * The check main.ts makes once the cdktf CLI runs it, made before the CLI starts: the same
 * refusal, seconds earlier and without the CLI's "encountered an error while synthesizing" frame.
 */
function refuseConfigSwitch(args) {
  require("./ts-register");
  const { ConfigSwitchError, DEFAULT_OUTPUT, configRecord, readConfigRecord } = require("../synth/config-record.ts");
  const { outputOption } = require("../synth/synth-command.ts");
  // Not CDKTF_OUTDIR: the cdktf CLI sets that for the app from its own --output (default
  // cdktf.out), over whatever the environment holds (cdktf-cli bundle/bin/cmds/handlers.js).
  const outdir = outputOption(args).outdir || DEFAULT_OUTPUT;
  const previous = readConfigRecord(outdir);
  if (!previous) return;
  let current;
  try {
    current = configRecord();
  } catch {
    return; // an unreadable CONFIG gets the app's own report
  }
  if (previous.config === current.config) return;
  process.stderr.write(`${new ConfigSwitchError(outdir, previous, current).message}\n`);
  process.exit(1);
}

if (require.main === module) {
  const [command, ...args] = process.argv.slice(2);
  refuseConfigSwitch(args);
  const { argv, env } = cdktfInvocation(command, args, process.env, Boolean(process.stdout.isTTY));
  const cli = path.join(path.dirname(require.resolve("cdktf-cli/package.json")), "bundle", "bin", "cdktf");
  const result = spawnSync(process.execPath, [cli, ...argv], { stdio: "inherit", env });
  if (result.error) throw result.error;
  process.exit(result.status ?? 1);
}

module.exports = { cdktfInvocation };
