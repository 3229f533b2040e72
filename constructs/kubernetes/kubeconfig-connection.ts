import { Construct } from "constructs";
import { Fn } from "cdktf";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";

export interface KubeconfigConnectionProps {
  /** Kubeconfig file; a leading "~/" is the home folder of whoever runs Terraform. */
  readonly path: string;
  /**
   * Context to use. Required: the file's current context follows `kubectl config use-context`,
   * so relying on it would let a plan target whichever cluster was selected last.
   */
  readonly context: string;
}

/**
 * Configures the kubernetes and helm providers from a context of a kubeconfig file, for a
 * cluster the platform stack did not create or cannot reach directly (a private cluster through
 * a jump host, a CI runner with a ready kubeconfig). Credentials stay in the kubeconfig and its
 * exec plugins; nothing about them enters the Terraform configuration.
 */
export class KubeconfigConnection extends Construct {
  constructor(scope: Construct, id: string, props: KubeconfigConnectionProps) {
    super(scope, id);
    if (props.context === "") throw new Error("KubeconfigConnection: context must not be empty");
    // Terraform expands "~" here, so the synthesized file carries no machine-specific home folder.
    const target = { configPath: Fn.pathexpand(props.path), configContext: props.context };
    new KubernetesProvider(this, "kubernetes", target);
    new HelmProvider(this, "helm", { kubernetes: target });
  }
}
