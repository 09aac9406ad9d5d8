/** A setting's value and where it came from: "--address", "NOMAD_ADDR", "drover.hcl" or "default", named in errors. */
export interface Sourced<T> {
  readonly value: T;
  readonly source: string;
}
