import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { consoleCacheControl, consoleContentType, isCompressible } from './console-http-policy';

export interface ConsoleAsset {
  body: Buffer;
  /** The same bytes gzipped, for text that shrinks. */
  gzipped?: Buffer;
  contentType: string;
  etag: string;
  cacheControl: string;
}

/**
 * The built console (`vite build`, a few hundred kB), read into memory once at start: serving then needs
 * no file system access, and a path can only name a file that was built (no traversal out of the folder).
 */
export class ConsoleAssets {
  private constructor(
    private readonly files: ReadonlyMap<string, ConsoleAsset>,
    readonly dir: string,
  ) {}

  /** An empty set when the folder is missing: the tier app serves its APIs without a built console. */
  static load(dir: string): ConsoleAssets {
    const files = new Map<string, ConsoleAsset>();
    if (existsSync(dir)) {
      for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile()) continue;
        const absolute = join(entry.parentPath, entry.name);
        const path = relative(dir, absolute).split(sep).join('/');
        const contentType = consoleContentType(path);
        if (contentType === undefined) continue;
        files.set(path, toAsset(path, readFileSync(absolute), contentType));
      }
    }
    return new ConsoleAssets(files, dir);
  }

  get built(): boolean {
    return this.files.has('index.html');
  }

  /** A file by its path inside the build, e.g. `index.html` or `assets/index-3b1f.js`. */
  get(path: string): ConsoleAsset | undefined {
    return this.files.get(path);
  }
}

function toAsset(path: string, body: Buffer, contentType: string): ConsoleAsset {
  const gzipped = isCompressible(contentType) ? gzipSync(body) : undefined;
  return {
    body,
    ...(gzipped && gzipped.length < body.length && { gzipped }),
    contentType,
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    cacheControl: consoleCacheControl(path),
  };
}
