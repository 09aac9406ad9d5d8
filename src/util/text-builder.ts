/**
 * Text built from many small pieces without holding each: pieces are joined into chunks of 64 Ki characters as
 * they come. A million-item list encoded piece by piece held a string per item until the end (60 MB for 11 MB of
 * JSON); a chunk grown by `+=` would hold a rope node per piece instead.
 */
export class TextBuilder {
  private readonly chunks: string[] = [];
  private pieces: string[] = [];
  private length = 0;

  add(piece: string): void {
    this.pieces.push(piece);
    this.length += piece.length;
    if (this.length >= 65_536) {
      this.chunks.push(this.pieces.join(''));
      this.pieces = [];
      this.length = 0;
    }
  }

  text(): string {
    return this.chunks.join('') + this.pieces.join('');
  }
}
