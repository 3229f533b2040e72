import { Construct } from "constructs";
import { DataAzurermResourceGroup } from "@cdktf/provider-azurerm/lib/data-azurerm-resource-group";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";

export interface PlatformResourceGroupProps {
  readonly name: string;
  readonly location: string;
  /**
   * Use a group that already exists instead of creating one.
   * @default false - the group is created and owned by this stack
   */
  readonly existing?: boolean;
  /** @default - no tags */
  readonly tags?: Record<string, string>;
}

/** The resource group every platform resource lives in: created here, or an existing one looked up by name. */
export class PlatformResourceGroup extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: PlatformResourceGroupProps) {
    super(scope, id);
    if (props.existing) {
      const group = new DataAzurermResourceGroup(this, "existing", { name: props.name });
      this.name = group.name;
    } else {
      const group = new ResourceGroup(this, "group", { name: props.name, location: props.location, tags: props.tags });
      this.name = group.name;
    }
  }
}
