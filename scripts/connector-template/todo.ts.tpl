/** Placeholder for an unimplemented member: the conformance suite reports which one. */
export function todo(member: string): never {
  throw new Error(`TODO(__ID__): implement ${member} (see connectors/README.md, "The contract in prose")`);
}
