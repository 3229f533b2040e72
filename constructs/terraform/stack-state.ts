import { Construct } from "constructs";
import {
  AzurermBackend,
  CloudBackend,
  DataTerraformRemoteState,
  DataTerraformRemoteStateAzurerm,
  DataTerraformRemoteStateLocal,
  LocalBackend,
  NamedCloudWorkspace,
  TerraformRemoteState,
  TerraformStack,
} from "cdktf";
import { localStatePathOf, stateKeyOf, workspaceOf } from "../../config/stack-names";
import { AzurermBackendConfig, BackendConfig, LocalBackendConfig } from "../../config/types";

/**
 * Stack names double as state keys and workspace selectors: `platform` and `workload` for one
 * cluster; `vault`, `cluster-<name>` and `workload-<name>` for a fleet.
 */
export type StackRole = string;

/**
 * Where each stack keeps its state, built from one backend config. The backend a stack writes
 * and the remote state another stack reads come from the same function, so they cannot drift.
 *
 * State is named after the config's identity (`stateName`, the config's namePrefix) plus the
 * stack, so two configs in one checkout never plan against each other's state: before, the
 * default config and envs/lab.json both wrote state/platform.tfstate, and deploying one after
 * the other planned to replace the first one's resources.
 */
export class StackState {
  /**
   * @param backend where state lives
   * @param stateName the config's identity; names the local state folder and the azurerm key
   * @param projectFromStack the relative way from a stack folder of the output back to the
   *   project, where the local state folder is
   */
  constructor(private readonly backend: BackendConfig, readonly stateName: string, private readonly projectFromStack = "../../..") {}

  /** Attaches the backend for `role` to `stack`. */
  attach(stack: TerraformStack, role: StackRole): void {
    const b = this.backend;
    switch (b.type) {
      case "local":
        new LocalBackend(stack, { path: localPath(b, this.stateName, role, this.projectFromStack) });
        return;
      case "azurerm":
        new AzurermBackend(stack, azurermConfig(b, this.stateName, role));
        return;
      case "cloud":
        new CloudBackend(stack, {
          organization: b.organization,
          hostname: b.hostname,
          workspaces: new NamedCloudWorkspace(workspaceOf(b, this.stateName, role)),
        });
        return;
    }
  }

  /** A terraform_remote_state data source that reads the outputs `role` wrote. */
  remoteState(scope: Construct, id: string, role: StackRole): TerraformRemoteState {
    const b = this.backend;
    switch (b.type) {
      case "local":
        return new DataTerraformRemoteStateLocal(scope, id, { path: localPath(b, this.stateName, role, this.projectFromStack) });
      case "azurerm":
        return new DataTerraformRemoteStateAzurerm(scope, id, azurermConfig(b, this.stateName, role));
      case "cloud":
        // terraform_remote_state has no "cloud" backend; "remote" reads the same workspace.
        return new DataTerraformRemoteState(scope, id, {
          organization: b.organization,
          hostname: b.hostname,
          workspaces: { name: workspaceOf(b, this.stateName, role) },
        });
    }
  }
}

/**
 * Terraform runs inside <outdir>/stacks/<stack>; the path climbs back to the project so the
 * state survives re-synthesis and contains no machine-specific absolute path.
 */
function localPath(b: LocalBackendConfig, stateName: string, role: StackRole, projectFromStack: string): string {
  return `${projectFromStack}/${localStatePathOf(b, stateName, role)}`;
}

function azurermConfig(b: AzurermBackendConfig, stateName: string, role: StackRole) {
  return {
    resourceGroupName: b.resourceGroupName,
    storageAccountName: b.storageAccountName,
    containerName: b.containerName,
    key: stateKeyOf(b, stateName, role),
    subscriptionId: b.subscriptionId,
    tenantId: b.tenantId,
    // Entra ID auth: no storage account key ever needs to be in config or environment.
    useAzureadAuth: true,
  };
}
