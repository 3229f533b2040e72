import { Construct } from "constructs";
import { TerraformVariable } from "cdktf";

export interface SecretVariableProps {
  /** The Terraform variable name; users set it as TF_VAR_<name>. */
  readonly name: string;
  readonly description: string;
}

/**
 * A secret input: `sensitive` keeps it out of logs and `ephemeral` (Terraform >= 1.10) keeps it
 * out of state and saved plan files. cdktf 0.21's TerraformVariable has no ephemeral option,
 * hence the override. Only write-only attributes (such as `value_wo`) may consume it.
 */
export class SecretVariable extends Construct {
  readonly value: string;
  readonly name: string;

  constructor(scope: Construct, id: string, props: SecretVariableProps) {
    super(scope, id);
    const variable = new TerraformVariable(this, "variable", {
      type: "string",
      sensitive: true,
      nullable: false,
      description: props.description,
    });
    variable.overrideLogicalId(props.name);
    variable.addOverride("ephemeral", true);
    this.name = props.name;
    this.value = variable.stringValue;
  }
}
