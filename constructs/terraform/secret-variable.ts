import { Construct } from "constructs";
import { hashMapper, hashMapperHcl, anyToTerraform, anyToHclTerraform, Lazy, TerraformResource, TerraformResourceLifecycle, TerraformVariable, Token } from "cdktf";
import { Sleep } from "@cdktf/provider-time/lib/sleep";

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

/** Where a consumer of the value keeps what tells a write: attribute names of its resource type. */
export interface WrittenAttributes {
  /** The attribute holding the write-only version, e.g. `value_wo_version`. */
  readonly version: string;
  /**
   * A computed attribute that is unknown exactly when the consumer is (re)created and stable
   * otherwise, e.g. `resource_versionless_id` (not `id`, which changes with every version).
   */
  readonly identity: string;
}

/**
 * A secret input for a write-only attribute: `sensitive` keeps it out of logs and `ephemeral`
 * (Terraform >= 1.10) keeps it out of state and saved plan files. cdktf 0.21's
 * TerraformVariable has no ephemeral option, hence the override.
 *
 * The variable is optional, so `plan`, `diff` and `destroy` run without the value when nothing
 * is to be written. A write-only value is sent only when its consumer is created or its
 * `value_wo_version` changes (azurerm's key_vault_secret compares the version only), and exactly
 * then the write marker (`recordWrites`) demands it, at plan time.
 */
export class SecretVariable extends Construct {
  readonly name: string;
  /**
   * For the write-only attribute: the value, or "" when it is unset. The provider needs some
   * value on every plan (value and value_wo are ExactlyOneOf); "" is never written because the
   * write marker's check fails every plan that would write without the value.
   */
  readonly value: string;
  readonly valueVersion: number;
  private readonly props: SecretVariableProps;
  private marker?: WriteMarker;

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
    const ref = `var.${props.name}`;
    this.props = props;
    this.name = props.name;
    this.valueVersion = props.valueVersion;
    this.value = `\${${ref} == null ? "" : ${ref}}`;
  }

  /**
   * Records each write of `consumer` (the resource whose write-only attribute takes `value`) in
   * a `terraform_data` write marker, and demands the value in every plan that writes.
   *
   * Why the marker follows the write. The marker is replaced exactly when the consumer is
   * created (its `identity` attribute is unknown then: a first apply, a retry after a first
   * apply that stopped before the write, a secret deleted outside Terraform) or its version
   * changes, and it is created only after the consumer was written: a failed write leaves no
   * marker for that version. Its input is the plan's timestamp when it is (re)created and is
   * otherwise kept (ignore_changes), so "its input equals plantimestamp()" means "this plan
   * writes". The check is a postcondition of the marker: Terraform evaluates it while planning,
   * with the planned marker as `self`, and a failed check fails the whole plan before anything
   * is applied. (A precondition on the consumer could not read a marker that depends on it.)
   *
   * The same second: plantimestamp() has one-second resolution, so a plan in the same second as
   * the plan that created the marker would read "writes now". `writeMarkersSettle` makes every
   * apply that creates a marker last into the next second.
   * @returns the marker, for `writeMarkersSettle`
   */
  recordWrites(consumer: TerraformResource, attributes: WrittenAttributes): TerraformResource {
    if (this.marker) throw new Error(`SecretVariable ${this.name} already records the writes of a consumer`);
    const ref = `var.${this.name}`;
    this.marker = new WriteMarker(this, "write-marker", {
      input: { written_at: "${plantimestamp()}" },
      triggersReplace: {
        value_version: consumer.getStringAttribute(attributes.version),
        written_to: consumer.getStringAttribute(attributes.identity),
      },
      lifecycle: {
        ignoreChanges: ["input"],
        postcondition: [{
          condition: `\${${ref} != null || self.input.written_at != plantimestamp()}`,
          errorMessage: `Set TF_VAR_${this.name}: this apply writes ${this.props.subject} (it is new, its valueVersion changed to ` +
            `${this.props.valueVersion}, or an earlier apply stopped before writing it). Plans that write nothing, and destroy, need no value.`,
        }],
      },
    });
    return this.marker;
  }
}

/**
 * One second of waiting after `markers` whenever one of them is (re)created, so that the apply
 * that writes ends in a later second than the plan that stamped the marker: no later plan can
 * share that plantimestamp() and mistake "written before" for "writes now". A time_sleep is
 * replaced (and sleeps again) when its triggers change, and a marker's id is unknown exactly when
 * the marker is (re)created. `markers` is read lazily, at synthesis.
 */
export function writeMarkersSettle(scope: Construct, id: string, markers: () => readonly TerraformResource[]): Sleep {
  return new Sleep(scope, id, {
    createDuration: "1s",
    triggers: Token.asStringMap(Lazy.anyValue({
      produce: () => Object.fromEntries(markers().map((m) => [m.node.scope!.node.id, `\${${m.terraformResourceType}.${m.friendlyUniqueId}.id}`])),
    })),
  });
}

/**
 * A `terraform_data` resource, as cdktf's DataResource writes it, minus DataResource's
 * synth-time check that runs `terraform version` once per instance: about 60 ms each on a
 * shared 2-core machine, so a fleet vault with 250 secrets spent 15 s of its synth there (see
 * docs/fleet.md), and synth needed a terraform binary. Every stack requires
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
