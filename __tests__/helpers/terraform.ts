import { spawnSync } from "child_process";
import { AppConfig } from "../../config/types";

/** The terraform binary when one runs here (`terraform fmt` needs no providers and no network). */
export const TERRAFORM: string | undefined = spawnSync("terraform", ["version"], { encoding: "utf8" }).status === 0 ? "terraform" : undefined;

/**
 * Whether `config` can be synthesized here: cdktf's cloud backend validates the local
 * `terraform version` (>= 1.1) at synth, so a cloud-backend config needs the binary.
 */
export function canSynthesize(config: AppConfig): boolean {
  return TERRAFORM !== undefined || config.backend.type !== "cloud";
}
