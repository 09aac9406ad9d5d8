/** What a project declares of a spec-object kind (namespaces, node pools, ACL policies and roles, variables). */
export interface DesiredObject<S> {
  readonly spec: S;
  /** The project file that declares it. */
  readonly file?: string;
  /** The Nomad Enterprise settings it uses (open-source Nomad refuses the object as unlicensed). */
  readonly enterpriseOnly?: readonly string[];
}

export interface ObjectsDesired<S> {
  readonly objects: readonly DesiredObject<S>[];
}
