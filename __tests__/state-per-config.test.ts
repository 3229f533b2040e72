import * as fs from "fs";
import * as path from "path";
import { loadConfig } from "../config/load-config";
import { AppConfig } from "../config/types";
import { configFrom, dataOf, synthAny } from "./helpers/synth";

const ROOT = path.resolve(__dirname, "..");
/** Where each stack's state lives, and where the workload reads the platform's, as one string per place. */
function statePlaces(config: AppConfig) {
  const s = synthAny(config);
  try {
    const place = (backend: any) => JSON.stringify(backend);
    const written = s.stacks.map((stack) => place(s.stackJson(stack).terraform.backend ?? s.stackJson(stack).terraform.cloud));
    const [remote] = dataOf(s.stackJson(s.stacks[s.stacks.length - 1]), "terraform_remote_state");
    return { written, read: remote.config };
  } finally {
    fs.rmSync(s.outdir, { recursive: true, force: true });
  }
}

const AZURERM = { type: "azurerm", resourceGroupName: "rg-tfstate", storageAccountName: "sttfstate001", containerName: "tfstate" };

describe("one state per config", () => {
  test("the default config and envs/lab.json keep their local state in different files", () => {
    const defaults = statePlaces(configFrom());
    const lab = statePlaces(loadConfig({ CONFIG: "envs/lab.json" }, ROOT));
    expect(defaults.written).toEqual(['{"local":{"path":"../../../state/kvcsi/platform.tfstate"}}', '{"local":{"path":"../../../state/kvcsi/workload.tfstate"}}']);
    expect(lab.written).toEqual(['{"local":{"path":"../../../state/kvlab/platform.tfstate"}}', '{"local":{"path":"../../../state/kvlab/workload.tfstate"}}']);
    expect(defaults.read).toEqual({ path: "../../../state/kvcsi/platform.tfstate" });
    expect(lab.read).toEqual({ path: "../../../state/kvlab/platform.tfstate" });
  });

  test("azurerm keys are named after the config's namePrefix, so two configs in one container never share a key", () => {
    const a = statePlaces(configFrom((raw) => { raw.backend = AZURERM; }));
    const b = statePlaces(configFrom((raw) => { raw.backend = AZURERM; raw.namePrefix = "shop"; }));
    expect(a.written.map((w) => JSON.parse(w).azurerm.key)).toEqual(["aks-keyvault-csi/kvcsi/platform.tfstate", "aks-keyvault-csi/kvcsi/workload.tfstate"]);
    expect(b.written.map((w) => JSON.parse(w).azurerm.key)).toEqual(["aks-keyvault-csi/shop/platform.tfstate", "aks-keyvault-csi/shop/workload.tfstate"]);
    expect(b.read.key).toBe("aks-keyvault-csi/shop/platform.tfstate");
  });

  test("Terraform Cloud workspaces are named after the config's namePrefix unless named explicitly", () => {
    const cloud = (prefix: string, workspaces?: object) => configFrom((raw) => {
      raw.namePrefix = prefix;
      raw.backend = { type: "cloud", organization: "acme", ...(workspaces ? { workspaces } : {}) };
    }).backend;
    expect(cloud("kvcsi")).toMatchObject({ workspaces: { platform: "kvcsi-platform", workload: "kvcsi-workload" } });
    expect(cloud("shop")).toMatchObject({ workspaces: { platform: "shop-platform", workload: "shop-workload" } });
    expect(cloud("shop", { platform: "tfc-a", workload: "tfc-b" })).toMatchObject({ workspaces: { platform: "tfc-a", workload: "tfc-b" } });
  });

  test("no two shipped configs (and the default) write any stack's state to the same place", () => {
    const configs: [string, AppConfig][] = [["default", configFrom()], ...fs.readdirSync(path.join(ROOT, "envs"))
      .filter((f) => f.endsWith(".json"))
      .map((f): [string, AppConfig] => [`envs/${f}`, loadConfig({ CONFIG: `envs/${f}` }, ROOT)])];
    const owners = new Map<string, string>();
    const shared: string[] = [];
    let stacks = 0;
    for (const [name, config] of configs) {
      const { written } = statePlaces(config);
      stacks += written.length;
      for (const place of written) {
        if (owners.has(place)) shared.push(`${name} and ${owners.get(place)} share ${place}`);
        owners.set(place, name);
      }
    }
    expect(shared).toEqual([]);
    expect(owners.size).toBe(stacks);
  });
});
