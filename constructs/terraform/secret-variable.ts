import { Construct } from "constructs";
import { hashMapper, hashMapperHcl, anyToTerraform, anyToHclTerraform, TerraformResource, TerraformResourceLifecycle, TerraformVariable } from "cdktf";
import { Precondition } from "cdktf/lib/terraform-conditions";

export interface SecretVariableProps {
  /** The Terraform variable name; users set it as TF_VAR_<name>. */
  readonly name: string;
  readonly description: string;
  /**
   * The write-only version of the value (`value_wo_version`): the value is written, and so
   * demanded, only when the consumer is created or this number changes.
   */
  readonly valueVersion: number;
  /** What the error names when the value is missing, e.g. "Key Vault secret db-password". */
  readonly subject: string;
}

/**
 * A secret input for a write-only attribute: `sensitive` keeps it out of logs and `ephemeral`
 * (Terraform >= 1.10) keeps it out of state and saved plan files. cdktf 0.21's
 * TerraformVariable has no ephemeral option, hence the override.
 *
 * The variable is optional, so `plan`, `diff` and `destroy` run without the value when nothing
 * is to be written. A write-only value is sent only when its resource is created or its
 * `value_wo_version` changes (azurerm's key_vault_secret compares the version only), and exactly
 * then `writeGuard` demands it, at plan time: `writeMarker` is a terraform_data replaced with
 * every version, whose input is the plan's timestamp when it is (re)created and is otherwise
 * kept (ignore_changes), so "its input equals plantimestamp()" means "this plan writes".
 */
export class SecretVariable extends Construct {
  readonly name: string;
  /**
   * For the write-only attribute: the value, or "" when it is unset. The provider needs some
   * value on every plan (value and value_wo are ExactlyOneOf); "" is never written because
   * `writeGuard` fails every plan that would write without the value.
   */
  readonly value: string;
  readonly valueVersion: number;
  /** Attach to the consuming resource's lifecycle. */
  readonly writeGuard: Precondition;

  constructor(scope: Construct, id: string, props: SecretVariableProps) {
    super(scope, id);
    const variable = new TerraformVariable(this, "variable", {
      type: "string",
      sensitive: true,
      description: props.description,
    });
    variable.overrideLogicalId(props.name);
    variable.addOverride("ephemeral", true);
    // Optional: cdktf 0.21 cannot render `default: null` through its props.
    variable.addOverride("default", null);
    const marker = new WriteMarker(this, "write-marker", {
      input: { written_at: "${plantimestamp()}" },
      triggersReplace: { value_version: props.valueVersion },
      lifecycle: { ignoreChanges: ["input"] },
    });
    const ref = `var.${props.name}`;
    this.name = props.name;
    this.valueVersion = props.valueVersion;
    this.value = `\${${ref} == null ? "" : ${ref}}`;
    this.writeGuard = {
      condition: `\${${ref} != null || ${marker.terraformResourceType}.${marker.friendlyUniqueId}.input.written_at != plantimestamp()}`,
      errorMessage: `Set TF_VAR_${props.name}: this apply writes ${props.subject} (it is new, or its valueVersion changed to ${props.valueVersion}). ` +
        "Plans that write nothing, and destroy, need no value.",
    };
  }
}

/**
 * A `terraform_data` resource, as cdktf's DataResource writes it, minus DataResource's
 * synth-time check that runs `terraform version` once per instance: about 60 ms each on a
 * shared 2-core machine, so a fleet vault with 250 secrets spent 15 s of its synth there (see
 * README "A fleet of clusters"), and synth needed a terraform binary. Every stack requires
 * Terraform >= 1.11 (REQUIRED_TERRAFORM), which Terraform itself enforces at init, far above
 * the 1.4 that `terraform_data` needs.
 */
class WriteMarker extends TerraformResource {
  constructor(scope: Construct, id: string, private readonly props: {
    readonly input: Record<string, unknown>;
    readonly triggersReplace: Record<string, unknown>;
    readonly lifecycle: TerraformResourceLifecycle;
  }) {
    super(scope, id, { terraformResourceType: "terraform_data", terraformGeneratorMetadata: { providerName: "terraform" }, lifecycle: props.lifecycle });
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return {
      input: hashMapper(anyToTerraform)(this.props.input),
      triggers_replace: hashMapper(anyToTerraform)(this.props.triggersReplace),
    };
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    return {
      input: hashMapperHcl(anyToHclTerraform)(this.props.input),
      triggers_replace: hashMapperHcl(anyToHclTerraform)(this.props.triggersReplace),
    };
  }
}
