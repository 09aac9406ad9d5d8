import { NomadNotFoundError, NomadPermissionError } from '../errors.js';
import type { Transport } from '../transport.js';

export class NamespacesApi {
  constructor(private readonly transport: Transport) {}

  /** Whether the namespace exists; undefined when the token may not read it (Nomad answers 403). */
  async exists(name: string, signal?: AbortSignal): Promise<boolean | undefined> {
    try {
      await this.transport.json({ path: `/namespace/${encodeURIComponent(name)}`, namespace: null, signal });
      return true;
    } catch (error) {
      if (error instanceof NomadNotFoundError) return false;
      if (error instanceof NomadPermissionError) return undefined;
      throw error;
    }
  }
}
