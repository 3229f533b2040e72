import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { StackState } from "../constructs/terraform";
import { ReadableStack } from "./readable-stack";

/** Write-only attributes (value_wo) and ephemeral variables need Terraform 1.11. */
export const REQUIRED_TERRAFORM = ">= 1.11";

export interface AppStackProps {
  /** The shared backend config; this stack's state is named after its id. */
  readonly state: StackState;
  /**
   * Stacks applied before this one (whose state it reads, or whose CRDs it plans against).
   * @default - none
   */
  readonly after?: readonly (TerraformStack | undefined)[];
}

/**
 * Every stack of the app: readable addresses, its own state under the shared backend, the
 * Terraform version it needs, and its place in the apply order (`cdktf deploy '*'`).
 */
export class AppStack extends ReadableStack {
  constructor(scope: Construct, id: string, props: AppStackProps) {
    super(scope, id);
    props.state.attach(this, id);
    this.addOverride("terraform.required_version", REQUIRED_TERRAFORM);
    for (const stack of props.after ?? []) if (stack) this.addDependency(stack);
  }
}
