import { Construct, IConstruct, Node } from "constructs";
import {
  Annotations,
  Aspects,
  TerraformDataSource,
  TerraformElement,
  TerraformLocal,
  TerraformOutput,
  TerraformProvider,
  TerraformRemoteState,
  TerraformResource,
  TerraformStack,
  TerraformVariable,
} from "cdktf";
import { TERRAFORM_NAME, terraformName } from "../constructs/terraform";

/**
 * The one place that names every Terraform object of every stack. Ops teams read these names
 * in plans, in `terraform state list` and in the HCL they receive, so they read like
 * hand-written Terraform instead of carrying cdktf's hashes (`aks_cluster_D4B35EC5`).
 *
 * The rule, for a resource or data source, whose address already prints its type:
 * 1. take the construct ids on the path from the stack down to the resource;
 * 2. leave out grouping scopes: a bare `Construct` with no Terraform object of its own, such as
 *    the workload stack's `apps` and `namespaces`, which only keep user-chosen names apart from
 *    the stack's own ids;
 * 3. leave out an enclosing id that only restates the type (`key-vault` above an
 *    `azurerm_key_vault_secret`, `network` above an `azurerm_virtual_network`): its words all
 *    appear in the type without its provider prefix;
 * 4. from the resource's own id, drop the leading words the type says (`secret-db-password` of
 *    an `azurerm_key_vault_secret` is `db_password`); later words stay, so a config name such as
 *    `api-key` is never cut;
 * 5. if nothing is left, use the resource's own id;
 * 6. lower-case, and join the words with `_`;
 * 7. a name that would start with a digit (a secret "1password", a namespace "9shop") gets a
 *    leading `_`: Terraform refuses a name that starts with a digit (see terraform-name.ts).
 *
 * So `platform/key-vault/vault` is `azurerm_key_vault.vault`, `platform/key-vault/secret-db-password`
 * is `azurerm_key_vault_secret.db_password`, `platform/aks/cluster` is
 * `azurerm_kubernetes_cluster.aks`, and `workload/apps/demo/deployment` is
 * `kubernetes_deployment_v1.demo`. Outputs, variables and locals are named by their ids as
 * they are (an output name is a contract; see platform-outputs.ts), each `-` as one `_`.
 *
 * A name depends only on its own construct path, so changing an unrelated setting never moves
 * another object. Construct ids built from config names never reuse another object's construct
 * (a grant lives under its identity's scope, named by the object's type and name; see
 * SecretReadGrants). Names that still meet in one address (a secret "secret-db-password" beside
 * "db-password": rule 4 reads both as `db_password`) are a synth error that names both
 * constructs: Terraform JSON would otherwise silently keep only one of them. Making them distinct
 * would move the address of a secret like "secret-key-base" (today `base`) in configs already
 * deployed, so they are refused instead. A name Terraform would refuse is a synth error too.
 */
export class ReadableStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    // An aspect runs before cdktf renders the stack and collects annotations, in app.synth() and
    // Testing.synth() alike. Error annotations let the atomic synth report every problem at
    // once, without a stack trace.
    let done = false;
    Aspects.of(this).add({
      visit: (node) => {
        if (node !== this || done) return;
        done = true;
        this.writeFullProviderSources();
        for (const problem of [...invalidNames(this), ...addressCollisions(this), ...undocumented(this)]) {
          Annotations.of(problem.construct).addError(problem.message);
        }
      },
    });
  }

  protected allocateLogicalId(tfElement: TerraformElement | Node): string {
    const node = TerraformElement.isTerraformElement(tfElement) ? tfElement.node : tfElement;
    return readableName(node, this);
  }

  /**
   * Names every provider by its full registry source. cdktf's prebuilt providers declare the
   * short form (`source = "azurerm"`), which Terraform reads as `hashicorp/azurerm`
   * (https://developer.hashicorp.com/terraform/language/providers/requirements#source-addresses);
   * writing it out leaves nothing implicit for the reader.
   */
  private writeFullProviderSources(): void {
    for (const provider of this.node.findAll().filter(TerraformProvider.isTerraformProvider)) {
      const source = provider.terraformProviderSource;
      if (source && !source.includes("/")) {
        this.addOverride(`terraform.required_providers.${provider.terraformResourceType}.source`, `hashicorp/${source}`);
      }
    }
  }
}

/** The Terraform name of the element at `node`, by the rule in ReadableStack's comment. */
export function readableName(node: Node, stack: TerraformStack): string {
  const below = node.scopes.slice(node.scopes.indexOf(stack) + 1);
  const element = below[below.length - 1];
  const type = terraformTypeOf(element);
  if (type === undefined) return terraformName(below.map((c) => c.node.id).join("_"));
  const said = new Set(type.split("_").slice(1));
  const enclosing = below.slice(0, -1)
    .filter((c) => !isGroupingScope(c))
    .map((c) => wordsOf(c.node.id))
    .filter((words) => !words.every((w) => said.has(w)));
  const own = wordsOf(element.node.id);
  const firstKept = own.findIndex((w) => !said.has(w));
  const words = [...enclosing.flat(), ...(firstKept < 0 ? [] : own.slice(firstKept))];
  return terraformName((words.length > 0 ? words : own).join("_"));
}

function wordsOf(id: string): string[] {
  return id.toLowerCase().split(/[-_]+/).filter((w) => w.length > 0);
}

/** A bare Construct that holds no Terraform object itself and only groups other constructs. */
function isGroupingScope(c: IConstruct): boolean {
  return Object.getPrototypeOf(c) === Construct.prototype && !c.node.children.some(TerraformElement.isTerraformElement);
}

/** The resource or data source type of `c`; undefined for outputs, variables and the like. */
function terraformTypeOf(c: IConstruct): string | undefined {
  if (TerraformResource.isTerraformResource(c) || TerraformDataSource.isTerraformDataSource(c)) return c.terraformResourceType;
  if (c instanceof TerraformRemoteState) return "terraform_remote_state";
  return undefined;
}

/** The address `element` gets in the stack's configuration, or undefined if it has none. */
function addressOf(element: TerraformElement): string | undefined {
  const name = element.friendlyUniqueId;
  if (TerraformDataSource.isTerraformDataSource(element)) return `data.${element.terraformResourceType}.${name}`;
  if (TerraformResource.isTerraformResource(element)) return `${element.terraformResourceType}.${name}`;
  if (element instanceof TerraformRemoteState) return `data.terraform_remote_state.${name}`;
  if (element instanceof TerraformVariable) return `var.${name}`;
  if (TerraformOutput.isTerraformOutput(element)) return `output.${name}`;
  if (element instanceof TerraformLocal) return `local.${name}`;
  return undefined;
}

/** A problem found in a stack, reported on the construct that causes it. */
export interface StackProblem {
  readonly construct: IConstruct;
  readonly message: string;
}

/** One problem per object whose name Terraform would refuse; the allocator's rules are meant to make none. */
export function invalidNames(stack: TerraformStack): StackProblem[] {
  return stack.node.findAll()
    .filter(TerraformElement.isTerraformElement)
    .filter((element) => element !== (stack as unknown) && addressOf(element) !== undefined)
    .filter((element) => !TERRAFORM_NAME.pattern.test(element.friendlyUniqueId))
    .map((element) => ({
      construct: element,
      message: `${element.node.path} would be named ${JSON.stringify(element.friendlyUniqueId)}, which Terraform refuses; ` +
        `a Terraform name has ${TERRAFORM_NAME.allowed}`,
    }));
}

/** One problem per object whose address another construct of `stack` already has. */
export function addressCollisions(stack: TerraformStack): StackProblem[] {
  const owners = new Map<string, string>();
  const problems: StackProblem[] = [];
  for (const element of stack.node.findAll().filter(TerraformElement.isTerraformElement)) {
    if (element === (stack as unknown)) continue;
    const address = addressOf(element);
    if (address === undefined) continue;
    const owner = owners.get(address);
    if (owner === undefined) {
      owners.set(address, element.node.path);
    } else {
      problems.push({
        construct: element,
        message: `${owner} and ${element.node.path} would both be ${address}; rename one of them (its construct id, or the config name it is built from)`,
      });
    }
  }
  return problems;
}

/**
 * Variables and outputs without a description: ops teams read descriptions in the generated
 * stack README and in `terraform plan`, so every input and output needs one.
 */
export function undocumented(stack: TerraformStack): StackProblem[] {
  return stack.node.findAll()
    .filter((c): c is TerraformVariable | TerraformOutput => c instanceof TerraformVariable || TerraformOutput.isTerraformOutput(c))
    .filter((c) => !c.description || c.description.trim() === "")
    .map((c) => ({ construct: c, message: `${c.node.path} has no description; every variable and output needs one` }));
}
