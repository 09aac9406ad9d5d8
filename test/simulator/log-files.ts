/** The simulated allocation directories: task logs (alloc/logs/<task>.<stdout|stderr>.0) and a few files. */
export interface LogFile {
  content: Buffer;
  modTime: number;
}

export class LogFiles {
  private readonly files = new Map<string, Map<string, LogFile>>();
  private readonly followers = new Map<string, Set<() => void>>();

  path(task: string, type: 'stdout' | 'stderr'): string {
    return `alloc/logs/${task}.${type}.0`;
  }

  /** Creates an allocation's directory tree with empty logs for its tasks. */
  create(allocId: string, tasks: readonly string[], nowMs: number): void {
    const dir = new Map<string, LogFile>();
    for (const task of tasks) {
      dir.set(this.path(task, 'stdout'), { content: Buffer.alloc(0), modTime: nowMs });
      dir.set(this.path(task, 'stderr'), { content: Buffer.alloc(0), modTime: nowMs });
      dir.set(`${task}/local/.keep`, { content: Buffer.alloc(0), modTime: nowMs });
    }
    this.files.set(allocId, dir);
  }

  append(allocId: string, path: string, text: string, nowMs: number): void {
    const dir = this.files.get(allocId);
    if (!dir) return;
    const file = dir.get(path) ?? { content: Buffer.alloc(0), modTime: nowMs };
    file.content = Buffer.concat([file.content, Buffer.from(text)]);
    file.modTime = nowMs;
    dir.set(path, file);
    for (const wake of this.followers.get(`${allocId}:${path}`) ?? []) wake();
  }

  get(allocId: string, path: string): LogFile | undefined {
    return this.files.get(allocId)?.get(path.replace(/^\/+/, ''));
  }

  has(allocId: string): boolean {
    return this.files.has(allocId);
  }

  /** Entries directly under a directory ("" is the allocation root). */
  list(allocId: string, dir: string): Array<{ name: string; isDir: boolean; file?: LogFile }> {
    const prefix = dir.replace(/^\/+|\/+$/g, '');
    const entries = new Map<string, { name: string; isDir: boolean; file?: LogFile }>();
    for (const [path, file] of this.files.get(allocId) ?? []) {
      if (prefix !== '' && !path.startsWith(`${prefix}/`)) continue;
      const rest = prefix === '' ? path : path.slice(prefix.length + 1);
      const [head, ...tail] = rest.split('/');
      if (!head) continue;
      entries.set(head, tail.length > 0 ? { name: head, isDir: true } : { name: head, isDir: false, file });
    }
    return [...entries.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  isDir(allocId: string, dir: string): boolean {
    const prefix = dir.replace(/^\/+|\/+$/g, '');
    return (
      prefix === '' || [...(this.files.get(allocId)?.keys() ?? [])].some((p) => p.startsWith(`${prefix}/`))
    );
  }

  /** Calls wake whenever the file grows; returns the unsubscribe function. */
  follow(allocId: string, path: string, wake: () => void): () => void {
    const key = `${allocId}:${path}`;
    if (!this.followers.has(key)) this.followers.set(key, new Set());
    this.followers.get(key)!.add(wake);
    return () => this.followers.get(key)?.delete(wake);
  }

  remove(allocId: string): void {
    this.files.delete(allocId);
  }
}
