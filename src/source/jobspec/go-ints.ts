/**
 * The sized integers of Nomad's api structs: Go's decoders (gocty for job files, encoding/json for API JSON)
 * refuse a value outside the field's type, so drover does too, with gocty's words.
 */

interface GoInt {
  readonly min: bigint;
  readonly max: bigint;
}

const signed = (bits: bigint): GoInt => ({ min: -(2n ** (bits - 1n)), max: 2n ** (bits - 1n) - 1n });
const unsigned = (bits: bigint): GoInt => ({ min: 0n, max: 2n ** bits - 1n });

const GO_INTS: Readonly<Record<string, GoInt>> = {
  int: signed(64n),
  int8: signed(8n),
  uint8: unsigned(8n),
  uint16: unsigned(16n),
  uint32: unsigned(32n),
  uint64: unsigned(64n),
};

/** The range of an integer kind of the api table (int is Go's int, 64 bits here), or undefined for other kinds. */
export function goInt(kind: string): GoInt | undefined {
  return GO_INTS[kind];
}

/** gocty's text for a number that does not fit the field. */
export function goIntMessage({ min, max }: GoInt): string {
  return min === 0n
    ? `value must be a whole number, between 0 and ${max} inclusive`
    : `value must be a whole number, between ${min} and ${max}`;
}
